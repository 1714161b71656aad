import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { startSim, build } from '../helper.js'
import { listen } from '../routes/archive-client.js'
import { findChromium, LAUNCH_ARGS } from './chromium.js'

/**
 * Swagger UI at /docs in a real browser: it loads the one public document (/openapi.json), renders every
 * tag's operations, and the page's Content-Security-Policy blocks nothing it needs (no console errors).
 */
test('Swagger UI at /docs loads /openapi.json and renders it without CSP or console errors', { timeout: 60_000 }, async t => {
  const executablePath = findChromium()
  const sim = await startSim(t)
  const { app } = await build(t, sim)
  const base = await listen(app)

  const profile = await mkdtemp(join(tmpdir(), 'vi-bff-chromium-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: LAUNCH_ARGS })
  // One hook, so the profile is removed only once Chromium has closed (it writes into it until then).
  t.after(async () => { await context.close(); await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }) })
  const page = context.pages()[0] ?? await context.newPage()
  page.setDefaultTimeout(20_000)

  const problems: string[] = []
  page.on('pageerror', err => problems.push(`page error: ${err.message}`))
  page.on('console', msg => { if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`) })
  const documents: string[] = []
  page.on('response', res => { if (new URL(res.url()).pathname.endsWith('.json')) documents.push(`${new URL(res.url()).pathname} ${res.status()}`) })

  await page.goto(`${base}/docs`)
  await page.locator('.opblock-tag-section').first().waitFor()
  await page.locator('.opblock').first().waitFor()
  assert.ok(await page.locator('.opblock').count() >= 10, 'the operations are rendered')
  assert.deepEqual(documents, ['/openapi.json 200'], 'Swagger UI loads the public document, once')
  assert.deepEqual(problems, [])
})
