import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { startSim, build, AUTH, ORG, apiCalls, redisUrl } from '../helper.js'
import { createKeys } from '../../src/cache/keys.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`

describe('single flight', () => {
  for (const store of ['memory', 'redis'] as const) {
    it(`collapses 200 concurrent cold GETs into one upstream call (${store} store)`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Cold' })
      sim.fault({ path: D('ds1'), delayMs: 100, times: 1 })
      const { app } = await build(t, sim, store === 'redis' ? { REDIS_URL: redisUrl() } : {})

      const responses = await Promise.all(Array.from({ length: 200 }, () => app.inject({ url: '/v1/datasets/ds1', headers: AUTH })))
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
      const bodies = new Set(responses.map(r => r.body))
      assert.equal(bodies.size, 1)
      for (const r of responses) {
        assert.equal(r.statusCode, 200)
        assert.equal(r.json().name, 'Cold')
      }
      const statuses = responses.map(r => String(r.headers['cache-status']))
      assert.equal(statuses.filter(s => /fwd=miss; stored/.test(s)).length, 1, 'exactly one response stored the entry')
      assert.ok(statuses.every(s => s.startsWith('vi-bff; ')))

      const after = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.match(String(after.headers['cache-status']), /^vi-bff; hit; ttl=\d+$/)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
    })
  }

  it('makes one upstream call for 200 concurrent cold GETs spread over three replicas sharing Redis', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    // The load takes 300 ms, so all three replicas are cold at the same time.
    sim.fault({ path: D('ds1'), delayMs: 300 })
    const env = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `test:${randomUUID()}:` }
    const apps = await Promise.all([build(t, sim, env), build(t, sim, env), build(t, sim, env)])

    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      apps[i % 3]!.app.inject({ url: '/v1/datasets/ds1', headers: AUTH })))
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
    assert.ok(responses.every(r => r.statusCode === 200))
    assert.equal(new Set(responses.map(r => r.body)).size, 1)
    assert.equal(new Set(responses.map(r => r.headers.etag)).size, 1)
    // Two replicas waited on the lock holder's entry.
    assert.ok(responses.some(r => /collapsed/.test(String(r.headers['cache-status']))))
  })

  it('falls back to its own upstream call within a bound when the lock holder dies', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const prefix = `test:${randomUUID()}:`
    const { app, config } = await build(t, sim, { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix })
    const redis = new Redis(redisUrl())
    t.after(() => redis.quit())

    // A replica took the lock and died: it never writes the entry, the lock only expires.
    const { key } = createKeys(prefix, config.DATATURE_VI_ORGANIZATION_ID).dataset('ds1')
    assert.equal(await redis.set(`${key}:lock`, 'dead-replica', 'PX', 400, 'NX'), 'OK')

    const started = Date.now()
    const responses = await Promise.all(Array.from({ length: 20 }, () => app.inject({ url: '/v1/datasets/ds1', headers: AUTH })))
    const elapsed = Date.now() - started
    assert.ok(responses.every(r => r.statusCode === 200))
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
    assert.ok(elapsed >= 350, `waited for the lock (${elapsed} ms)`)
    assert.ok(elapsed < 3000, `fell back within the bound (${elapsed} ms)`)
    // It took the lock over, stored the entry and released the lock.
    assert.equal(await redis.exists(`${key}:lock`), 0)
    const hit = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.match(String(hit.headers['cache-status']), /; hit;/)
  })

  it('stops waiting for another replica\'s lock at the request deadline', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const prefix = `test:${randomUUID()}:`
    const { app, config } = await build(t, sim, { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, REQUEST_TIMEOUT_MS: '300' })
    const redis = new Redis(redisUrl())
    t.after(() => redis.quit())

    // Replica A holds the lock (for longer than the lock wait) while it loads.
    const { key } = createKeys(prefix, config.DATATURE_VI_ORGANIZATION_ID).dataset('ds1')
    assert.equal(await redis.set(`${key}:lock`, 'replica-a', 'PX', 10_000, 'NX'), 'OK')

    const started = Date.now()
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    const elapsed = Date.now() - started
    assert.equal(res.statusCode, 504)
    assert.equal(res.json().code, 'BFF_REQUEST_TIMEOUT')
    assert.match(String(res.headers['content-type']), /application\/problem\+json/)
    assert.ok(elapsed < 2000, `answered at the deadline, not after the lock wait (${elapsed} ms)`)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 0)
    assert.equal(await redis.get(`${key}:lock`), 'replica-a', 'the other replica\'s lock is left alone')
  })
})
