import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, apiCalls } from '../helper.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

describe('problem+json for everything a caller can get wrong', () => {
  it('answers an unknown route with 404 BFF_ROUTE_NOT_FOUND', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v2/nothing', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(res.headers['content-type'], PROBLEM)
    assert.equal(res.json().code, 'BFF_ROUTE_NOT_FOUND')
    assert.equal(res.json().instance, '/v2/nothing')
  })

  it('answers a wrong method with 405 and Allow', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'PATCH', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 405)
    assert.equal(res.headers.allow, 'DELETE, GET, HEAD')
    assert.equal(res.json().code, 'BFF_METHOD_NOT_ALLOWED')
  })

  it('answers malformed JSON with 400 BFF_INVALID_JSON', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"format":' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.headers['content-type'], PROBLEM)
    assert.equal(res.json().code, 'BFF_INVALID_JSON')
    assert.equal(apiCalls(sim), 0)
  })

  it('answers a body over 1 MiB with 413', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ filter: 'x'.repeat(1024 * 1024 + 10) }) })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'BFF_BODY_TOO_LARGE')
    assert.equal(apiCalls(sim), 0)
  })

  it('answers a non-JSON content type with 415', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'format=VI_FULL' })
    assert.equal(res.statusCode, 415)
    assert.equal(res.json().code, 'BFF_UNSUPPORTED_MEDIA_TYPE')
    assert.equal(res.json().detail, 'Unsupported Content-Type "text/plain"; send application/json')
  })

  it('answers 401 for a wrong key, a malformed header, and checks the key before the input', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    for (const headers of [{ authorization: 'Bearer wrong-key' }, { authorization: 'Basic dXNlcjpwYXNz' }, { 'x-api-key': '' }, {}]) {
      const res = await app.inject({ url: '/v1/datasets/bad_id', headers })
      assert.equal(res.statusCode, 401, JSON.stringify(headers))
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="vi-bff", charset="UTF-8"')
      assert.equal(res.json().code, 'BFF_UNAUTHENTICATED')
    }
    assert.equal(apiCalls(sim), 0)
  })

  it('keeps a well-formed x-request-id, replaces a hostile one, and forwards it upstream', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const ok = await app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, 'x-request-id': 'trace-123.abc' } })
    assert.equal(ok.headers['x-request-id'], 'trace-123.abc')
    assert.equal(sim.requests.at(-1)!.headers['x-request-id'], 'trace-123.abc')
    const hostile = await app.inject({ url: '/v1/datasets/nope', headers: { ...AUTH, 'x-request-id': 'a b\u0000<script>' } })
    assert.match(String(hostile.headers['x-request-id']), /^[0-9a-f-]{36}$/)
    assert.equal(hostile.json().requestId, hostile.headers['x-request-id'])
  })

  it('serves health publicly and reports readiness from the upstream', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok' })
    const ready = await app.inject({ url: '/readyz' })
    assert.equal(ready.statusCode, 200)
    assert.deepEqual(ready.json(), { status: 'ready', checks: { upstream: 'ok', cache: 'ok', cacheKind: 'memory' } })
  })

  it('is unready when the upstream rejects vi-bff\'s credentials', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    sim.fault({ path: `/workspaces/${ORG}/datasets`, status: 401 })
    const res = await app.inject({ url: '/readyz' })
    assert.equal(res.statusCode, 503)
    assert.equal(res.json().checks.upstream, 'rejected')
  })

  it('serves Prometheus metrics, behind METRICS_TOKEN when set', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { METRICS_TOKEN: 'metrics-token-0123456789' })
    await app.inject({ url: '/healthz' })
    await app.inject({ url: '/v1/datasets', headers: AUTH })
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401)
    const res = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /vibff_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200",caller="none"\} 1/)
    assert.match(res.body, /vibff_http_request_duration_seconds_count\{method="GET",route="\/v1\/datasets",status="200",caller="apiKey"\} 1/)
  })

  it('answers CORS preflights for configured origins only', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { CORS_ORIGINS: 'https://app.example.com' })
    const ok = await app.inject({ method: 'OPTIONS', url: '/v1/datasets', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } })
    assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com')
    const other = await app.inject({ method: 'OPTIONS', url: '/v1/datasets', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })
    assert.equal(other.headers['access-control-allow-origin'], undefined)
  })
})
