import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createSlots } from '../../src/archive/storage-client.js'

describe('storage connection slots', () => {
  it('grants up to the limit, then in arrival order as holders release', async () => {
    const slots = createSlots(2)
    const a = await slots.acquire(1000)
    const b = await slots.acquire(1000)
    const order: string[] = []
    const c = slots.acquire(5000).then(r => { order.push('c'); return r })
    const d = slots.acquire(5000).then(r => { order.push('d'); return r })
    assert.equal(slots.waiting(), 2)
    a()
    a() // a second release of the same slot is a no-op
    const rc = await c
    assert.deepEqual(order, ['c'])
    assert.equal(slots.waiting(), 1)
    b()
    const rd = await d
    assert.deepEqual(order, ['c', 'd'])
    rc()
    rd()
    assert.equal(slots.busy(), 0)
  })

  it('gives up after the queue timeout with 503 BFF_STORAGE_BUSY and Retry-After', async () => {
    const slots = createSlots(1)
    const held = await slots.acquire(1000)
    await assert.rejects(slots.acquire(50), (err: { code?: string, statusCode?: number, retryAfter?: number }) => {
      assert.equal(err.code, 'BFF_STORAGE_BUSY')
      assert.equal(err.statusCode, 503)
      assert.ok((err.retryAfter ?? 0) >= 1)
      return true
    })
    assert.equal(slots.waiting(), 0)
    held()
    assert.equal(slots.busy(), 0)
  })

  it('stops waiting when the caller goes away, and a slot freed later is not lost to it', async () => {
    const slots = createSlots(1)
    const held = await slots.acquire(1000)
    const gone = new AbortController()
    const waiting = slots.acquire(60_000, gone.signal)
    gone.abort()
    await assert.rejects(waiting, { name: 'AbortError' })
    assert.equal(slots.waiting(), 0)
    held()
    const next = await slots.acquire(10)
    next()
    await assert.rejects(slots.acquire(10, AbortSignal.abort()), { name: 'AbortError' })
  })
})
