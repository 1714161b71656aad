import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { startSim, build, AUTH, ORG, apiCalls, redisUrl } from '../helper.js'
import { createKeys } from '../../src/cache/keys.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
const status = (res: { headers: Record<string, unknown> }) => String(res.headers['cache-status'])

describe('Redis integrity', () => {
  for (const setup of ['one replica', 'write on another replica'] as const) {
    it(`a lost generation never revives an invalidated entry (${setup})`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', assetTotal: 50 })
      const env = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `test:${randomUUID()}:` }
      const { app: reader, config } = await build(t, sim, env)
      const writer = setup === 'one replica' ? reader : (await build(t, sim, env)).app
      const redis = new Redis(redisUrl())
      t.after(() => redis.quit())
      const keys = createKeys(env.REDIS_KEY_PREFIX, config.DATATURE_VI_ORGANIZATION_ID)

      assert.equal((await reader.inject({ url: '/v1/datasets/ds1', headers: AUTH })).json().statistic.assetTotal, 50)
      assert.equal((await reader.inject({ url: '/v1/datasets', headers: AUTH })).json().items[0].statistic.assetTotal, 50)
      assert.match(status(await reader.inject({ url: '/v1/datasets/ds1', headers: AUTH })), /; hit;/)

      assert.equal((await writer.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: {} })).statusCode, 202)
      // Redis loses the generations the write just bumped (evicted, expired or flushed); the old entries are still there.
      const { key, genKey } = keys.dataset('ds1')
      assert.equal(await redis.del(genKey, keys.datasetList(50).genKey), 2)
      assert.equal(await redis.exists(key), 1)

      const after = await reader.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(after.json().statistic.assetTotal, 47)
      assert.doesNotMatch(status(after), /; hit;/)
      assert.equal((await reader.inject({ url: '/v1/datasets', headers: AUTH })).json().items[0].statistic.assetTotal, 47)
      // The fresh generation serves the new entry from then on.
      assert.match(status(await reader.inject({ url: '/v1/datasets/ds1', headers: AUTH })), /; hit;/)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
    })
  }

  it('a corrupt entry is a miss that is rewritten, not a Redis failure', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const prefix = `test:${randomUUID()}:`
    const { app, config } = await build(t, sim, { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix })
    const redis = new Redis(redisUrl())
    t.after(() => redis.quit())
    const { key } = createKeys(prefix, config.DATATURE_VI_ORGANIZATION_ID).dataset('ds1')

    const first = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(first.statusCode, 200)
    const corrupt = [
      async () => redis.set(key, '{"g":1,"t":1,"f\n{"datasetId":"ds1"}', 'PX', 60_000),
      async () => redis.set(key, 'written by something else', 'PX', 60_000),
      async () => redis.set(key, '{"g":"one","t":1,"f":2,"s":2,"x":2,"n":200,"e":"x"}\n{}', 'PX', 60_000),
      async () => { await redis.del(key); await redis.hset(key, 'not', 'an entry') }
    ]
    for (const [i, spoil] of [...corrupt, ...corrupt].entries()) {
      await spoil()
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(res.statusCode, 200)
      assert.equal(res.body, first.body)
      assert.match(status(res), /fwd=miss; stored/, `corruption ${i}`)
      const stored = await redis.get(key)
      assert.ok(stored?.endsWith(`\n${first.body}`), `rewritten after corruption ${i}`)
    }
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1 + 2 * corrupt.length)
    assert.match(status(await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })), /; hit;/)
    assert.equal((await app.inject({ url: '/readyz' })).json().checks.cache, 'ok')
    assert.match((await app.inject({ url: '/metrics' })).body, /^vibff_cache_degraded 0$/m)
  })
})
