import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config.js'
import app, { serverOptions, REDACT } from '../../src/app.js'
import { buildWeb } from '../../scripts/build-web.js'
import { DEMO_ORG, freePort, startDemoStack } from '../../scripts/demo-stack.js'
import { findChromium, LAUNCH_ARGS } from './chromium.js'

/**
 * A real browser (Debian's Chromium, driven by playwright-core) clicks through the example app against the
 * demo stack: sign in on the provider's page, list datasets, create an export, see it turn ready live
 * (EventSource, no reload), download it through the plain link and compare its bytes, sign out, and see
 * the API answer 401. Never skipped: no browser is a failure.
 */
const ARTIFACTS = join(import.meta.dirname, 'artifacts')
const DATASET = 'retail-shelf-grounding'

test('a browser signs in, exports a dataset, follows it live, downloads the archive and signs out', { timeout: 120_000 }, async (t) => {
  const executablePath = findChromium()
  const staticDir = await buildWeb()

  const host = '127.0.0.1'
  const port = await freePort(host)
  const base = `http://${host}:${port}`
  const stack = await startDemoStack({ publicUrl: base, staticDir, apiKey: 'browser-test-key-0001', host, exportReadyAfterMs: 3000 })
  t.after(() => stack.close())

  const logs: string[] = []
  const config = loadConfig({ ...stack.env, PORT: String(port), HOST: host })
  const server = Fastify(serverOptions(config, {
    level: 'info',
    stream: new Writable({ write (chunk, _enc, cb) { logs.push(String(chunk)); cb() } }),
    redact: { paths: REDACT, censor: '[redacted]' }
  }))
  await server.register(app, { config })
  await server.listen({ port, host })
  t.after(() => server.close())

  const profile = await mkdtemp(join(tmpdir(), 'vi-bff-chromium-'))
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: LAUNCH_ARGS, acceptDownloads: true
  })
  // One hook, so the profile is removed only once Chromium has closed (it writes into it until then).
  t.after(async () => { await context.close(); await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }) })
  const page: Page = context.pages()[0] ?? await context.newPage()
  page.setDefaultTimeout(20_000)
  const pageErrors: string[] = []
  // The app's own errors only (the provider's pages are not under test); a 401 before sign-in is expected.
  page.on('pageerror', err => { if (page.url().startsWith(base)) pageErrors.push(err.message) })
  page.on('console', msg => { if (msg.type() === 'error' && page.url().startsWith(base)) pageErrors.push(`${msg.text()} (${msg.location().url})`) })

  let step = 'open the app'
  try {
    await page.goto(`${base}/`)
    await page.locator('#sign-in').waitFor()

    step = 'sign in on the provider\'s page'
    const user = stack.user
    await page.locator('#sign-in').click()
    await page.waitForURL(u => u.origin === new URL(stack.idp.issuer).origin)
    await page.locator('input[name="username"]').fill(user.username)
    await page.locator('input[name="password"]').fill(user.password)
    await page.locator('button[type="submit"]').click()
    // A provider may ask for consent once; accept it when it does.
    while (!page.url().startsWith(`${base}/`)) {
      await Promise.race([
        page.waitForURL(u => u.origin === base, { timeout: 20_000 }),
        page.locator('button[type="submit"]').click({ timeout: 20_000 }).catch(() => {})
      ])
    }
    await page.locator('#user-name').waitFor()
    assert.equal(await page.locator('#user-name').textContent(), user.name)

    step = 'see the datasets'
    const cards = page.locator('#datasets li')
    await cards.first().waitFor()
    assert.ok(await cards.count() >= 3, 'the seeded datasets are listed')
    await page.locator(`#datasets li[data-dataset-id="${DATASET}"] a`).click()
    await page.locator('#new-export').waitFor()
    assert.equal(new URL(page.url()).pathname, `/datasets/${DATASET}`)

    step = 'create an export'
    // A marker on the window proves that nothing below reloads the page.
    await page.evaluate('window.__noReload = true')
    await page.locator('#new-export select[name="format"]').selectOption('VI_JSONL')
    await page.locator('#new-export input[name="splitRatio"]').fill('0.8')
    const [created, events] = await Promise.all([
      page.waitForResponse(r => r.url().endsWith(`/v1/datasets/${DATASET}/exports`) && r.request().method() === 'POST'),
      page.waitForRequest(r => /\/exports\/[^/]+\/events$/.test(r.url())),
      page.locator('#new-export button[type="submit"]').click()
    ])
    assert.equal(created.status(), 202)
    const exportId = (await created.json() as { datasetExportId: string }).datasetExportId
    assert.ok(events.url().endsWith(`/exports/${exportId}/events`), 'progress comes over the export\'s event stream')
    const row = page.locator(`tr[data-export-id="${exportId}"]`)
    await row.waitFor()
    assert.equal(await row.getAttribute('data-state'), 'pending')
    assert.equal(await row.locator('a.download').count(), 0, 'no download link before it is ready')

    step = 'see the export turn ready without reloading'
    await page.locator(`tr[data-export-id="${exportId}"][data-state="ready"] a.download`).waitFor({ timeout: 30_000 })
    assert.equal(await page.evaluate('window.__noReload'), true, 'the page was not reloaded')
    await mkdir(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'app-signed-in.png'), fullPage: true })

    step = 'download the archive through the link'
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a.download').click()])
    assert.equal(download.suggestedFilename(), `${DATASET}-${exportId}.zip`)
    const file = await download.path()
    const sha = createHash('sha256').update(await readFile(file)).digest('hex')
    assert.equal(sha, stack.sim.archiveSha256(DEMO_ORG, exportId), 'the downloaded bytes are the stored archive')

    step = 'sign out'
    const cookies = (await context.cookies(base)).map(c => `${c.name}=${c.value}`).join('; ')
    assert.equal((await fetch(`${base}/auth/me`, { headers: { cookie: cookies } })).status, 200, 'the session cookie works before sign-out')
    await page.locator('#sign-out').click()
    // The app follows the provider's end-session URL; confirm there if the provider asks, then come back.
    await page.waitForURL(u => u.origin !== base || u.pathname === '/', { timeout: 20_000 })
    if (!page.url().startsWith(base)) {
      const confirmUrl = page.url()
      const confirm = page.locator('button[type="submit"][value="yes"], button[autofocus], form button[type="submit"]').first()
      await Promise.race([page.waitForURL(u => u.origin === base), confirm.click().then(() => page.waitForURL(u => u.href !== confirmUrl))])
    }
    await page.goto(`${base}/`)
    await page.locator('#sign-in').waitFor()

    step = 'see the API answer 401'
    const statuses = await page.evaluate(() => Promise.all(['/auth/me', '/v1/datasets'].map(p => fetch(p, { credentials: 'include' }).then(r => r.status))))
    assert.deepEqual(statuses, [401, 401])
    assert.equal((await fetch(`${base}/v1/datasets`, { headers: { cookie: cookies } })).status, 401, 'the old cookie is dead on the server')
    const cookieValues = (await context.cookies(base)).map(c => c.value).concat(cookies.split('; ').map(c => c.slice(c.indexOf('=') + 1)))
    for (const v of cookieValues) if (v.length >= 16) assert.ok(!logs.some(l => l.includes(v)), 'no cookie value in any log line')
    assert.deepEqual(pageErrors.filter(e => !/status of 401/.test(e)), [], 'no script errors in the page')
  } catch (err) {
    await mkdir(ARTIFACTS, { recursive: true })
    const shot = join(ARTIFACTS, `failure-${Date.now()}.png`)
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {})
    process.stderr.write(`# browser test failed at "${step}" on ${page.url()}; screenshot: ${shot}\n`)
    if (pageErrors.length > 0) process.stderr.write(`# page errors:\n${pageErrors.join('\n')}\n`)
    throw err
  }
})
