import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, READ_KEY, apiCalls, sleep } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`

describe('POST /v1/datasets/:datasetId/exports', () => {
  it('sends the SDK\'s spec with every key and answers 202 DatasetExport', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: { format: 'VI_JSONL', options: { splitRatio: 0.8 } } })
    assert.equal(res.statusCode, 202)
    const call = sim.requests.at(-1)!
    assert.equal(call.method, 'POST')
    assert.equal(call.path, `${D('ds1')}/datasetExports`)
    assert.equal(call.headers['content-type'], 'application/json')
    assert.deepEqual(call.body, { spec: { format: 'ViJsonl', options: { normalized: true, splitRatio: 0.8 } } })
    const exp = res.json()
    assert.equal(exp.datasetId, 'ds1')
    assert.deepEqual(exp.spec, { format: 'VI_JSONL', options: { normalized: true, splitRatio: 0.8 } })
    assert.equal(exp.status.state, 'pending')
    assert.equal(exp.status.downloadUrl, null)
    assert.equal(exp.selfLink, `/v1/datasets/ds1/exports/${exp.datasetExportId}`)
    assert.equal(res.headers.location, exp.selfLink)
  })

  it('applies the SDK defaults when the body is empty or absent', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    for (const payload of [undefined, {}]) {
      const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, ...(payload ? { payload } : {}) })
      assert.equal(res.statusCode, 202)
      assert.deepEqual(sim.requests.at(-1)!.body, { spec: { format: 'ViFull', options: { normalized: true, splitRatio: null } } })
    }
  })

  const invalid: Array<[unknown, string]> = [
    [{ format: 'vi_jsonl' }, 'body.format'],
    [{ options: { splitRatio: 1.5 } }, 'body.options.splitRatio'],
    [{ options: { splitRatio: 0 } }, 'body.options.splitRatio'],
    [{ options: { split_ratio: 0.8 } }, 'body.options.split_ratio'],
    [{ options: { normalized: 'yes' } }, 'body.options.normalized'],
    [{ formats: 'VI_FULL' }, 'body.formats'],
    [[1, 2], 'body']
  ]
  for (const [payload, path] of invalid) {
    it(`rejects ${JSON.stringify(payload)} naming ${path}, sending nothing upstream`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim)
      const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: payload as object })
      assert.equal(res.statusCode, 400)
      const body = res.json()
      assert.equal(body.code, 'BFF_VALIDATION_FAILED')
      assert.ok(body.errors.some((e: { path: string }) => e.path === path), JSON.stringify(body.errors))
      assert.equal(apiCalls(sim), 0)
    })
  }

  it('maps upstream 400 with its message, and 404', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'POST', path: `${D('ds1')}/datasetExports`, status: 400, body: { message: 'split ratio unsupported for this dataset' }, times: 1 })
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'BFF_UPSTREAM_REJECTED')
    assert.match(res.json().detail, /split ratio unsupported/)
    const missing = await app.inject({ method: 'POST', url: '/v1/datasets/nope/exports', headers: AUTH, payload: {} })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'BFF_DATASET_NOT_FOUND')
  })

  it('needs the exports:write scope', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { 'x-api-key': READ_KEY }, payload: {} })
    assert.equal(res.statusCode, 403)
    assert.equal(apiCalls(sim), 0)
  })
})

describe('GET /v1/datasets/:datasetId/exports/:exportId', () => {
  it('derives status.state and never returns the signed URL', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const ready = sim.addExport(ORG, 'ds1', { id: 'exp-ready', state: 'ready', format: 'ViFull' })
    const failed = sim.addExport(ORG, 'ds1', { id: 'exp-failed', state: 'failed' })
    const pending = sim.addExport(ORG, 'ds1', { id: 'exp-pending', state: 'pending' })
    const { app } = await build(t, sim)

    const r = await app.inject({ url: `/v1/datasets/ds1/exports/${ready}`, headers: AUTH })
    assert.equal(r.statusCode, 200)
    const exp = r.json()
    assert.equal(exp.status.state, 'ready')
    assert.equal(exp.spec.format, 'VI_FULL')
    assert.equal(exp.status.downloadUrl.url, '/v1/datasets/ds1/exports/exp-ready/archive')
    assert.equal(typeof exp.status.downloadUrl.expiresAt, 'number')
    assert.equal(r.body.includes(sim.storageUrl), false)
    assert.equal(r.body.includes('sig='), false)
    assert.equal(sim.requests.at(-1)!.path, `${D('ds1')}/datasetExports/exp-ready`)

    assert.equal((await app.inject({ url: `/v1/datasets/ds1/exports/${failed}`, headers: AUTH })).json().status.state, 'failed')
    assert.equal((await app.inject({ url: `/v1/datasets/ds1/exports/${pending}`, headers: AUTH })).json().status.state, 'pending')
  })

  it('sees a new export become ready', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const created = (await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })).json()
    await sleep(1500)
    const res = await app.inject({ url: `/v1/datasets/ds1/exports/${created.datasetExportId}`, headers: { ...AUTH, 'cache-control': 'no-cache' } })
    assert.equal(res.json().status.state, 'ready')
  })

  it('maps upstream 404 to BFF_EXPORT_NOT_FOUND and validates both ids', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/ds1/exports/nope', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'BFF_EXPORT_NOT_FOUND')
    const bad = await app.inject({ url: '/v1/datasets/ds1/exports/a_b', headers: AUTH })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].path, 'params.exportId')
  })
})

describe('GET /v1/datasets/:datasetId/exports', () => {
  it('lists exports with pagination', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    for (let i = 0; i < 3; i++) sim.addExport(ORG, 'ds1', { state: 'ready' })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/ds1/exports?pageSize=2', headers: AUTH })
    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.equal(body.items.length, 2)
    assert.equal(typeof body.nextPageToken, 'string')
    const call = sim.requests.at(-1)!
    assert.equal(call.path, `${D('ds1')}/datasetExports`)
    assert.deepEqual(call.query, { pageSize: '2' })
    for (const e of body.items) assert.match(e.status.downloadUrl.url, /^\/v1\/datasets\/ds1\/exports\/[^/]+\/archive$/)
    const next = await app.inject({ url: `/v1/datasets/ds1/exports?pageSize=2&pageToken=${encodeURIComponent(body.nextPageToken)}`, headers: AUTH })
    assert.equal(next.json().items.length, 1)
    assert.equal(next.json().nextPageToken, null)
  })

  it('maps upstream 404 for an unknown dataset', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/nope/exports', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'BFF_DATASET_NOT_FOUND')
  })
})
