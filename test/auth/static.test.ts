import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, startSim, KEY } from '../helper.js'

describe('STATIC_DIR: the single-page app on the API\'s origin', () => {
  it('serves files, falls back to index.html for client routes, and never shadows an API path', async t => {
    const dir = mkdtempSync(join(tmpdir(), 'vi-bff-static-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>')
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)')
    const sim = await startSim(t)
    const { app } = await build(t, sim, { STATIC_DIR: dir })

    const root = await app.inject({ url: '/' })
    assert.equal(root.statusCode, 200)
    assert.match(String(root.headers['content-type']), /text\/html/)
    assert.match(root.body, /<title>app<\/title>/)
    const asset = await app.inject({ url: '/assets/app-1234.js' })
    assert.equal(asset.statusCode, 200)
    assert.equal(asset.body, 'console.log(1)')
    for (const client of ['/datasets', '/datasets/ds1/exports?tab=1', '/signed-out']) {
      const res = await app.inject({ url: client })
      assert.equal(res.statusCode, 200, client)
      assert.match(res.body, /<title>app<\/title>/, client)
      assert.equal(res.headers['cache-control'], 'no-cache')
    }
    assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404, 'a missing file is not the app')
    // API paths keep their problem+json answers.
    for (const [method, url, status] of [
      ['GET', '/v1/nope', 404], ['GET', '/v1/datasets/ds1/nope', 404], ['GET', '/auth/nope', 404], ['GET', '/docs/nope', 404],
      ['GET', '/v1/datasets/ds1/asset-deletions', 405], ['PUT', '/v1/datasets', 405], ['GET', '/v1/datasets', 401], ['POST', '/anything', 404],
      ['GET', '/healthz/x', 404], ['GET', '/metrics/x', 404], ['GET', '/openapi.json/x', 404], ['GET', '/readyz/x', 404]
    ] as const) {
      const res = await app.inject({ method, url })
      assert.equal(res.statusCode, status, `${method} ${url}`)
      assert.match(String(res.headers['content-type']), /application\/problem\+json/, `${method} ${url}`)
    }
    assert.equal((await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${KEY}` } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
    assert.equal((await app.inject({ url: '/openapi.json' })).statusCode, 200)
  })
})
