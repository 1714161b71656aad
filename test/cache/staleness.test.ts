import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, ORG, apiCalls, redisUrl, sleep } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
const status = (res: { headers: Record<string, unknown> }) => String(res.headers['cache-status'])

async function until (what: string, check: () => boolean | Promise<boolean>, ms = 2000) {
  const deadline = Date.now() + ms
  while (!await check()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`)
    await sleep(10)
  }
}

for (const store of ['memory', 'redis'] as const) {
  const env = store === 'redis' ? { REDIS_URL: redisUrl() } : {}
  const get = (app: FastifyInstance, headers: Record<string, string> = {}) => app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, ...headers } })

  describe(`stale-while-revalidate (${store})`, () => {
    it('serves the stale entry labelled as such and refreshes it once in the background', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Old' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_DATASET_S: '1', CACHE_STALE_S: '30' })
      await get(app)
      sim.addDataset(ORG, { id: 'ds1', name: 'New' })
      sim.fault({ path: D('ds1'), delayMs: 200, times: 1 })
      await sleep(1100)

      const stale = await Promise.all(Array.from({ length: 20 }, () => get(app)))
      for (const res of stale) {
        assert.equal(res.statusCode, 200)
        assert.equal(res.json().name, 'Old')
        assert.match(status(res), /^vi-bff; hit; ttl=-?\d+; detail=stale-while-revalidate$/)
      }
      // Served at once, not after the 200 ms refresh.
      await until('the background refresh', async () => !/stale-while-revalidate/.test(status(await get(app))))
      const fresh = await get(app)
      assert.equal(fresh.json().name, 'New')
      assert.match(status(fresh), /^vi-bff; hit; ttl=\d+$/)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
    })

    it('keeps serving stale when the background refresh fails, and tries again on a later request', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Old' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_DATASET_S: '1', CACHE_STALE_S: '30', UPSTREAM_MAX_RETRIES: '0' })
      await get(app)
      await sleep(1100)
      sim.fault({ path: D('ds1'), status: 500, times: 1 })
      assert.match(status(await get(app)), /detail=stale-while-revalidate/)
      await until('the failed refresh', () => apiCalls(sim, 'GET', D('ds1')) === 2)
      await sleep(20)
      assert.match(status(await get(app)), /detail=stale-while-revalidate/)
      await until('the second refresh', () => apiCalls(sim, 'GET', D('ds1')) === 3)
      await until('the refreshed entry', async () => /^vi-bff; hit; ttl=\d+$/.test(status(await get(app))))
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 3)
    })
  })

  describe(`stale-if-error (${store})`, () => {
    it('serves the stale entry when upstream answers 5xx, labelled with the failure', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Old' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_DATASET_S: '1', CACHE_STALE_S: '0', CACHE_STALE_IF_ERROR_S: '60' })
      const first = await get(app)
      await sleep(1100)
      const remove = sim.fault({ path: D('ds1'), status: 500 })
      const res = await get(app)
      assert.equal(res.statusCode, 200)
      assert.equal(res.body, first.body)
      assert.equal(res.headers.etag, first.headers.etag)
      assert.match(status(res), /^vi-bff; fwd=stale; fwd-status=502; ttl=-\d+; detail=stale-if-error$/)
      // Not stored: the next request tries upstream again.
      const callsBefore = apiCalls(sim, 'GET', D('ds1'))
      await get(app)
      assert.ok(apiCalls(sim, 'GET', D('ds1')) > callsBefore)
      remove()
      sim.addDataset(ORG, { id: 'ds1', name: 'New' })
      const healed = await get(app)
      assert.equal(healed.json().name, 'New')
      assert.match(status(healed), /fwd=stale; stored/)
    })

    it('serves the stale entry when upstream times out, within the timeout', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Old' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_DATASET_S: '1', CACHE_STALE_S: '0', CACHE_STALE_IF_ERROR_S: '60', UPSTREAM_HEADERS_TIMEOUT_MS: '300' })
      await get(app)
      await sleep(1100)
      sim.fault({ path: D('ds1'), delayMs: 20_000 })
      const started = Date.now()
      const res = await get(app)
      // Three attempts (a GET timeout is retried) of 300 ms (undici's timers tick per second), not the upstream's 20 s.
      assert.ok(Date.now() - started < 8000)
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().name, 'Old')
      assert.match(status(res), /fwd=stale; fwd-status=504; ttl=-\d+; detail=stale-if-error/)
    })

    it('answers the error once the stale-if-error window is over, and never for 4xx', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim, { ...env, CACHE_TTL_DATASET_S: '1', CACHE_STALE_S: '0', CACHE_STALE_IF_ERROR_S: '1', UPSTREAM_MAX_RETRIES: '0' })
      await get(app)
      await sleep(1100)
      sim.fault({ path: D('ds1'), status: 400, times: 1 })
      assert.equal((await get(app)).statusCode, 400)
      await sleep(1000)
      sim.fault({ path: D('ds1'), status: 500, times: 1 })
      const res = await get(app)
      assert.equal(res.statusCode, 502)
      assert.equal(res.headers['cache-status'], undefined)
    })
  })

  describe(`ETag and Cache-Control (${store})`, () => {
    it('answers 304 to a matching If-None-Match without an upstream call', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const exportId = sim.addExport(ORG, 'ds1', { state: 'ready' })
      const { app } = await build(t, sim, env)
      for (const url of ['/v1/datasets/ds1', '/v1/datasets', '/v1/datasets/ds1/exports', `/v1/datasets/ds1/exports/${exportId}`]) {
        const first = await app.inject({ url, headers: AUTH })
        const etag = String(first.headers.etag)
        assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/)
        const calls = apiCalls(sim)
        for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
          const res = await app.inject({ url, headers: { ...AUTH, 'if-none-match': inm } })
          assert.equal(res.statusCode, 304, `${url} ${inm}`)
          assert.equal(res.body, '')
          assert.equal(res.headers.etag, etag)
          assert.match(status(res), /; hit;/)
        }
        assert.equal((await app.inject({ url, headers: { ...AUTH, 'if-none-match': '"other"' } })).statusCode, 200)
        assert.equal(apiCalls(sim), calls)
      }
    })

    it('gives a changed resource a new ETag, so an old If-None-Match gets the new body', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', assetTotal: 10 })
      const { app } = await build(t, sim, env)
      const etag = String((await get(app)).headers.etag)
      await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: {} })
      const res = await get(app, { 'if-none-match': etag })
      assert.equal(res.statusCode, 200)
      assert.notEqual(res.headers.etag, etag)
      assert.equal(res.json().statistic.assetTotal, 7)
    })

    it('reads upstream for Cache-Control: no-cache (or Pragma: no-cache) and stores the result', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Old' })
      const { app } = await build(t, sim, env)
      await get(app)
      sim.addDataset(ORG, { id: 'ds1', name: 'New' })
      assert.equal((await get(app)).json().name, 'Old')

      const forced = await get(app, { 'cache-control': 'no-cache' })
      assert.equal(forced.json().name, 'New')
      assert.match(status(forced), /^vi-bff; fwd=request; stored$/)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
      const hit = await get(app)
      assert.equal(hit.json().name, 'New')
      assert.match(status(hit), /; hit;/)

      assert.match(status(await get(app, { pragma: 'no-cache' })), /fwd=request/)
      assert.match(status(await get(app, { 'cache-control': 'max-age=0' })), /fwd=request/)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 4)
    })
  })
}
