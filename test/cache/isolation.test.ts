import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { startSim, build, AUTH, ORG, OTHER_ORG, OTHER_SECRET, apiCalls, redisUrl } from '../helper.js'
import { createKeys } from '../../src/cache/keys.js'

describe('cache keys', () => {
  const a = createKeys('vi-bff:', ORG)
  const b = createKeys('vi-bff:', OTHER_ORG)

  it('carry the prefix, a schema version and the organisation in every key', () => {
    const all = [
      a.dataset('ds1'), a.datasetList(50), a.datasetList(50, 'tok'), a.export('ds1', 'e1'), a.exportList('ds1', 50)
    ]
    for (const { key, genKey } of all) {
      for (const k of [key, genKey]) {
        assert.ok(k.startsWith('vi-bff:v1:'), k)
        assert.ok(k.includes(ORG), k)
      }
    }
    assert.ok(a.invalidates.datasetDeleted('ds1').every(k => k.includes(ORG)))
  })

  it('never give two organisations the same key for the same ids', () => {
    assert.notEqual(a.dataset('ds1').key, b.dataset('ds1').key)
    assert.notEqual(a.dataset('ds1').genKey, b.dataset('ds1').genKey)
    assert.notEqual(a.datasetList(50).key, b.datasetList(50).key)
    assert.notEqual(a.export('ds1', 'e1').key, b.export('ds1', 'e1').key)
    assert.notEqual(a.exportList('ds1', 50).key, b.exportList('ds1', 50).key)
  })

  it('separate kinds, pages and page tokens, and do not put raw page tokens in keys', () => {
    const keys = [a.dataset('ds1').key, a.export('ds1', 'ds1').key, a.exportList('ds1', 50).key, a.exportList('ds1', 10).key,
      a.datasetList(50).key, a.datasetList(50, 'x').key, a.datasetList(50, 'y').key, a.datasetList(10, 'x').key]
    assert.equal(new Set(keys).size, keys.length)
    assert.ok(!a.datasetList(50, 'secret-token-value').key.includes('secret-token-value'))
  })

  it('put an entry, its generation and its lock in one Redis Cluster slot (same hash tag)', () => {
    const tag = (k: string) => /\{([^}]*)\}/.exec(k)?.[1]
    for (const { key, genKey } of [a.dataset('ds1'), a.export('ds1', 'e1'), a.exportList('ds1', 5), a.datasetList(5)]) {
      assert.ok(tag(key))
      assert.equal(tag(key), tag(genKey))
      assert.equal(tag(`${key}:lock`), tag(key))
    }
  })

  it('invalidate what each write changes', () => {
    const d = a.invalidates.datasetDeleted('ds1')
    for (const k of [a.dataset('ds1').genKey, a.export('ds1', 'e').genKey, a.exportList('ds1', 1).genKey, a.datasetList(1).genKey]) assert.ok(d.includes(k))
    assert.deepEqual(a.invalidates.exportCreated('ds1'), [a.exportList('ds1', 1).genKey])
    assert.ok(a.invalidates.assetsDeleted('ds1').includes(a.dataset('ds1').genKey))
    assert.ok(!a.invalidates.assetsDeleted('ds1').includes(a.dataset('ds2').genKey))
  })
})

describe('organisation isolation', () => {
  for (const store of ['memory', 'redis'] as const) {
    it(`two deployments for two organisations sharing one ${store === 'redis' ? 'Redis and key prefix' : 'process layout'} never read each other's entries`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Org A data', assetTotal: 10 })
      sim.addDataset(OTHER_ORG, { id: 'ds1', name: 'Org B data', assetTotal: 20 })
      const prefix = `test:${randomUUID()}:`
      const shared = store === 'redis' ? { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix } : {}
      const { app: a } = await build(t, sim, shared)
      const { app: b } = await build(t, sim, { ...shared, DATATURE_VI_ORGANIZATION_ID: OTHER_ORG, DATATURE_VI_SECRET_KEY: OTHER_SECRET })

      for (let i = 0; i < 2; i++) {
        const ra = await a.inject({ url: '/v1/datasets/ds1', headers: AUTH })
        const rb = await b.inject({ url: '/v1/datasets/ds1', headers: AUTH })
        assert.equal(ra.json().name, 'Org A data')
        assert.equal(ra.json().organizationId, ORG)
        assert.equal(rb.json().name, 'Org B data')
        assert.equal(rb.json().organizationId, OTHER_ORG)
        assert.equal((await a.inject({ url: '/v1/datasets', headers: AUTH })).json().items[0].name, 'Org A data')
        assert.equal((await b.inject({ url: '/v1/datasets', headers: AUTH })).json().items[0].name, 'Org B data')
      }
      // Each organisation's entries were loaded by its own deployment, once.
      assert.equal(apiCalls(sim, 'GET', `/workspaces/${ORG}/datasets/${ORG}_ds1`), 1)
      assert.equal(apiCalls(sim, 'GET', `/workspaces/${OTHER_ORG}/datasets/${OTHER_ORG}_ds1`), 1)

      // A write in one organisation leaves the other's entries alone.
      await b.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
      assert.match(String((await a.inject({ url: '/v1/datasets/ds1', headers: AUTH })).headers['cache-status']), /; hit;/)
      assert.equal((await b.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 404)

      if (store === 'redis') {
        const redis = new Redis(redisUrl())
        t.after(() => redis.quit())
        const keys = await redis.keys(`${prefix}*`)
        assert.ok(keys.some(k => k.includes(ORG)) && keys.some(k => k.includes(OTHER_ORG)))
        assert.ok(keys.every(k => k.includes(ORG) !== k.includes(OTHER_ORG)), 'every key names exactly one organisation')
      }
    })
  }
})
