import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, apiCalls, redisUrl, sleep } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
const E = (d: string, e: string) => `${D(d)}/datasetExports/${e}`

for (const store of ['memory', 'redis'] as const) {
  const env = store === 'redis' ? { REDIS_URL: redisUrl() } : {}

  describe(`negative caching (${store})`, () => {
    it('caches an upstream 404 briefly, then asks again', async t => {
      const sim = await startSim(t)
      const { app } = await build(t, sim, { ...env, CACHE_TTL_NOT_FOUND_S: '1' })
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ url: '/v1/datasets/nope', headers: AUTH })
        assert.equal(res.statusCode, 404)
        assert.equal(res.json().code, 'BFF_DATASET_NOT_FOUND')
      }
      assert.equal(apiCalls(sim, 'GET', D('nope')), 1)
      for (let i = 0; i < 2; i++) assert.equal((await app.inject({ url: '/v1/datasets/ds1/exports/nope', headers: AUTH })).statusCode, 404)
      assert.equal(apiCalls(sim, 'GET', E('ds1', 'nope')), 1)

      sim.addDataset(ORG, { id: 'nope' })
      await sleep(1100)
      assert.equal((await app.inject({ url: '/v1/datasets/nope', headers: AUTH })).statusCode, 200)
      assert.equal(apiCalls(sim, 'GET', D('nope')), 2)
    })

    it('does not cache a 404 when CACHE_TTL_NOT_FOUND_S is 0, nor any other error', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_NOT_FOUND_S: '0', UPSTREAM_MAX_RETRIES: '0' })
      assert.equal((await app.inject({ url: '/v1/datasets/nope', headers: AUTH })).statusCode, 404)
      assert.equal((await app.inject({ url: '/v1/datasets/nope', headers: AUTH })).statusCode, 404)
      assert.equal(apiCalls(sim, 'GET', D('nope')), 2)

      sim.fault({ path: D('ds1'), status: 500, times: 1 })
      assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 502)
      sim.fault({ path: D('ds1'), status: 409, times: 1 })
      assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 409)
      assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 3)
    })
  })

  describe(`export TTL follows its state (${store})`, () => {
    it('keeps a pending export short-lived so polling sees it become ready, then keeps the ready one', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_EXPORT_PENDING_S: '1', CACHE_TTL_EXPORT_READY_S: '300' })
      const exportId = sim.addExport(ORG, 'ds1', { readyAfterMs: 1500 })

      const started = Date.now()
      let state = 'pending'
      let polls = 0
      while (state === 'pending') {
        assert.ok(Date.now() - started < 4000, 'the export became ready within a bound')
        const res = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH })
        assert.equal(res.statusCode, 200)
        state = res.json().status.state
        polls++
        if (state === 'pending') await sleep(100)
      }
      assert.equal(state, 'ready')
      // Seen ready no later than one pending TTL after it became ready.
      assert.ok(Date.now() - started < 1500 + 1000 + 300, `seen ready after ${Date.now() - started} ms`)
      const pendingCalls = apiCalls(sim, 'GET', E('ds1', exportId))
      assert.ok(pendingCalls >= 2 && pendingCalls <= 4, `${pendingCalls} upstream reads for ${polls} polls`)

      const again = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH })
      assert.equal(again.json().status.state, 'ready')
      const ttl = Number(/ttl=(\d+)/.exec(String(again.headers['cache-status']))?.[1])
      assert.ok(ttl > 250 && ttl <= 300, `ready TTL ${ttl}`)
      assert.equal(apiCalls(sim, 'GET', E('ds1', exportId)), pendingCalls)
    })

    it('never keeps a ready export past shortly before its signed URL expires', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      // The signed URL lives 65 s; vi-bff keeps a 60 s margin, so at most 5 s of caching.
      const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', urlTtlMs: 65_000 })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_EXPORT_READY_S: '300' })
      await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH })
      const hit = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH })
      const ttl = Number(/; hit; ttl=(\d+)/.exec(String(hit.headers['cache-status']))?.[1])
      assert.ok(ttl >= 3 && ttl <= 5, `ttl=${ttl}`)

      // A URL that expires within the margin is not cached at all.
      const shortId = sim.addExport(ORG, 'ds1', { state: 'ready', urlTtlMs: 30_000 })
      for (let i = 0; i < 2; i++) await app.inject({ url: `/v1/datasets/ds1/exports/${shortId}`, headers: AUTH })
      assert.equal(apiCalls(sim, 'GET', E('ds1', shortId)), 2)
    })

    it('keeps a failed export for the failed TTL', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const exportId = sim.addExport(ORG, 'ds1', { state: 'failed' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_EXPORT_FAILED_S: '120' })
      const first = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH })
      assert.equal(first.json().status.state, 'failed')
      const hit = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH })
      const ttl = Number(/; hit; ttl=(\d+)/.exec(String(hit.headers['cache-status']))?.[1])
      assert.ok(ttl > 100 && ttl <= 120, `ttl=${ttl}`)
      assert.equal(apiCalls(sim, 'GET', E('ds1', exportId)), 1)
    })
  })
}
