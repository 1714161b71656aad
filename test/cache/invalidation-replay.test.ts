import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, ORG, sleep } from '../helper.js'
import { freePort, startRedisServer } from '../../scripts/redis.js'
import pino from 'pino'
import { createCache } from '../../src/cache/cache.js'
import { createMemoryStore } from '../../src/cache/memory-store.js'
import type { Store } from '../../src/cache/store.js'

const status = (res: { headers: Record<string, unknown> }) => String(res.headers['cache-status'])
const metric = async (app: FastifyInstance, name: string) =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec((await app.inject({ url: '/metrics' })).body)?.[1])

describe('an acknowledged invalidation is never undone by the cache', () => {
  it('a DELETE answered while Redis is unreachable is kept, replayed once Redis answers, and the old entry is never served again', async t => {
    const port = await freePort()
    const redis = await startRedisServer(port)
    t.after(() => { redis.kill('SIGCONT'); redis.kill('SIGKILL') })
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: `test:${randomUUID()}:`, LOG_LEVEL: 'info' }
    const a = (await build(t, sim, env)).app
    const b = (await build(t, sim, env)).app
    const get = (app: FastifyInstance) => app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    for (const app of [a, b]) {
      assert.equal((await get(app)).statusCode, 200)
      assert.match(status(await get(app)), /; hit;/, 'cached on both replicas')
    }

    // Redis stops answering (SIGSTOP keeps its data, as a partition or a stalled failover would).
    redis.kill('SIGSTOP')
    const deleted = await a.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(deleted.statusCode, 202)
    assert.ok(await metric(a, 'vibff_cache_pending_invalidations') >= 1, 'the failed invalidation is kept')
    const during = await get(a)
    assert.equal(during.statusCode, 404, 'A never serves what it acknowledged deleting')

    redis.kill('SIGCONT')
    const resumedAt = Date.now()
    // A replays on its retry timer (or on its next read of the scope); it never serves the old entry meanwhile.
    while (await metric(a, 'vibff_cache_pending_invalidations') > 0) {
      const res = await get(a)
      assert.equal(res.statusCode, 404, `A served the deleted dataset: ${status(res)}`)
      assert.ok(Date.now() - resumedAt < 15_000, 'replayed within 15 s of Redis answering')
      await sleep(50)
    }
    const replayMs = Date.now() - resumedAt
    assert.ok(await metric(a, 'vibff_cache_invalidation_replays_total') >= 1)
    t.diagnostic(`replayed ${replayMs} ms after Redis answered again`)

    // From A's replay on, neither replica serves the old entry.
    for (let i = 0; i < 20; i++) {
      for (const [name, app] of [['A', a], ['B', b]] as const) {
        const res = await get(app)
        assert.equal(res.statusCode, 404, `${name} served the deleted dataset after the replay: ${status(res)}`)
      }
      await sleep(50)
    }
  })

  it('a read of a scope with a pending invalidation writes it first when Redis answers', async t => {
    const port = await freePort()
    const redis = await startRedisServer(port)
    t.after(() => { redis.kill('SIGCONT'); redis.kill('SIGKILL') })
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', assetTotal: 50 })
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: `test:${randomUUID()}:` }
    const { app } = await build(t, sim, env)
    const get = () => app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal((await get()).json().statistic.assetTotal, 50)
    assert.match(status(await get()), /; hit;/)
    redis.kill('SIGSTOP')
    assert.equal((await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: {} })).statusCode, 202)
    const pending = await get()
    assert.equal(pending.json().statistic.assetTotal, 47)
    assert.match(status(pending), /detail=(invalidation-pending|cache-unavailable)/)
    redis.kill('SIGCONT')
    // The next reads replay the invalidation (or the timer did), then use Redis again: fresh data, then hits.
    let hit = false
    for (let i = 0; i < 200 && !hit; i++) {
      const res = await get()
      assert.equal(res.json().statistic.assetTotal, 47, status(res))
      hit = /; hit;/.test(status(res))
      if (!hit) await sleep(50)
    }
    assert.ok(hit, 'the cache is used again')
    assert.equal(app.cache.pendingInvalidations(), 0)
  })
})

describe('after the store recovers', () => {
  it('does not serve entries stored before the recovery for a short fence (another replica may still replay an invalidation)', async () => {
    const inner = createMemoryStore({ maxEntries: 10, maxBytes: 1024 * 1024 })
    let ready = () => {}
    const store: Store = { ...inner, kind: 'redis', state: () => 'ok', acquire: async () => 'token', release: async () => {}, onReady: l => { ready = l } }
    const cache = createCache({ store, log: pino({ level: 'silent' }), notFoundTtlMs: 1000, recoveryFenceMs: 400 })
    let loads = 0
    const lookup = { kind: 'dataset', key: 'k', genKey: 'g', isNotFound: () => false, load: async () => ({ body: `{"load":${++loads}}`, policy: { freshMs: 60_000, staleMs: 0, errorMs: 0 } }) }
    assert.equal((await cache.get(lookup)).entry.b, '{"load":1}')
    assert.match((await cache.get(lookup)).cacheStatus, /; hit;/)
    await sleep(5)
    ready()
    const after = await cache.get(lookup)
    assert.equal(after.entry.b, '{"load":2}', 'the entry stored before the recovery is not served')
    assert.match(after.cacheStatus, /fwd=miss; stored/)
    assert.match((await cache.get(lookup)).cacheStatus, /; hit;/, 'the entry stored after it is')
    await sleep(450)
    assert.match((await cache.get(lookup)).cacheStatus, /; hit;/)
    assert.equal(loads, 2)
  })
})
