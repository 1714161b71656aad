import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, ORG, apiCalls, redisUrl, sleep } from '../helper.js'
import type { SimUpstream } from '../../sim/index.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
const LIST = `/workspaces/${ORG}/datasets`
const get = (app: FastifyInstance, url: string) => app.inject({ url, headers: AUTH })
const status = (res: { headers: Record<string, unknown> }) => String(res.headers['cache-status'])

type Setup = 'memory' | 'redis' | 'redis, write on another replica'

/** A reading replica and a writing one: the same app, or two apps sharing one Redis prefix. */
async function replicas (t: TestContext, sim: SimUpstream, setup: Setup, env: Record<string, string> = {}) {
  if (setup === 'memory') {
    const { app } = await build(t, sim, env)
    return { reader: app, writer: app }
  }
  const shared = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `test:${randomUUID()}:`, ...env }
  const { app: reader } = await build(t, sim, shared)
  const writer = setup === 'redis' ? reader : (await build(t, sim, shared)).app
  return { reader, writer }
}

describe('TTL expiry', () => {
  for (const store of ['memory', 'redis'] as const) {
    it(`re-reads a dataset and a list page from upstream once their TTL ends (${store})`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1', name: 'Before' })
      const { reader: app } = await replicas(t, sim, store, { CACHE_TTL_DATASET_S: '1', CACHE_TTL_LIST_S: '1', CACHE_STALE_S: '0' })

      assert.equal((await get(app, '/v1/datasets/ds1')).json().name, 'Before')
      await get(app, '/v1/datasets')
      sim.addDataset(ORG, { id: 'ds1', name: 'After' })
      const cached = await get(app, '/v1/datasets/ds1')
      assert.equal(cached.json().name, 'Before')
      assert.match(status(cached), /; hit; ttl=[01]$/)
      assert.equal((await get(app, '/v1/datasets')).json().items[0].name, 'Before')
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
      assert.equal(apiCalls(sim, 'GET', LIST), 1)

      await sleep(1100)
      const fresh = await get(app, '/v1/datasets/ds1')
      assert.equal(fresh.json().name, 'After')
      assert.match(status(fresh), /fwd=stale; stored/)
      assert.equal((await get(app, '/v1/datasets')).json().items[0].name, 'After')
      assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
      assert.equal(apiCalls(sim, 'GET', LIST), 2)
    })
  }
})

describe('invalidation on writes', () => {
  for (const setup of ['memory', 'redis', 'redis, write on another replica'] as const) {
    describe(setup, () => {
      it('delete dataset drops the dataset, its exports, its export list and the dataset lists', async t => {
        const sim = await startSim(t)
        sim.addDataset(ORG, { id: 'ds1' })
        sim.addDataset(ORG, { id: 'ds2' })
        const exportId = sim.addExport(ORG, 'ds1', { state: 'ready' })
        const { reader, writer } = await replicas(t, sim, setup)
        const urls = ['/v1/datasets/ds1', '/v1/datasets', '/v1/datasets/ds1/exports', `/v1/datasets/ds1/exports/${exportId}`, '/v1/datasets/ds2']
        for (const url of urls) assert.equal((await get(reader, url)).statusCode, 200)
        for (const url of urls) assert.match(status(await get(reader, url)), /; hit;/, url)
        const before = apiCalls(sim, 'GET')
        assert.equal(before, urls.length)

        assert.equal((await writer.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 202)

        assert.equal((await get(reader, '/v1/datasets/ds1')).statusCode, 404)
        assert.equal((await get(reader, `/v1/datasets/ds1/exports/${exportId}`)).statusCode, 404)
        assert.equal((await get(reader, '/v1/datasets/ds1/exports')).statusCode, 404)
        const list = await get(reader, '/v1/datasets')
        assert.deepEqual(list.json().items.map((d: { datasetId: string }) => d.datasetId), ['ds2'])
        assert.equal(apiCalls(sim, 'GET'), before + 4)
        // Another dataset's entry is untouched.
        assert.match(status(await get(reader, '/v1/datasets/ds2')), /; hit;/)
        assert.equal(apiCalls(sim, 'GET'), before + 4)
      })

      it('create export drops the export list and caches the new export', async t => {
        const sim = await startSim(t)
        sim.addDataset(ORG, { id: 'ds1' })
        const { reader, writer } = await replicas(t, sim, setup)
        assert.deepEqual((await get(reader, '/v1/datasets/ds1/exports')).json().items, [])
        await get(reader, '/v1/datasets/ds1')
        assert.equal(apiCalls(sim, 'GET'), 2)

        const created = await writer.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
        assert.equal(created.statusCode, 202)
        const exportId = created.json().datasetExportId

        const list = await get(reader, '/v1/datasets/ds1/exports')
        assert.deepEqual(list.json().items.map((e: { datasetExportId: string }) => e.datasetExportId), [exportId])
        assert.match(status(list), /fwd=miss/)
        assert.equal(apiCalls(sim, 'GET', `${D('ds1')}/datasetExports`), 2)
        // The new export was stored from the create response; the dataset entry is still valid.
        const exp = await get(reader, `/v1/datasets/ds1/exports/${exportId}`)
        assert.equal(exp.statusCode, 200)
        assert.match(status(exp), /; hit;/)
        assert.equal(apiCalls(sim, 'GET', `${D('ds1')}/datasetExports/${exportId}`), 0)
        assert.match(status(await get(reader, '/v1/datasets/ds1')), /; hit;/)
      })

      it('bulk asset deletion drops the dataset so its statistics change', async t => {
        const sim = await startSim(t)
        sim.addDataset(ORG, { id: 'ds1', assetTotal: 50 })
        const { reader, writer } = await replicas(t, sim, setup)
        assert.equal((await get(reader, '/v1/datasets/ds1')).json().statistic.assetTotal, 50)
        assert.equal((await get(reader, '/v1/datasets')).json().items[0].statistic.assetTotal, 50)
        assert.match(status(await get(reader, '/v1/datasets/ds1')), /; hit;/)

        const session = await writer.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { filter: null } })
        assert.equal(session.statusCode, 202)

        const after = await get(reader, '/v1/datasets/ds1')
        assert.equal(after.json().statistic.assetTotal, 47)
        assert.match(status(after), /fwd=miss/)
        assert.equal((await get(reader, '/v1/datasets')).json().items[0].statistic.assetTotal, 47)
        assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
      })

      it('invalidates even when the write fails after reaching upstream', async t => {
        const sim = await startSim(t)
        sim.addDataset(ORG, { id: 'ds1', assetTotal: 50 })
        const { reader, writer } = await replicas(t, sim, setup)
        await get(reader, '/v1/datasets/ds1')
        // The upstream applies the deletion but the answer is lost.
        sim.fault({ method: 'POST', path: `${D('ds1')}/deleteManyAssetsSessions`, drop: 'mid-body', times: 1 })
        const failed = await writer.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: {} })
        assert.ok(failed.statusCode >= 500)
        assert.equal((await get(reader, '/v1/datasets/ds1')).json().statistic.assetTotal, 47)
      })
    })
  }
})

/** Polls a long-running operation until all its conditions are Reached (bounded). */
async function untilComplete (app: FastifyInstance, url: string) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const conditions = (await get(app, url)).json().status.conditions as Array<{ status: string }>
    if (conditions.length > 0 && conditions.every(c => c.status === 'Reached')) return
    assert.ok(Date.now() < deadline, `${url} did not complete`)
    await sleep(50)
  }
}

describe('long-running upstream operations', () => {
  it('invalidates the dataset again, once, when its asset deletion session is seen complete', async t => {
    const sim = await startSim(t, { deletionDoneAfterMs: 1000 })
    sim.addDataset(ORG, { id: 'ds1', assetTotal: 50 })
    const { app } = await build(t, sim, { REDIS_URL: redisUrl() })
    const session = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: {} })
    const poll = session.json().selfLink as string
    // Read while the session runs: the entry may hold statistics from before the deletion finished.
    assert.equal((await get(app, '/v1/datasets/ds1')).statusCode, 200)
    assert.match(status(await get(app, '/v1/datasets/ds1')), /; hit;/)
    await get(app, poll)
    assert.match(status(await get(app, '/v1/datasets/ds1')), /; hit;/, 'not invalidated while running')

    await untilComplete(app, poll)
    assert.match(status(await get(app, '/v1/datasets/ds1')), /fwd=miss/)
    await get(app, poll)
    assert.match(status(await get(app, '/v1/datasets/ds1')), /; hit;/, 'only once per session')
  })

  it('invalidates the dataset when its deletion is seen complete', async t => {
    const sim = await startSim(t, { deletionDoneAfterMs: 1000 })
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { REDIS_URL: redisUrl(), CACHE_TTL_NOT_FOUND_S: '30' })
    await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal((await get(app, '/v1/datasets/ds1')).statusCode, 404)
    assert.equal((await get(app, '/v1/datasets/ds1')).statusCode, 404)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1, 'negative entry')
    await untilComplete(app, '/v1/datasets/ds1/deletion')
    assert.equal((await get(app, '/v1/datasets/ds1')).statusCode, 404)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
  })

  it('keeps an export list page showing a pending export only as long as a pending export', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { CACHE_TTL_LIST_S: '60', CACHE_TTL_EXPORT_PENDING_S: '1' })
    sim.addExport(ORG, 'ds1', { readyAfterMs: 800 })
    const first = await get(app, '/v1/datasets/ds1/exports')
    assert.equal(first.json().items[0].status.state, 'pending')
    assert.match(status(await get(app, '/v1/datasets/ds1/exports')), /; hit; ttl=[01]$/)
    await sleep(1100)
    const later = await get(app, '/v1/datasets/ds1/exports')
    assert.equal(later.json().items[0].status.state, 'ready')
    // A page of settled exports keeps the list TTL (60 s, so ttl=60 when read within the same millisecond), not 1 s.
    const ttl = Number(/; hit; ttl=(\d+)$/.exec(status(await get(app, '/v1/datasets/ds1/exports')))?.[1])
    assert.ok(ttl > 1 && ttl <= 60, `ttl=${ttl}`)
  })
})
