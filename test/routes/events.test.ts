import { describe, it } from 'node:test'
import { request as httpRequest } from 'node:http'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, SECRET, apiCalls } from '../helper.js'
import { listen, eventually } from './archive-client.js'

interface SseEvent { event: string, data: string }

/**
 * Reads a Server-Sent Events stream to its end (or until `stopAfter` events, then drops the connection).
 * node:http rather than fetch(): undici re-opens a connection after a body is cancelled (nodejs/undici#5845),
 * which would hold the server's close() until its headers timeout.
 */
function readEvents (url: string, opts: { stopAfter?: number } = {}): Promise<{ status: number, type: string | undefined, events: SseEvent[], ended: boolean, requestId: string | undefined, raw: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: AUTH, agent: false }, res => {
      const events: SseEvent[] = []
      let buffer = ''
      let raw = ''
      let ended = true
      res.setEncoding('utf8')
      res.on('data', (text: string) => {
        raw += text
        buffer += text
        let i: number
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i)
          buffer = buffer.slice(i + 2)
          const fields = Object.fromEntries(block.split('\n').filter(l => l && !l.startsWith(':')).map(l => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]))
          if (fields.event) events.push({ event: fields.event, data: fields.data ?? '' })
        }
        if (opts.stopAfter !== undefined && events.length >= opts.stopAfter && ended) {
          ended = false
          req.destroy()
        }
      })
      res.on('error', () => {})
      res.on('close', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], events, ended, requestId: res.headers['x-request-id'] as string | undefined, raw }))
    })
    req.on('error', err => { if ((err as { code?: string }).code !== 'ECONNRESET') reject(err) })
    req.end()
  })
}

const eventsUrl = (base: string, exportId: string) => `${base}/v1/datasets/ds1/exports/${exportId}/events`

describe('GET /v1/datasets/:datasetId/exports/:exportId/events', () => {
  it('answers HEAD on a pending export with the stream\'s headers at once, no body and no poller', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const exportId = sim.addExport(ORG, 'ds1', { readyAfterMs: 60_000 })
    const res = await app.inject({ method: 'HEAD', url: `/v1/datasets/ds1/exports/${exportId}/events`, headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/event-stream/)
    assert.equal(res.body, '')
    assert.equal(app.archives.pollerCount(), 0)
  })

  it('sends pending, then ready with the archive route, then ends', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app, logs } = await build(t, sim)
    const base = await listen(app)
    const exportId = sim.addExport(ORG, 'ds1', { readyAfterMs: 800 })
    const res = await readEvents(eventsUrl(base, exportId))
    assert.equal(res.status, 200)
    assert.match(res.type ?? '', /^text\/event-stream/)
    assert.deepEqual(res.events.map(e => e.event), ['pending', 'ready'])
    assert.equal(JSON.parse(res.events[0]!.data).status.state, 'pending')
    const ready = JSON.parse(res.events[1]!.data)
    assert.equal(ready.status.state, 'ready')
    assert.equal(ready.status.downloadUrl.url, `/v1/datasets/ds1/exports/${exportId}/archive`)
    assert.ok(res.ended)
    assert.ok(!logs.join('').includes('sig='))
    assert.equal(app.archives.pollerCount(), 0)
  })

  it('sends the final state at once for a ready or failed export', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const ready = sim.addExport(ORG, 'ds1', { state: 'ready' })
    const failed = sim.addExport(ORG, 'ds1', { state: 'failed' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    assert.deepEqual((await readEvents(eventsUrl(base, ready))).events.map(e => e.event), ['ready'])
    const f = await readEvents(eventsUrl(base, failed))
    assert.deepEqual(f.events.map(e => e.event), ['failed'])
    assert.equal(JSON.parse(f.events[0]!.data).status.conditions[0].status, 'FailedReach')
  })

  it('answers problems before the stream starts', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/ds1/exports/nope/events', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'BFF_EXPORT_NOT_FOUND')
    assert.equal((await app.inject({ url: '/v1/datasets/ds1/exports/x/events' })).statusCode, 401)
  })

  it('runs one upstream poller per export however many listen, and stops it when they leave', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const exportId = sim.addExport(ORG, 'ds1', { readyAfterMs: 1500 })
    const reading = Promise.all(Array.from({ length: 6 }, () => readEvents(eventsUrl(base, exportId))))
    assert.ok(await eventually(() => app.archives.pollerCount() === 1, 1000))
    const all = await reading
    for (const res of all) assert.deepEqual(res.events.map(e => e.event), ['pending', 'ready'])
    const reads = apiCalls(sim, 'GET', `/workspaces/${ORG}/datasets/${ORG}_ds1/datasetExports/${exportId}`)
    assert.ok(reads <= 6, `${reads} upstream reads for 6 listeners over 1.5 s`)

    const later = sim.addExport(ORG, 'ds1', { state: 'pending' })
    const first = await readEvents(eventsUrl(base, later), { stopAfter: 1 })
    assert.deepEqual(first.events.map(e => e.event), ['pending'])
    assert.equal(first.ended, false)
    assert.ok(await eventually(() => app.archives.pollerCount() === 0, 2000), 'the poller stops with its last listener')
  })

  it('sends a `problem` event with the public problem shape when the export goes away', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'pending' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const reading = readEvents(eventsUrl(base, exportId))
    assert.ok(await eventually(() => app.archives.pollerCount() === 1, 2000))
    sim.fault({ method: 'GET', path: `/workspaces/${ORG}/datasets/${ORG}_ds1/datasetExports/${exportId}`, status: 404, body: { message: `gone; key ${SECRET}` } })
    const res = await reading
    assert.deepEqual(res.events.map(e => e.event), ['pending', 'problem'])
    const problem = JSON.parse(res.events[1]!.data)
    assert.deepEqual(Object.keys(problem).sort(), ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'])
    assert.deepEqual({ ...problem, detail: undefined }, {
      type: 'urn:vi-bff:problem:export-not-found',
      title: 'Not Found',
      status: 404,
      detail: undefined,
      instance: `/v1/datasets/ds1/exports/${exportId}/events`,
      code: 'BFF_EXPORT_NOT_FOUND',
      requestId: res.requestId
    })
    assert.match(problem.detail, new RegExp(exportId))
    assert.ok(!res.raw.includes(SECRET) && !res.raw.includes('sig='))
  })

  it('answers 504 when the export cannot be read within REQUEST_TIMEOUT_MS', { timeout: 15_000 }, async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'pending' })
    const { app } = await build(t, sim, { REQUEST_TIMEOUT_MS: '500' })
    sim.fault({ method: 'GET', path: `/workspaces/${ORG}/datasets/${ORG}_ds1/datasetExports/${exportId}`, delayMs: 5000, times: 1 })
    const started = Date.now()
    const res = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}/events`, headers: AUTH })
    assert.equal(res.statusCode, 504)
    assert.equal(res.json().code, 'BFF_REQUEST_TIMEOUT')
    assert.ok(Date.now() - started < 3000, `answered after ${Date.now() - started} ms`)
  })

  it('ends open streams when the server closes', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'pending' })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const reading = readEvents(eventsUrl(base, exportId))
    assert.ok(await eventually(() => app.archives.pollerCount() === 1, 2000))
    const started = Date.now()
    await app.close()
    assert.ok(Date.now() - started < 3000, 'close is not held up by the stream')
    const res = await reading
    assert.deepEqual(res.events.map(e => e.event), ['pending'])
  })
})
