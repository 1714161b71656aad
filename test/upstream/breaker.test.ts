import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, ORG, apiCalls, sleep } from '../helper.js'

/** Breakers that open after 10 attempts in the window with more than half failed, and stay open a minute. */
const BREAKER = { UPSTREAM_BREAKER_MIN_REQUESTS: '10', UPSTREAM_BREAKER_HALF_OPEN_MS: '60000' }

let seq = 0
/** Reads datasets that are in no cache until one is refused by the open breaker; returns that answer. */
async function openReadBreaker (app: FastifyInstance) {
  for (let i = 0; i < 200; i++) {
    const res = await app.inject({ url: `/v1/datasets/opener${seq++}`, headers: AUTH })
    if (res.json().code === 'BFF_UPSTREAM_UNAVAILABLE') return res
    assert.ok(res.statusCode >= 500, res.body)
  }
  return assert.fail('the read breaker never opened')
}

const metric = async (app: FastifyInstance, line: RegExp) => assert.match((await app.inject({ url: '/metrics' })).body, line)

describe('circuit breaker per operation class', () => {
  it('opens after sustained failures, then answers 503 BFF_UPSTREAM_UNAVAILABLE with Retry-After and sends nothing', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, BREAKER)
    sim.fault({ status: 503 })
    const first = await openReadBreaker(app)
    assert.ok(apiCalls(sim) >= 10, 'it opened on evidence: at least the minimum number of attempts')

    const before = apiCalls(sim)
    const res = await app.inject({ url: '/v1/datasets/another', headers: AUTH })
    assert.equal(res.statusCode, 503)
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
    const body = res.json()
    assert.equal(body.code, 'BFF_UPSTREAM_UNAVAILABLE')
    assert.equal(body.status, 503)
    assert.match(body.detail, /circuit breaker open/)
    const retryAfter = Number(res.headers['retry-after'])
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}: the time left open`)
    assert.ok(Number(first.headers['retry-after']) >= retryAfter)
    // List pages and exports are reads too.
    assert.equal((await app.inject({ url: '/v1/datasets', headers: AUTH })).json().code, 'BFF_UPSTREAM_UNAVAILABLE')
    assert.equal(apiCalls(sim), before, 'no upstream call while open')

    await metric(app, /^vibff_upstream_breaker_state\{class="read"\} 2$/m)
    await metric(app, /^vibff_upstream_breaker_state\{class="write"\} 0$/m)
    await metric(app, /^vibff_upstream_breaker_rejections_total\{class="read"\} [3-9]$/m)
  })

  it('keeps the write class apart: a DELETE still goes upstream while reads are refused', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, BREAKER)
    const off = sim.fault({ method: 'GET', status: 503 })
    await openReadBreaker(app)
    off()
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 202, res.body)
    assert.equal(apiCalls(sim, 'DELETE'), 1)
  })

  it('caps Retry-After at RETRY_AFTER_MAX_S', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { ...BREAKER, RETRY_AFTER_MAX_S: '7' })
    sim.fault({ status: 500 })
    const res = await openReadBreaker(app)
    assert.equal(res.headers['retry-after'], '7')
  })

  it('does not count 4xx answers: a run of 404s never opens it', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { ...BREAKER, CACHE_TTL_NOT_FOUND_S: '0' })
    for (let i = 0; i < 30; i++) {
      assert.equal((await app.inject({ url: `/v1/datasets/missing${i}`, headers: AUTH })).statusCode, 404)
    }
    await metric(app, /^vibff_upstream_breaker_state\{class="read"\} 0$/m)
    assert.equal(apiCalls(sim), 30)
  })

  it('counts 429 answers', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { ...BREAKER, UPSTREAM_RETRY_MIN_PER_S: '0', UPSTREAM_RETRY_BUDGET: '0' })
    sim.fault({ status: 429, headers: { 'retry-after': '0' } })
    await openReadBreaker(app)
  })

  it('serves a cached entry, stale, while the breaker is open, with no upstream call', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Shelves' })
    const { app } = await build(t, sim, { ...BREAKER, CACHE_TTL_DATASET_S: '1', CACHE_STALE_S: '0' })
    assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    const loaded = performance.now()
    sim.fault({ status: 503 })
    await openReadBreaker(app)
    // Past its freshness: the cache must load, the breaker refuses at once, the stale entry answers.
    await sleep(Math.max(0, 1100 - (performance.now() - loaded)))
    const before = apiCalls(sim)
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().name, 'Shelves')
    assert.match(String(res.headers['cache-status']), /stale|hit/)
    assert.equal(apiCalls(sim), before, 'no upstream call')
    await metric(app, /^vibff_cache_lookups_total\{kind="dataset",outcome="stale-if-error"\} 1$/m)
  })

  it('probes half-open after UPSTREAM_BREAKER_HALF_OPEN_MS and closes once the upstream recovers', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Shelves' })
    const { app } = await build(t, sim, { ...BREAKER, UPSTREAM_BREAKER_HALF_OPEN_MS: '400' })
    const off = sim.fault({ status: 503 })
    await openReadBreaker(app)

    // Still failing: one probe goes upstream (no retry), fails, and the breaker is open again.
    await sleep(500)
    let before = apiCalls(sim)
    assert.equal((await app.inject({ url: '/v1/datasets/probe1', headers: AUTH })).statusCode, 502)
    assert.equal(apiCalls(sim), before + 1, 'one probe request')
    before = apiCalls(sim)
    assert.equal((await app.inject({ url: '/v1/datasets/probe2', headers: AUTH })).json().code, 'BFF_UPSTREAM_UNAVAILABLE')
    assert.equal(apiCalls(sim), before, 'open again: nothing sent')

    off()
    await sleep(500)
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().name, 'Shelves')
    await metric(app, /^vibff_upstream_breaker_state\{class="read"\} 0$/m)
    for (let i = 0; i < 5; i++) assert.equal((await app.inject({ url: `/v1/datasets/missing${i}`, headers: AUTH })).statusCode, 404)
  })

  it('lets the readiness probe past an open breaker, so /readyz shows the upstream as it is', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, BREAKER)
    const off = sim.fault({ status: 503 })
    await openReadBreaker(app)
    off()
    const before = apiCalls(sim)
    const res = await app.inject({ url: '/readyz' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().checks.upstream, 'ok')
    assert.equal(apiCalls(sim), before + 1, 'the probe went upstream')
    // The breaker itself recovers through a caller's probe after UPSTREAM_BREAKER_HALF_OPEN_MS, not through /readyz.
    await metric(app, /^vibff_upstream_breaker_state\{class="read"\} 2$/m)
  })

  it('is off with UPSTREAM_BREAKER_THRESHOLD=0', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { ...BREAKER, UPSTREAM_BREAKER_THRESHOLD: '0' })
    sim.fault({ status: 503 })
    for (let i = 0; i < 40; i++) assert.equal((await app.inject({ url: `/v1/datasets/x${i}`, headers: AUTH })).statusCode, 502)
    await metric(app, /^vibff_upstream_breaker_state\{class="read"\} 0$/m)
  })
})

const ONE = { UPSTREAM_BREAKER_MIN_REQUESTS: '1', UPSTREAM_BREAKER_HALF_OPEN_MS: '60000' }

describe('what counts against the breaker', () => {
  it('counts an upstream timeout', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { ...ONE, UPSTREAM_HEADERS_TIMEOUT_MS: '200' })
    sim.fault({ hang: true, times: 1 })
    const res = await app.inject({ url: '/v1/datasets/slow', headers: AUTH })
    assert.equal(res.statusCode, 504)
    assert.equal(res.json().code, 'BFF_UPSTREAM_TIMEOUT')
    assert.equal(apiCalls(sim), 1, 'the breaker opened on the timeout: no retry')
    assert.equal((await app.inject({ url: '/v1/datasets/next', headers: AUTH })).json().code, 'BFF_UPSTREAM_UNAVAILABLE')
  })

  it('does not count a call its caller\'s deadline cut', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { ...ONE, REQUEST_TIMEOUT_MS: '300' })
    sim.fault({ hang: true, times: 1 })
    const res = await app.inject({ url: '/v1/datasets/slow', headers: AUTH })
    assert.equal(res.json().code, 'BFF_REQUEST_TIMEOUT')
    const next = await app.inject({ url: '/v1/datasets/missing', headers: AUTH })
    assert.equal(next.statusCode, 404, 'still closed: the next call went upstream')
    assert.equal(apiCalls(sim), 2)
  })

  it('does not count a call whose caller went away', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, ONE)
    sim.fault({ hang: true, times: 1 })
    const ac = new AbortController()
    const call = app.viApi.getDataset('slow', { signal: ac.signal })
    while (apiCalls(sim) < 1) await sleep(10)
    ac.abort()
    await assert.rejects(call, { code: 'BFF_CLIENT_CLOSED' })
    assert.equal((await app.inject({ url: '/v1/datasets/missing', headers: AUTH })).statusCode, 404)
  })
})

describe('writes with an open breaker', () => {
  it('answers a DELETE whose retry the breaker refuses with its own outcome, never a 404 of its earlier attempt', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, ONE)
    // Performed, then a 502: the one failure opens the write breaker, so the retry is not sent.
    sim.fault({ method: 'DELETE', perform: true, status: 502, times: 1 })
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 502, res.body)
    assert.equal(res.json().code, 'BFF_UPSTREAM_ERROR')
    assert.equal(apiCalls(sim, 'DELETE'), 1)
    const again = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(again.statusCode, 503)
    assert.equal(again.json().code, 'BFF_UPSTREAM_UNAVAILABLE')
    assert.ok(Number(again.headers['retry-after']) >= 1)
    assert.equal(apiCalls(sim, 'DELETE'), 1, 'refused without a call')
  })

  it('does not store a refused keyed POST: the same Idempotency-Key runs once the breaker closes', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { ...ONE, UPSTREAM_BREAKER_HALF_OPEN_MS: '300' })
    sim.fault({ method: 'POST', status: 503, times: 1 })
    const post = () => app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'idempotency-key': 'k-1' }, payload: {} })
    assert.equal((await post()).statusCode, 502)
    const refused = await post()
    assert.equal(refused.statusCode, 503)
    assert.equal(refused.json().code, 'BFF_UPSTREAM_UNAVAILABLE')
    assert.equal(apiCalls(sim, 'POST'), 1)
    await sleep(400)
    const ok = await post()
    assert.equal(ok.statusCode, 202, ok.body)
    assert.equal(apiCalls(sim, 'POST'), 2)
    const replay = await post()
    assert.equal(replay.headers['idempotent-replayed'], 'true')
    assert.equal(apiCalls(sim, 'POST'), 2)
  })
})
