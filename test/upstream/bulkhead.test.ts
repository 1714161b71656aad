import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, apiCalls, sleep } from '../helper.js'

/** Waits until `check` holds, polling; fails after `ms`. */
async function until (check: () => boolean, ms = 10_000) {
  const end = performance.now() + ms
  while (!check()) {
    if (performance.now() > end) assert.fail('condition not reached in time')
    await sleep(10)
  }
}

describe('bounded concurrent upstream requests (bulkhead)', () => {
  it('queues UPSTREAM_QUEUE_SIZE calls behind UPSTREAM_MAX_CONCURRENT, refuses the next at once, ends queued ones by their deadline', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { UPSTREAM_MAX_CONCURRENT: '2', UPSTREAM_QUEUE_SIZE: '2', REQUEST_TIMEOUT_MS: '2000' })
    sim.fault({ hang: true })
    const settled: number[] = []
    // Distinct ids: no single flight joins them.
    const waiting = [0, 1, 2, 3].map(i => app.inject({ url: `/v1/datasets/hang${i}`, headers: AUTH }).then(res => { settled.push(i); return res }))
    await until(() => apiCalls(sim) === 2)
    await sleep(50)

    const refused = await app.inject({ url: '/v1/datasets/one-too-many', headers: AUTH })
    assert.deepEqual(settled, [], 'refused while the others still wait: no hang')
    assert.equal(refused.statusCode, 503)
    assert.equal(refused.json().code, 'BFF_UPSTREAM_UNAVAILABLE')
    assert.match(refused.json().detail, /2 upstream request slots and 2 queue places are taken/)
    assert.equal(refused.headers['retry-after'], '1')

    const answers = await Promise.all(waiting)
    for (const res of answers) {
      assert.equal(res.statusCode, 504, res.body)
      assert.equal(res.json().code, 'BFF_REQUEST_TIMEOUT')
    }
    assert.equal(apiCalls(sim), 2, 'the queued calls never went upstream')
    const metrics = (await app.inject({ url: '/metrics' })).body
    assert.match(metrics, /^vibff_upstream_bulkhead_rejections_total 1$/m)
    // Deadline aborts are the callers' own: they do not count against the breaker.
    assert.match(metrics, /^vibff_upstream_breaker_state\{class="read"\} 0$/m)
    // The slots are free again.
    sim.clearFaults()
    sim.addDataset(ORG, { id: 'ds1' })
    assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
  })

  it('runs queued calls one after another as slots free up', async t => {
    const sim = await startSim(t)
    for (let i = 0; i < 4; i++) sim.addDataset(ORG, { id: `ds${i}` })
    const { app } = await build(t, sim, { UPSTREAM_MAX_CONCURRENT: '1', UPSTREAM_QUEUE_SIZE: '8' })
    sim.fault({ delayMs: 200 })
    const answers = await Promise.all([0, 1, 2, 3].map(i => app.inject({ url: `/v1/datasets/ds${i}`, headers: AUTH })))
    for (const res of answers) assert.equal(res.statusCode, 200, res.body)
    // One at a time: each request reached the upstream after the previous one's 200 ms delay.
    const at = sim.requests.filter(r => r.target === 'api').map(r => r.at).sort((a, b) => a - b)
    assert.equal(at.length, 4)
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 180, `gap ${at[i]! - at[i - 1]!} ms`)
  })

  it('ends a call with its last answer when the bulkhead refuses its retry', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { UPSTREAM_MAX_CONCURRENT: '1', UPSTREAM_QUEUE_SIZE: '0', UPSTREAM_RETRY_MAX_DELAY_MS: '2000', REQUEST_TIMEOUT_MS: '4000' })
    const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
    // a: a 503 asking for a 1 s wait; b: takes the only slot meanwhile and holds it.
    sim.fault({ path: D('a'), status: 503, headers: { 'retry-after': '1' }, times: 1 })
    sim.fault({ path: D('b'), hang: true })
    const a = app.inject({ url: '/v1/datasets/a', headers: AUTH })
    await until(() => apiCalls(sim, 'GET', D('a')) === 1)
    await sleep(100)
    const b = app.inject({ url: '/v1/datasets/b', headers: AUTH })
    await until(() => apiCalls(sim, 'GET', D('b')) === 1)
    const res = await a
    assert.equal(res.statusCode, 502, res.body)
    assert.equal(res.json().code, 'BFF_UPSTREAM_ERROR', 'the upstream\'s own answer, not the refusal')
    assert.equal(apiCalls(sim, 'GET', D('a')), 1)
    assert.match((await app.inject({ url: '/metrics' })).body, /^vibff_upstream_bulkhead_rejections_total 1$/m)
    assert.equal((await b).statusCode, 504)
  })

  it('lets a caller that leaves the queue go at once, and sends nothing for it', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { UPSTREAM_MAX_CONCURRENT: '1', UPSTREAM_QUEUE_SIZE: '4', REQUEST_TIMEOUT_MS: '3000' })
    sim.fault({ hang: true, times: 1 })
    sim.addDataset(ORG, { id: 'ds1' })
    const running = app.inject({ url: '/v1/datasets/hang', headers: AUTH })
    await until(() => apiCalls(sim) === 1)
    const queued = app.viApi.getDataset('ds1', { signal: AbortSignal.timeout(300) })
    const started = performance.now()
    await assert.rejects(queued, { code: 'BFF_REQUEST_TIMEOUT' })
    assert.ok(performance.now() - started < 2500, 'ended by its own deadline, not the running call\'s')
    assert.equal((await running).statusCode, 504)
    assert.equal(apiCalls(sim), 1, 'the abandoned queue entry sent nothing')
    // Its queue place and the slot work again.
    assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
  })
})
