// The OpenTelemetry SDK is global to a process: this file runs in its own (node:test isolates files), first with
// tracing off, then with one SDK started for the rest of the file, exporting to a sink on loopback.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { spawn } from 'node:child_process'
import { trace } from '@opentelemetry/api'
import { startSim, build, AUTH, KEY, SECRET, ORG, testEnv, sleep } from '../helper.js'
import { loadConfig } from '../../src/config.js'
import { startTelemetry, telemetry, shutdownTelemetry } from '../../src/telemetry/index.js'
import { startOtlpSink, type OtlpSink, type SinkSpan } from '../../scripts/otlp-sink.js'

const SERVER = 2
const CLIENT = 3
const hex = (bytes: number) => randomBytes(bytes).toString('hex')

type Line = Record<string, unknown> & { msg: string, reqId?: string, traceId?: string, spanId?: string }
const parse = (logs: string[]): Line[] => logs.map(l => JSON.parse(l) as Line)

describe('traces off (no OTLP endpoint)', () => {
  it('starts nothing: no SDK, no request plugin, no trace ids in logs, nothing propagated', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'One' })
    const { app, config, logs } = await build(t, sim)
    assert.equal(config.tracesEndpoint, undefined)
    assert.equal(await startTelemetry(config), undefined)
    assert.equal(telemetry(), undefined)
    assert.equal(app.hasRequestDecorator('opentelemetry'), false)
    // The API's no-op tracer: no SDK is registered.
    const span = trace.getTracer('check').startSpan('check')
    assert.equal(span.isRecording(), false)
    assert.equal(span.spanContext().traceId, '0'.repeat(32))
    span.end()

    const traceId = hex(16)
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, traceparent: `00-${traceId}-${hex(8)}-01` } })
    assert.equal(res.statusCode, 200)
    const upstream = sim.requests.filter(r => r.target === 'api')
    assert.ok(upstream.length > 0)
    assert.ok(upstream.every(r => r.headers.traceparent === undefined), 'a traceparent went upstream with tracing off')
    const lines = parse(logs)
    assert.ok(lines.some(l => l.msg === 'request'))
    assert.ok(lines.every(l => l.traceId === undefined && l.spanId === undefined))
    assert.ok(!logs.join('').includes(traceId))
  })
})

describe('traces on (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let sink: OtlpSink
  const env = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.url })

  before(async () => {
    sink = await startOtlpSink()
    // The SDK starts before any app is built (as server.ts does); the upstream URL is not part of it.
    const config = loadConfig({ ...testEnv({ url: 'http://127.0.0.1:9', storageUrl: 'http://127.0.0.1:9' } as never), ...env() })
    assert.equal(config.tracesEndpoint, `${sink.url}/v1/traces`)
    assert.ok(await startTelemetry(config))
  })
  after(async () => {
    await shutdownTelemetry()
    await sink.close()
  })

  async function spansOf (traceId: string, atLeast: number): Promise<SinkSpan[]> {
    const end = Date.now() + 15_000
    for (;;) {
      await telemetry()!.flush()
      const found = sink.spans.filter(s => s.traceId === traceId)
      if (found.length >= atLeast || Date.now() > end) return found
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }

  it('exports a request span (route, status) continuing the caller\'s traceparent, with cache and upstream child spans, and sends the trace upstream', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'One' })
    const { app, logs } = await build(t, sim, env())
    const traceId = hex(16)
    const callerSpan = hex(8)
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, traceparent: `00-${traceId}-${callerSpan}-01` } })
    assert.equal(res.statusCode, 200)

    const spans = await spansOf(traceId, 3)
    const request = spans.find(s => s.kind === SERVER)
    assert.ok(request, `no request span in ${JSON.stringify(spans.map(s => s.name))}`)
    assert.equal(request.name, 'GET /v1/datasets/:datasetId')
    assert.equal(request.parentSpanId, callerSpan)
    assert.equal(request.attributes['http.route'], '/v1/datasets/:datasetId')
    assert.equal(request.attributes['http.request.method'], 'GET')
    assert.equal(request.attributes['http.response.status_code'], 200)
    assert.equal(request.attributes['url.path'], '/v1/datasets/ds1')
    assert.equal(request.service, 'vi-bff')

    const cache = spans.find(s => s.name === 'cache dataset')
    assert.ok(cache, 'no cache span')
    assert.equal(cache.parentSpanId, request.spanId)
    assert.equal(cache.attributes['vibff.cache.kind'], 'dataset')
    assert.match(String(cache.attributes['vibff.cache.status']), /miss/)

    const call = spans.find(s => s.kind === CLIENT)
    assert.ok(call, 'no upstream span')
    assert.equal(call.parentSpanId, cache.spanId)
    assert.equal(call.name, 'GET')
    assert.equal(call.attributes['http.response.status_code'], 200)
    assert.equal(call.attributes['url.full'], `${sim.url}/workspaces/${ORG}/datasets/${ORG}_ds1`)

    // The sim saw the same trace, with the upstream span as parent.
    const got = sim.requests.filter(r => r.target === 'api' && r.path === `/workspaces/${ORG}/datasets/${ORG}_ds1`)
    assert.equal(got.length, 1)
    assert.equal(got[0]!.headers.traceparent, `00-${traceId}-${call.spanId}-01`)

    // Every line logged for the request carries its trace, the one access line included.
    const lines = parse(logs).filter(l => l.reqId === res.headers['x-request-id'])
    const access = lines.find(l => l.msg === 'request')
    assert.ok(access, 'no access line')
    assert.ok(lines.length >= 1 && lines.every(l => l.traceId === traceId), JSON.stringify(lines))
    assert.equal(access.spanId, request.spanId)

    // A second read is a hit: a cache span, no upstream call.
    const traceId2 = hex(16)
    const hit = await app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, traceparent: `00-${traceId2}-${hex(8)}-01` } })
    assert.equal(hit.statusCode, 200)
    const spans2 = await spansOf(traceId2, 2)
    assert.match(String(spans2.find(s => s.name === 'cache dataset')?.attributes['vibff.cache.status']), /hit/)
    assert.equal(spans2.filter(s => s.kind === CLIENT).length, 0)
  })

  it('starts a new trace without a caller traceparent, and records errors with their status', async t => {
    const sim = await startSim(t)
    const { app, logs } = await build(t, sim, env())
    const res = await app.inject({ url: '/v1/datasets/nope', headers: AUTH })
    assert.equal(res.statusCode, 404)
    const line = parse(logs).find(l => l.msg === 'request' && l.reqId === res.headers['x-request-id'])
    assert.ok(line?.traceId, 'no traceId on the access line')
    const spans = await spansOf(line.traceId, 3)
    const request = spans.find(s => s.kind === SERVER)!
    assert.equal(request.parentSpanId, '')
    assert.equal(request.attributes['http.response.status_code'], 404)
    assert.equal(spans.find(s => s.kind === CLIENT)?.attributes['http.response.status_code'], 404)

    const unknown = await app.inject({ url: '/v2/nothing', headers: AUTH })
    assert.equal(unknown.statusCode, 404)
    const unknownLine = parse(logs).find(l => l.msg === 'request' && l.reqId === unknown.headers['x-request-id'])
    const [unmatched] = await spansOf(String(unknownLine?.traceId), 1)
    assert.equal(unmatched?.name, 'GET unmatched')
    assert.equal(unmatched?.attributes['http.response.status_code'], 404)
  })

  it('never exports a signed URL, a credential or a query string secret; storage requests get no span and no traceparent', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'One' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 4096 })
    const { app } = await build(t, sim, env())
    const traceId = hex(16)
    const archive = await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}/archive`, headers: { ...AUTH, traceparent: `00-${traceId}-${hex(8)}-01` } })
    assert.equal(archive.statusCode, 200)
    assert.equal(archive.rawPayload.length, 4096)
    const listed = await app.inject({ url: '/v1/datasets?pageSize=1&access_token=caller-secret-in-query', headers: AUTH })
    assert.ok(listed.statusCode < 500)

    const spans = await spansOf(traceId, 3)
    const storageCalls = sim.requests.filter(r => r.target === 'storage')
    assert.equal(storageCalls.length, 1)
    assert.equal(storageCalls[0]!.headers.traceparent, undefined)
    // Only the Vi API call is a client span; the storage GET is not traced.
    const clients = spans.filter(s => s.kind === CLIENT)
    assert.equal(clients.length, 1)
    assert.match(String(clients[0]!.attributes['url.full']), new RegExp(`^${sim.url}/workspaces/`))
    assert.ok(spans.some(s => s.name === 'cache export'))

    await telemetry()!.flush()
    const exported = sink.bodies.join('\n')
    const signature = Object.values(storageCalls[0]!.query)
    assert.ok(signature.length > 0, 'the sim\'s signed URL has a query string')
    for (const value of signature) assert.ok(!exported.includes(value), 'a signed URL parameter was exported')
    assert.ok(!exported.includes(new URL(sim.storageUrl).port === '' ? sim.storageUrl : `:${new URL(sim.storageUrl).port}/`), 'the storage URL was exported')
    for (const secret of [SECRET, KEY, 'caller-secret-in-query']) assert.ok(!exported.includes(secret), 'a secret was exported')
    assert.ok(sink.contentTypes.every(c => c.startsWith('application/json')))
  })

  it('is started by server.ts before the app, and the last spans are flushed when the process shuts down', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'One' })
    // A batch delay far past the test: only the shutdown flush can deliver the span.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...testEnv(sim), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_SERVICE_NAME: 'vi-bff-process' }
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
    let out = ''
    child.stdout.on('data', chunk => { out += String(chunk) })
    child.stderr.on('data', chunk => { out += String(chunk) })
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
    const lines = () => out.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as Line)
    let port = 0
    for (let i = 0; i < 600 && !port; i++) {
      const listening = lines().find(l => l.msg.startsWith('Server listening at'))
      if (listening) port = Number(/:(\d+)$/.exec(listening.msg)![1])
      else await sleep(50)
    }
    assert.ok(port, `vi-bff did not start: ${out}`)
    const on = lines().find(l => l.msg === 'tracing on: OTLP/HTTP')
    assert.equal(on?.endpoint, `${sink.url}/v1/traces`)

    const traceId = hex(16)
    const res = await fetch(`http://127.0.0.1:${port}/v1/datasets/ds1`, { headers: { ...AUTH, traceparent: `00-${traceId}-${hex(8)}-01` } })
    assert.equal(res.status, 200)
    await res.arrayBuffer()
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    const spans = sink.spans.filter(s => s.traceId === traceId)
    assert.deepEqual(spans.map(s => s.name).sort(), ['GET', 'GET /v1/datasets/:datasetId', 'cache dataset'])
    assert.ok(spans.every(s => s.service === 'vi-bff-process'))
    assert.equal(lines().find(l => l.msg === 'request')?.traceId, traceId)
  })
})
