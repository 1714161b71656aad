import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRetryBudget } from '../../src/upstream/budget.js'
import { startSim, build, AUTH, ORG, apiCalls } from '../helper.js'

function clock (start = 1_000_000) {
  let t = start
  return { now: () => t, tick: (ms: number) => { t += ms } }
}

/** Withdraws until refused; returns how many were granted. */
function drain (b: ReturnType<typeof createRetryBudget>): number {
  let n = 0
  while (b.tryWithdraw()) n++
  return n
}

describe('retry budget', () => {
  it('grants ratio × first attempts when they outweigh the floor', () => {
    const c = clock()
    const b = createRetryBudget({ ratio: 0.2, minPerSecond: 0, now: c.now })
    assert.equal(b.tryWithdraw(), false)
    for (let i = 0; i < 100; i++) b.deposit()
    assert.equal(drain(b), 20)
    assert.equal(b.tryWithdraw(), false)
    for (let i = 0; i < 4; i++) b.deposit()
    assert.equal(b.tryWithdraw(), false, '0.8 of a token is not a retry')
    b.deposit()
    assert.equal(b.tryWithdraw(), true)
  })

  it('keeps calls + retries within 1.2 × calls for a steady stream of failing calls', () => {
    const c = clock()
    const b = createRetryBudget({ ratio: 0.2, minPerSecond: 3, now: c.now })
    let calls = 0
    let requests = 0
    // 50 calls per second for a minute, each wanting two retries.
    for (let i = 0; i < 3000; i++) {
      calls++
      requests++
      b.deposit()
      for (let r = 0; r < 2 && b.tryWithdraw(); r++) requests++
      c.tick(20)
    }
    assert.ok(requests / calls <= 1.2, `ratio ${requests / calls}`)
    assert.ok(requests / calls > 1.15, `ratio ${requests / calls}: the budget is used`)
  })

  it('allows the floor per window to a quiet service, however few its calls', () => {
    const c = clock()
    const b = createRetryBudget({ ratio: 0.2, minPerSecond: 3, now: c.now })
    b.deposit()
    assert.equal(drain(b), 30, '3 per second over the 10 s window')
    c.tick(5_000)
    assert.equal(b.tryWithdraw(), false, 'the window still holds the 30 retries')
    c.tick(5_000)
    assert.equal(drain(b), 30, 'they decayed with the window')
  })

  it('decays deposits slot by slot', () => {
    const c = clock()
    const b = createRetryBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 10_000, slots: 10, now: c.now })
    for (let i = 0; i < 10; i++) b.deposit()
    c.tick(5_000)
    for (let i = 0; i < 10; i++) b.deposit()
    assert.equal(b.balance(), 10)
    c.tick(5_000)
    assert.equal(b.balance(), 5, 'the first ten left the window')
    c.tick(60_000)
    assert.equal(b.balance(), 0, 'a long quiet spell empties it')
  })

  it('grants nothing with a zero ratio and no floor', () => {
    const c = clock()
    const b = createRetryBudget({ ratio: 0, minPerSecond: 0, now: c.now })
    for (let i = 0; i < 1000; i++) b.deposit()
    assert.equal(b.tryWithdraw(), false)
  })

  it('reads the process clock by default', () => {
    const b = createRetryBudget({ ratio: 1, minPerSecond: 0 })
    b.deposit()
    assert.equal(b.tryWithdraw(), true)
    assert.equal(b.tryWithdraw(), false)
  })
})

describe('retry budget against a fully failing upstream', () => {
  it('sends at most 1.2 upstream requests per caller request (breaker off, default budget and floor)', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { UPSTREAM_BREAKER_THRESHOLD: '0' })
    sim.fault({ status: 503 })
    const total = 300
    let next = 0
    const statuses = new Map<number, number>()
    // 16 callers at once, each reading datasets no cache holds (errors are not cached).
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < total) {
        const res = await app.inject({ url: `/v1/datasets/ds${next++}`, headers: AUTH })
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      }
    }))
    assert.deepEqual([...statuses], [[502, total]])
    const ratio = apiCalls(sim) / total
    t.diagnostic(`upstream requests per caller request: ${ratio.toFixed(3)} (${apiCalls(sim)} for ${total})`)
    assert.ok(ratio <= 1.2, `ratio ${ratio}`)
    const metrics = (await app.inject({ url: '/metrics' })).body
    const retries = Number(/^vibff_upstream_retries_total\{op="getDataset"\} (\d+)$/m.exec(metrics)?.[1])
    const exhausted = Number(/^vibff_upstream_retry_budget_exhausted_total\{op="getDataset"\} (\d+)$/m.exec(metrics)?.[1])
    assert.equal(retries, apiCalls(sim) - total, 'every request past the first of each call is a counted retry')
    assert.ok(retries >= 30, 'the floor and the budget were used')
    assert.ok(exhausted > 100, `most wanted retries were refused (${exhausted})`)
  })

  it('sends far fewer with the default breaker, which opens and answers 503 without a call', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    sim.fault({ status: 503 })
    const total = 300
    let unavailable = 0
    for (let i = 0; i < total; i++) {
      const res = await app.inject({ url: `/v1/datasets/ds${i}`, headers: AUTH })
      if (res.json().code === 'BFF_UPSTREAM_UNAVAILABLE') unavailable++
    }
    const ratio = apiCalls(sim) / total
    t.diagnostic(`with the breaker: upstream requests per caller request ${ratio.toFixed(3)} (${apiCalls(sim)} for ${total}), ${unavailable} answered by the open breaker`)
    assert.ok(ratio < 0.5, `ratio ${ratio}`)
    assert.ok(unavailable > total / 2)
  })

  it('still retries a blip on a quiet service (the floor)', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    sim.fault({ status: 503, times: 2 })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.equal(apiCalls(sim), 3)
  })

  it('refuses every retry with UPSTREAM_RETRY_BUDGET=0 and UPSTREAM_RETRY_MIN_PER_S=0', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { UPSTREAM_RETRY_BUDGET: '0', UPSTREAM_RETRY_MIN_PER_S: '0' })
    sim.fault({ status: 503, times: 1 })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 502)
    assert.equal(apiCalls(sim), 1)
    assert.match((await app.inject({ url: '/metrics' })).body, /^vibff_upstream_retry_budget_exhausted_total\{op="getDataset"\} 1$/m)
  })
})
