import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { startSim, build, AUTH, ORG, SECRET, apiCalls, sleep } from '../helper.js'
import type { SimUpstream } from '../../sim/index.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`

/** Waits until `check` holds, polling; fails after `ms`. */
async function until (check: () => boolean, ms = 5000) {
  const end = performance.now() + ms
  while (!check()) {
    if (performance.now() > end) assert.fail('condition not reached in time')
    await sleep(20)
  }
}

const recorded = (sim: SimUpstream, method: string, path: string) => sim.requests.filter(r => r.target === 'api' && r.method === method && r.path === path)

describe('retries are whole new requests', () => {
  it('retries a GET whose body was cut mid-way from scratch, without Range, and answers 200', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Shelves' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'GET', path: D('ds1'), drop: 'mid-body', afterBytes: 40, times: 1 })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().name, 'Shelves')
    const calls = recorded(sim, 'GET', D('ds1'))
    assert.equal(calls.length, 2)
    for (const c of calls) assert.equal(c.headers.range, undefined)
  })

  it('counts one metric outcome per upstream attempt', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'GET', path: D('ds1'), status: 503, times: 2 })
    assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    const metrics = (await app.inject({ url: '/metrics' })).body
    assert.match(metrics, /^vibff_upstream_requests_total\{op="getDataset",outcome="503"\} 2$/m)
    assert.match(metrics, /^vibff_upstream_requests_total\{op="getDataset",outcome="200"\} 1$/m)
  })

  it('makes one attempt only with retry: false (readiness probes)', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'GET', path: D('ds1'), status: 503 })
    await assert.rejects(app.viApi.getDataset('ds1', { retry: false }), { code: 'BFF_UPSTREAM_ERROR' })
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
  })
})

describe('DELETE whose earlier attempt may have been performed', () => {
  const faults: Array<[string, Record<string, unknown>]> = [
    ['its body cut mid-way', { drop: 'mid-body', afterBytes: 30 }],
    ['performed, then a 502', { perform: true, status: 502 }],
    ['performed, then the connection reset', { perform: true, drop: 'reset' }],
    ['performed, then the connection closed', { perform: true, drop: 'before-headers' }]
  ]
  for (const [name, fault] of faults) {
    it(`${name}: the retry's 404 is resolved to 202 with the deletion`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim)
      sim.fault({ method: 'DELETE', path: D('ds1'), times: 1, ...fault })
      const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(res.statusCode, 202, res.body)
      const body = res.json()
      assert.equal(body.datasetId, 'ds1')
      assert.equal(res.headers.location, body.selfLink)
      // First attempt performed, the retry found nothing, the deletion status told what happened.
      assert.equal(apiCalls(sim, 'DELETE', D('ds1')), 2)
      assert.equal(apiCalls(sim, 'GET', `${D('ds1')}/deleteOperation`), 1)
      const status = await app.inject({ url: '/v1/datasets/ds1/deletion', headers: AUTH })
      assert.equal(status.statusCode, 200)
      assert.equal(status.json().datasetId, 'ds1')
    })
  }

  it('answers the original 404 when there is no deletion to find', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    sim.fault({ method: 'DELETE', path: D('nope'), status: 502, times: 1 })
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/nope', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'BFF_DATASET_NOT_FOUND')
    assert.equal(apiCalls(sim, 'DELETE'), 2)
    assert.equal(apiCalls(sim, 'GET', `${D('nope')}/deleteOperation`), 1)
  })

  it('does not read the deletion status for a plain 404', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/nope', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(apiCalls(sim), 1)
  })
})

describe('POST that may have been performed', () => {
  it('is not re-sent after performed-then-502: one POST, an honest 502', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'POST', path: `${D('ds1')}/datasetExports`, perform: true, status: 502, times: 1 })
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(res.statusCode, 502)
    assert.equal(res.json().code, 'BFF_UPSTREAM_ERROR')
    assert.equal(apiCalls(sim, 'POST'), 1)
  })

  it('is not re-sent after performed-then-reset', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'POST', path: `${D('ds1')}/deleteManyAssetsSessions`, perform: true, drop: 'reset', times: 1 })
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { filter: 'all' } })
    assert.equal(res.statusCode, 503)
    assert.equal(apiCalls(sim, 'POST'), 1)
  })
})

describe('deadlines and cancellation', () => {
  it('ends a GET against a hanging upstream at REQUEST_TIMEOUT_MS with 504 and aborts the upstream request', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { REQUEST_TIMEOUT_MS: '500' })
    sim.fault({ method: 'GET', path: D('ds1'), hang: true })
    const started = performance.now()
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    const ms = performance.now() - started
    assert.equal(res.statusCode, 504)
    assert.equal(res.json().code, 'BFF_REQUEST_TIMEOUT')
    assert.match(res.json().detail, /500 ms/)
    assert.ok(ms < 5000, `answered after ${Math.round(ms)} ms`)
    const [call] = recorded(sim, 'GET', D('ds1'))
    await until(() => call!.closedByClient !== undefined)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
  })

  it('stops a backoff wait at the deadline', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { REQUEST_TIMEOUT_MS: '500', UPSTREAM_RETRY_MAX_DELAY_MS: '20000' })
    sim.fault({ method: 'GET', path: D('ds1'), status: 429, headers: { 'retry-after': '15' } })
    const started = performance.now()
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 504)
    assert.equal(res.json().code, 'BFF_REQUEST_TIMEOUT')
    assert.ok(performance.now() - started < 5000)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
  })

  it('cancels the upstream request when the caller goes away', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ method: 'GET', path: D('ds1'), hang: true })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const ac = new AbortController()
    const pending = fetch(`http://127.0.0.1:${port}/v1/datasets/ds1`, { headers: AUTH, signal: ac.signal })
    await until(() => recorded(sim, 'GET', D('ds1')).length === 1)
    ac.abort()
    await assert.rejects(pending, { name: 'AbortError' })
    const [call] = recorded(sim, 'GET', D('ds1'))
    await until(() => call!.closedByClient !== undefined)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
  })
})

describe('what reaches callers', () => {
  it('scrubs the secret key, tokens and signed URLs from upstream messages, in bodies and logs', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app, logs } = await build(t, sim)
    const signed = `${sim.storageUrl}/archives/x.zip?X-Goog-Signature=deadbeefcafe&X-Goog-Expires=900`
    const message = `key ${SECRET} cannot read ${signed} (Authorization: Bearer tok3n-secret-value)`
    sim.fault({ method: 'POST', path: `${D('ds1')}/deleteManyAssetsSessions`, status: 400, body: { message } })
    sim.fault({ method: 'POST', path: `${D('ds1')}/datasetExports`, status: 409, body: { error: message } })
    const rejected = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { filter: 'x' } })
    const conflict = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(rejected.statusCode, 400)
    assert.equal(rejected.json().code, 'BFF_UPSTREAM_REJECTED')
    assert.equal(conflict.statusCode, 409)
    for (const res of [rejected, conflict]) {
      assert.match(res.json().detail, /key \[redacted\] cannot read \[redacted\] \(Authorization: Bearer \[redacted\]/)
    }
    const everything = [rejected.body, conflict.body, JSON.stringify(rejected.headers), JSON.stringify(conflict.headers), ...logs].join('\n')
    for (const secret of [SECRET, 'deadbeefcafe', sim.storageUrl, 'tok3n-secret-value', 'dtvi_']) {
      assert.equal(everything.includes(secret), false, `${secret} leaked`)
    }
  })

  const retryAfters: Array<[string, string, Record<string, string>?]> = [
    ['1e30', '300'],
    ['-5', '1'],
    ['NaN', '1'],
    [new Date(Date.now() + 86_400_000 * 400).toUTCString(), '300'],
    ['100000', '60', { RETRY_AFTER_MAX_S: '60' }]
  ]
  for (const [header, expected, env] of retryAfters) {
    it(`passes an upstream Retry-After "${header}" as ${expected}`, async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds1' })
      const { app } = await build(t, sim, env)
      sim.fault({ method: 'GET', path: D('ds1'), status: 429, headers: { 'retry-after': header } })
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(res.statusCode, 503)
      assert.equal(res.json().code, 'BFF_UPSTREAM_RATE_LIMITED')
      assert.equal(res.headers['retry-after'], expected)
    })
  }

  it('answers 400 for a body nested too deeply to send, sending nothing upstream', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    for (const depth of [300, 100_000]) {
      const payload = '{"filter":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}'
      const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: { ...AUTH, 'content-type': 'application/json' }, payload })
      assert.equal(res.statusCode, 400, res.body.slice(0, 300))
      assert.equal(res.json().code, 'BFF_VALIDATION_FAILED')
      assert.equal(res.json().errors[0].path, 'body')
    }
    assert.equal(apiCalls(sim), 0)
    // A filter within the bound still goes through, and its echo serialises.
    const deep = '{"filter":' + '{"a":'.repeat(200) + '1' + '}'.repeat(200) + '}'
    const ok = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: { ...AUTH, 'content-type': 'application/json' }, payload: deep })
    assert.equal(ok.statusCode, 202)
    assert.equal(apiCalls(sim, 'POST'), 1)
  })
})
