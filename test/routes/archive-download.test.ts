import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { startSim, build, ORG, READ_KEY, AUTH, apiCalls, redisUrl, sleep } from '../helper.js'
import { listen, fetchArchive, eventually } from './archive-client.js'

const D = `/workspaces/${ORG}/datasets/${ORG}_ds1/datasetExports`
const posts = (sim: Parameters<typeof apiCalls>[0]) => apiCalls(sim, 'POST', D)

describe('GET /v1/datasets/:datasetId/archive (one-call download)', () => {
  it('reuses a ready export with the same settings and streams it, creating nothing', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    sim.addExport(ORG, 'ds1', { state: 'ready', format: 'ViJsonl', archiveSize: 1000 })
    const match = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 5000 })
    sim.addExport(ORG, 'ds1', { state: 'failed' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=0`)
    assert.equal(res.status, 200)
    assert.equal(res.sha256, sim.archiveSha256(ORG, match))
    assert.equal(res.headers['content-location'], `/v1/datasets/ds1/exports/${match}/archive`)
    assert.equal(res.headers['content-disposition'], `attachment; filename="ds1-${match}.zip"`)
    const ranged = await fetchArchive(`${base}/v1/datasets/ds1/archive?normalized=true`, { headers: { range: 'bytes=-10' } })
    assert.equal(ranged.status, 206)
    assert.equal(ranged.bytes, 10)
    const head = await fetchArchive(`${base}/v1/datasets/ds1/archive`, { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.headers['content-length'], '5000')
    assert.equal(posts(sim), 0)
    // A reader may download what exists without exports:write.
    const reader = await fetchArchive(`${base}/v1/datasets/ds1/archive`, { headers: { authorization: `Bearer ${READ_KEY}` } })
    assert.equal(reader.status, 200)
  })

  it('creates an export with the SDK\'s settings, waits for it and streams it', async t => {
    const sim = await startSim(t, { exportReadyAfterMs: 600 })
    sim.addDataset(ORG, { id: 'ds1' })
    sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 1000 }) // VI_FULL: not what is asked
    const { app } = await build(t, sim)
    const base = await listen(app)
    const started = Date.now()
    const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?annotationsOnly=true&splitRatio=0.8&wait=20`)
    assert.equal(res.status, 200)
    assert.ok(Date.now() - started >= 500, 'it waited for the export')
    assert.equal(posts(sim), 1)
    const created = sim.requests.find(r => r.method === 'POST' && r.path === D)!
    assert.deepEqual(created.body, { spec: { format: 'ViJsonl', options: { normalized: true, splitRatio: 0.8 } } })
    const exportId = /exports\/([^/]+)\/archive$/.exec(res.headers['content-location'] ?? '')![1]!
    assert.equal(res.sha256, sim.archiveSha256(ORG, exportId))
    // The same settings again: the export just created is reused.
    const again = await fetchArchive(`${base}/v1/datasets/ds1/archive?annotationsOnly=true&splitRatio=0.8&format=VI_FULL`)
    assert.equal(again.status, 200)
    assert.equal(posts(sim), 1)
  })

  it('answers 202 with Retry-After and the export\'s Location when it is not ready in time, then reuses it', async t => {
    const sim = await startSim(t, { exportReadyAfterMs: 60_000 })
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const started = Date.now()
    const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=1`, { keep: true })
    const waited = Date.now() - started
    assert.equal(res.status, 202)
    assert.ok(waited >= 900 && waited < 5000, `waited ${waited} ms`)
    assert.equal(res.headers['retry-after'], '5')
    const body = JSON.parse(res.body.toString())
    assert.equal(body.status.state, 'pending')
    assert.equal(res.headers.location, `/v1/datasets/ds1/exports/${body.datasetExportId}`)
    const head = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=0`, { method: 'HEAD' })
    assert.equal(head.status, 202)
    assert.equal(head.headers.location, res.headers.location)
    assert.equal(posts(sim), 1, 'the pending export is joined, not duplicated')
    const exportReads = apiCalls(sim, 'GET', `${D}/${body.datasetExportId}`)
    assert.ok(exportReads <= 4, `${exportReads} upstream reads in 1 s of waiting (backoff, through the cache)`)
  })

  it('answers 422 when the export it waits for fails', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    // Added once the app is up, so it is still pending when the download finds it, however slow the boot.
    sim.addExport(ORG, 'ds1', { state: 'failed', readyAfterMs: 400 })
    const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=10`, { keep: true })
    assert.equal(res.status, 422)
    assert.equal(JSON.parse(res.body.toString()).code, 'BFF_EXPORT_FAILED')
    assert.equal(posts(sim), 0)
  })

  it('needs exports:write only when it must create an export', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=0`, { headers: { authorization: `Bearer ${READ_KEY}` }, keep: true })
    assert.equal(res.status, 403)
    assert.equal(JSON.parse(res.body.toString()).code, 'BFF_FORBIDDEN')
    assert.match(JSON.parse(res.body.toString()).detail, /exports:write/)
    assert.equal(posts(sim), 0)
  })

  it('validates its query before anything goes upstream', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    for (const query of ['format=vi_full', 'splitRatio=1', 'splitRatio=0', 'wait=-1', 'wait=1.5', 'normalized=maybe']) {
      const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?${query}`, { keep: true })
      assert.equal(res.status, 400, query)
      assert.equal(JSON.parse(res.body.toString()).code, 'BFF_VALIDATION_FAILED')
    }
    assert.equal(apiCalls(sim), 0)
  })

  it('creates one export for concurrent callers asking for the same settings', async t => {
    const sim = await startSim(t, { exportReadyAfterMs: 400 })
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const results = await Promise.all(Array.from({ length: 8 }, () => fetchArchive(`${base}/v1/datasets/ds1/archive?splitRatio=0.5&wait=20`)))
    assert.deepEqual(results.map(r => r.status), Array(8).fill(200))
    assert.equal(new Set(results.map(r => r.sha256)).size, 1)
    assert.equal(posts(sim), 1)
  })

  it('creates one export for concurrent callers across replicas sharing Redis', async t => {
    const sim = await startSim(t, { exportReadyAfterMs: 400 })
    sim.addDataset(ORG, { id: 'ds1' })
    const shared = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `test:${randomUUID()}:` }
    const replicas = await Promise.all([build(t, sim, shared), build(t, sim, shared), build(t, sim, shared)])
    const bases = await Promise.all(replicas.map(r => listen(r.app)))
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => fetchArchive(`${bases[i % 3]}/v1/datasets/ds1/archive?format=VI_JSONL&normalized=false&wait=20`)))
    assert.deepEqual(results.map(r => r.status), Array(9).fill(200))
    assert.equal(new Set(results.map(r => r.headers['content-location'])).size, 1)
    assert.equal(posts(sim), 1)
  })

  it('HEAD never creates or waits: 200 with the archive\'s headers, 202 while preparing, else 404', async t => {
    const sim = await startSim(t, { exportReadyAfterMs: 60_000 })
    sim.addDataset(ORG, { id: 'ds1' })
    const ready = sim.addExport(ORG, 'ds1', { state: 'ready', format: 'ViJsonl', archiveSize: 4321 })
    const { app } = await build(t, sim)
    const base = await listen(app)
    for (const headers of [AUTH, { authorization: `Bearer ${READ_KEY}` }]) {
      const none = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=30`, { method: 'HEAD', headers })
      assert.equal(none.status, 404)
      assert.match(none.headers['content-type'] ?? '', /problem\+json/)
    }
    const created = await app.inject({ method: 'GET', url: '/v1/datasets/ds1/archive?splitRatio=0.5&wait=0', headers: AUTH })
    assert.equal(created.statusCode, 202, 'a GET still creates')
    assert.equal(posts(sim), 1)
    const started = Date.now()
    const preparing = await fetchArchive(`${base}/v1/datasets/ds1/archive?splitRatio=0.5&wait=30`, { method: 'HEAD' })
    assert.equal(preparing.status, 202)
    assert.ok(Date.now() - started < 5000, 'HEAD does not wait')
    assert.equal(preparing.headers['retry-after'], '5')
    assert.equal(preparing.headers.location, created.headers.location)
    const head = await fetchArchive(`${base}/v1/datasets/ds1/archive?annotationsOnly=true&wait=30`, { method: 'HEAD', headers: { range: 'bytes=0-9' } })
    assert.equal(head.status, 200)
    assert.equal(head.headers['content-length'], '4321')
    assert.equal(head.headers['content-range'], undefined)
    assert.equal(head.headers['content-location'], `/v1/datasets/ds1/exports/${ready}/archive`)
    assert.equal(posts(sim), 1, 'no HEAD created anything')
  })

  it('counts `wait` from the request\'s arrival, not from when the export was found', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    sim.addExport(ORG, 'ds1', { state: 'pending' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    sim.fault({ method: 'GET', path: D, delayMs: 3000, times: 1 })
    const started = Date.now()
    const res = await fetchArchive(`${base}/v1/datasets/ds1/archive?wait=2`)
    const took = Date.now() - started
    assert.equal(res.status, 202)
    // Finding the export took 3 s, more than the 2 s asked: the answer comes then, not 2 s later.
    assert.ok(took >= 2900 && took < 4500, `answered after ${took} ms`)
  })

  it('creates nothing for a caller that left before the export was requested', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    sim.fault({ method: 'GET', path: D, delayMs: 1000 })
    const req = httpRequest(`${base}/v1/datasets/ds1/archive?wait=10`, { headers: AUTH, agent: false })
    req.on('error', () => {})
    req.end()
    assert.ok(await eventually(() => apiCalls(sim, 'GET', D) === 1, 2000), 'the download is looking for an export')
    req.destroy()
    await sleep(3000)
    assert.equal(posts(sim), 0)
  })
})
