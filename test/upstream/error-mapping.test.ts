import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { startSim, build, AUTH, ORG, apiCalls } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`

describe('upstream failures on GET /v1/datasets/:datasetId', () => {
  const cases: Array<{ name: string, fault: Record<string, unknown>, status: number, code: string, calls: number, retryAfter?: string }> = [
    { name: '400 → 400 with the upstream message', fault: { status: 400, body: { message: 'bad filter' } }, status: 400, code: 'BFF_UPSTREAM_REJECTED', calls: 1 },
    { name: '401 → 502 (our credentials, not the caller\'s)', fault: { status: 401, body: { message: 'invalid key' } }, status: 502, code: 'BFF_UPSTREAM_AUTH_FAILED', calls: 1 },
    { name: '403 → 502', fault: { status: 403, body: { message: 'forbidden' } }, status: 502, code: 'BFF_UPSTREAM_AUTH_FAILED', calls: 1 },
    { name: '409 → 409', fault: { status: 409, body: { error: 'locked' } }, status: 409, code: 'BFF_CONFLICT', calls: 1 },
    { name: '429 → retried, then 503 with Retry-After', fault: { status: 429, headers: { 'retry-after': '0' }, body: { message: 'slow down' } }, status: 503, code: 'BFF_UPSTREAM_RATE_LIMITED', calls: 3, retryAfter: '1' },
    { name: '429 with a long Retry-After → not waited out, 503 carrying it', fault: { status: 429, headers: { 'retry-after': '30' } }, status: 503, code: 'BFF_UPSTREAM_RATE_LIMITED', calls: 1, retryAfter: '30' },
    { name: '500 → retried, then 502', fault: { status: 500, body: { message: 'boom' } }, status: 502, code: 'BFF_UPSTREAM_ERROR', calls: 3 },
    { name: '503 → retried, then 502', fault: { status: 503 }, status: 502, code: 'BFF_UPSTREAM_ERROR', calls: 3 },
    { name: '501 → 502, not retried', fault: { status: 501 }, status: 502, code: 'BFF_UPSTREAM_ERROR', calls: 1 },
    { name: 'a 200 that is not JSON → 502', fault: { status: 200, body: '<html>' }, status: 502, code: 'BFF_UPSTREAM_BAD_RESPONSE', calls: 1 },
    { name: 'a 200 missing required fields → 502', fault: { status: 200, body: { datasetId: `${ORG}_ds1`, name: 'x' } }, status: 502, code: 'BFF_UPSTREAM_BAD_RESPONSE', calls: 1 },
    { name: 'a dropped connection → retried, then 503', fault: { drop: 'before-headers' }, status: 503, code: 'BFF_UPSTREAM_UNAVAILABLE', calls: 3 }
  ]
  for (const c of cases) {
    it(c.name, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim)
      sim.fault({ method: 'GET', path: D('ds1'), ...c.fault })
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(res.statusCode, c.status)
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      const body = res.json()
      assert.equal(body.code, c.code)
      assert.equal(body.status, c.status)
      assert.equal(apiCalls(sim, 'GET', D('ds1')), c.calls)
      if (c.retryAfter) assert.equal(res.headers['retry-after'], c.retryAfter)
      // A failure is never cached: once the upstream recovers, the next read succeeds.
      sim.clearFaults()
      assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    })
  }

  it('passes the upstream 400 message through without the organisation prefix', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    sim.fault({ path: D('ds1'), status: 400, body: { message: `dataset ${ORG}_ds1 is archived` } })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.json().detail, 'The Vi API rejected the request: dataset ds1 is archived')
  })

  it('answers 504 when no attempt is answered in time', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { UPSTREAM_HEADERS_TIMEOUT_MS: '200' })
    sim.fault({ path: D('ds1'), hang: true })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 504)
    assert.equal(res.json().code, 'BFF_UPSTREAM_TIMEOUT')
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 3)
  })

  it('retries a GET whose attempt timed out', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { UPSTREAM_HEADERS_TIMEOUT_MS: '200' })
    sim.fault({ path: D('ds1'), delayMs: 1000, times: 1 })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 2)
  })

  it('answers 503 when the upstream refuses connections', async t => {
    const sim = await startSim(t)
    const port = await new Promise<number>(resolve => {
      const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
    })
    const { app } = await build(t, sim, { DATATURE_VI_API_ENDPOINT: `http://127.0.0.1:${port}` })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 503)
    assert.equal(res.json().code, 'BFF_UPSTREAM_UNAVAILABLE')
  })
})

describe('upstream failures on writes', () => {
  it('does not retry a POST after a 500 (it may have been processed)', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'POST', path: `${D('ds1')}/datasetExports`, status: 500 })
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(res.statusCode, 502)
    assert.equal(apiCalls(sim, 'POST'), 1)
  })

  it('retries a POST on 429, which the upstream did not process', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'POST', path: `${D('ds1')}/datasetExports`, status: 429, headers: { 'retry-after': '0' }, times: 1 })
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(res.statusCode, 202)
    assert.equal(apiCalls(sim, 'POST'), 2)
  })

  it('retries a DELETE on 503 (idempotent)', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'DELETE', path: D('ds1'), status: 503, times: 1 })
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 202)
    assert.equal(apiCalls(sim, 'DELETE'), 2)
  })
})
