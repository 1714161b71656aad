import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { createDownloadLocks } from '../../src/archive/one-call.js'
import { createMemoryStore } from '../../src/cache/memory-store.js'
import { createRedisStore } from '../../src/cache/redis-store.js'
import { redisUrl, sleep } from '../helper.js'
import { randomUUID } from 'node:crypto'

const log = pino({ level: 'silent' })

describe('the one-call download lock', () => {
  it('stops waiting when the signal fires, without letting the next waiter past the holder', async () => {
    const locks = createDownloadLocks(createMemoryStore({ maxEntries: 100, maxBytes: 1_000_000 }), log)
    const events: string[] = []
    let finish = () => {}
    const holder = locks.withLock('k', async () => {
      events.push('holder in')
      await new Promise<void>(resolve => { finish = resolve })
      events.push('holder out')
    })
    await sleep(10)
    const gone = new AbortController()
    const quitter = locks.withLock('k', async () => { events.push('quitter in') }, { signal: gone.signal })
    const third = locks.withLock('k', async () => { events.push('third in') })
    const started = Date.now()
    gone.abort()
    await assert.rejects(quitter, { name: 'AbortError' })
    assert.ok(Date.now() - started < 1000)
    await sleep(50)
    assert.deepEqual(events, ['holder in'], 'the third still waits for the holder')
    finish()
    await Promise.all([holder, third])
    assert.deepEqual(events, ['holder in', 'holder out', 'third in'])
  })

  it('stops polling another replica\'s lock when the signal fires', async () => {
    const prefix = `test:${randomUUID()}:`
    const store = createRedisStore({ url: redisUrl(), mode: 'standalone', nodes: [], sentinelName: 'mymaster', commandTimeoutMs: 1000, log })
    try {
      const token = await store.acquire(`${prefix}lock`, 30_000)
      assert.ok(token)
      const locks = createDownloadLocks(store, log)
      const started = Date.now()
      let ran = false
      await assert.rejects(locks.withLock(`${prefix}lock`, async () => { ran = true }, { waitMs: 30_000, signal: AbortSignal.timeout(200) }), { name: /AbortError|TimeoutError/ })
      assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`)
      assert.equal(ran, false)
      await store.release(`${prefix}lock`, token)
    } finally {
      await store.close()
    }
  })
})
