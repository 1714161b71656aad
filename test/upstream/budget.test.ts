import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRetryBudget } from '../../src/upstream/budget.js'

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
