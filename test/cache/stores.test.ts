import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import pino from 'pino'
import { Redis } from 'ioredis'
import { Writable } from 'node:stream'
import { createMemoryStore } from '../../src/cache/memory-store.js'
import { createRedisStore } from '../../src/cache/redis-store.js'
import { createCache, etagOf, type Lookup } from '../../src/cache/cache.js'
import type { Entry, Store } from '../../src/cache/store.js'
import { freePort } from '../../scripts/redis.js'
import { redisUrl, sleep } from '../helper.js'

const silent = pino({ level: 'silent' })

function entry (body: string, g = 0, freshMs = 60_000): Entry {
  const t = Date.now()
  return { g, t, f: t + freshMs, s: t + freshMs, x: t + freshMs, n: 200, e: etagOf(body), b: body }
}

function capture () {
  const lines: string[] = []
  const log = pino({ level: 'debug' }, new Writable({ write (c, _e, cb) { lines.push(String(c)); cb() } }))
  return { log, lines }
}

describe('memory store', () => {
  it('is bounded by entries', async () => {
    const store = createMemoryStore({ maxEntries: 3, maxBytes: 1024 * 1024 })
    for (const k of ['a', 'b', 'c', 'd']) await store.write(k, entry(k), 60_000)
    assert.equal((await store.read('a', 'g'))[0], null)
    assert.equal((await store.read('d', 'g'))[0]?.b, 'd')
  })

  it('is bounded by bytes', async () => {
    const store = createMemoryStore({ maxEntries: 1000, maxBytes: 4096 })
    for (let i = 0; i < 10; i++) await store.write(`k${i}`, entry('x'.repeat(1000)), 60_000)
    let kept = 0
    for (let i = 0; i < 10; i++) if ((await store.read(`k${i}`, 'g'))[0]) kept++
    assert.ok(kept >= 1 && kept <= 4, `${kept} entries of 1 KiB kept in 4 KiB`)
    assert.ok((await store.read('k9', 'g'))[0], 'the newest is kept')
  })

  it('expires entries by their TTL', async () => {
    const store = createMemoryStore({ maxEntries: 10, maxBytes: 1024 * 1024 })
    await store.write('k', entry('v'), 50)
    const [hit, gen] = await store.read('k', 'g')
    assert.equal(hit?.b, 'v')
    assert.equal(gen, undefined)
    await sleep(80)
    assert.equal((await store.read('k', 'g'))[0], null)
    assert.equal(store.state(), 'ok')
  })

  it('gives scopes generations that are never reused', async () => {
    const store = createMemoryStore({ maxEntries: 10, maxBytes: 1024 * 1024 })
    assert.equal((await store.read('k', 'g'))[1], undefined, 'a new scope has no generation yet')
    const first = await store.generation('g')
    assert.equal(await store.generation('g'), first, 'created once, then stable')
    assert.equal((await store.read('k', 'g'))[1], first)
    const seen = new Set([first])
    for (let i = 0; i < 100; i++) {
      await store.bump(['g', 'h'])
      const [g, h] = [await store.generation('g'), (await store.read('k', 'h'))[1] as number]
      assert.ok(!seen.has(g) && !seen.has(h) && g !== h)
      seen.add(g).add(h)
    }
  })
})

describe('redis store', () => {
  const open = (t: { after: (fn: () => unknown) => void }, url = redisUrl(), extra: Partial<Parameters<typeof createRedisStore>[0]> = {}) => {
    const store = createRedisStore({ url, mode: 'standalone', nodes: [], sentinelName: 'mymaster', commandTimeoutMs: 250, log: silent, ...extra })
    t.after(() => store.close())
    return store
  }

  it('round-trips entries with their private data, generations and TTLs', async t => {
    const store = open(t)
    const key = `test:${randomUUID()}:k`
    const gen = `test:${randomUUID()}:g`
    const e = { ...entry('{"a":"line\\nbreak"}'), a: { url: 'https://signed.example/x', expiresAt: 1 } }
    await store.write(key, e, 200)
    const [read, g] = await store.read(key, gen)
    assert.deepEqual(read, e)
    assert.equal(g, undefined)
    const first = await store.generation(gen)
    await store.bump([gen])
    const second = await store.generation(gen)
    assert.ok(Number.isSafeInteger(second) && second !== first)
    assert.equal((await store.read(key, gen))[1], second)
    await sleep(250)
    assert.equal((await store.read(key, gen))[0], null)
  })

  it('keeps generations without a TTL and replaces a lost or foreign one with a value never used before', async t => {
    const store = open(t)
    const redis = new Redis(redisUrl())
    t.after(() => redis.quit())
    const gen = `test:${randomUUID()}:g`
    const seen = new Set([await store.generation(gen)])
    assert.equal(await redis.pttl(gen), -1, 'no TTL: a volatile-* eviction policy never evicts it')
    await store.bump([gen])
    seen.add(await store.generation(gen))
    assert.equal(await redis.pttl(gen), -1)
    assert.equal(seen.size, 2)
    for (const lose of [() => redis.del(gen), () => redis.set(gen, 'not a generation'), async () => { await redis.del(gen); await redis.hset(gen, 'x', '1') }]) {
      await lose()
      assert.equal((await store.read('k', gen))[1], undefined)
      const fresh = await store.generation(gen)
      assert.ok(!seen.has(fresh), 'never a value used before')
      seen.add(fresh)
      assert.equal((await store.read('k', gen))[1], fresh)
    }
  })

  it('treats a corrupt entry as a miss, removes it, and does not count it as a Redis failure', async t => {
    const states: string[] = []
    const store = open(t, redisUrl(), { breakerThreshold: 2, onStateChange: s => states.push(s) })
    const redis = new Redis(redisUrl())
    t.after(() => redis.quit())
    const key = `test:${randomUUID()}:k`
    const gen = `test:${randomUUID()}:g`
    const corrupt = ['no newline', '{not json\n{}', '{"g":"x","t":1}\n{}', 'null\n{}', '[]\n{}', '{"g":1,"t":1,"f":2,"s":2,"x":2,"n":302,"e":""}\n{}']
    for (const raw of [...corrupt, ...corrupt]) {
      await redis.set(key, raw, 'PX', 60_000)
      const [read] = await store.read(key, gen)
      assert.equal(read, null, raw)
      assert.equal(await redis.exists(key), 0, `removed: ${raw}`)
    }
    await redis.hset(key, 'a', '1')
    assert.equal((await store.read(key, gen))[0], null, 'a key of another type reads as absent')
    await store.write(key, entry('{}'), 1000)
    assert.equal((await store.read(key, gen))[0]?.b, '{}', 'and is overwritten by the next store')
    assert.deepEqual(states, [])
    assert.equal(store.state(), 'ok')
  })

  it('gives a lock to one holder at a time and releases only its own', async t => {
    const store = open(t)
    const lock = `test:${randomUUID()}:lock`
    const token = await store.acquire(lock, 1000)
    assert.ok(token)
    assert.equal(await store.acquire(lock, 1000), null)
    await store.release(lock, 'not-the-token')
    assert.equal(await store.acquire(lock, 1000), null)
    await store.release(lock, token)
    assert.ok(await store.acquire(lock, 50))
    await sleep(80)
    assert.ok(await store.acquire(lock, 50), 'an expired lock can be taken')
  })

  it('opens its breaker after repeated failures, logging and reporting once per transition', async t => {
    const port = await freePort()
    const { log, lines } = capture()
    const states: string[] = []
    const store = open(t, `redis://127.0.0.1:${port}`, { log, breakerThreshold: 3, breakerOpenMs: 200, onStateChange: s => states.push(s) })
    assert.equal(store.state(), 'degraded', 'not connected')
    for (let i = 0; i < 20; i++) await assert.rejects(store.read('k', 'g'))
    assert.deepEqual(states, ['degraded'])
    assert.equal(lines.filter(l => l.includes('redis cache degraded')).length, 1)
    // While open it does not even try.
    await assert.rejects(store.read('k', 'g'), { code: 'BFF_CACHE_BYPASSED' })
  })
})

describe('cache over a failing store', () => {
  const broken: Store = {
    kind: 'redis',
    read: async () => { throw new Error('down') },
    generation: async () => { throw new Error('down') },
    write: async () => { throw new Error('down') },
    bump: async () => { throw new Error('down') },
    acquire: async () => { throw new Error('down') },
    release: async () => { throw new Error('down') },
    state: () => 'degraded',
    ping: async () => { throw new Error('down') },
    close: async () => {}
  }
  const lookup = (load: Lookup['load']): Lookup => ({ kind: 'dataset', key: 'k', genKey: 'g', load, isNotFound: () => false })

  it('turns every store failure into a miss and never throws for the cache', async () => {
    const { log, lines } = capture()
    const cache = createCache({ store: broken, log, notFoundTtlMs: 1000 })
    let loads = 0
    const load = async () => { loads++; await sleep(20); return { body: '{"v":1}', policy: { freshMs: 1000, staleMs: 0, errorMs: 0 } } }
    const served = await Promise.all(Array.from({ length: 10 }, () => cache.get(lookup(load))))
    assert.equal(loads, 1, 'concurrent callers still share one load')
    for (const s of served) {
      assert.equal(s.entry.b, '{"v":1}')
      assert.equal(s.cacheStatus, 'vi-bff; fwd=miss; detail=cache-unavailable')
    }
    await cache.invalidate(['g'])
    await cache.prime('k', 'g', { body: '{}', policy: { freshMs: 1000, staleMs: 0, errorMs: 0 } })
    assert.ok(lines.some(l => l.includes('cache invalidation failed')))
  })

  it('passes upstream errors through', async () => {
    const cache = createCache({ store: broken, log: silent, notFoundTtlMs: 1000 })
    await assert.rejects(cache.get(lookup(async () => { throw Object.assign(new Error('boom'), { statusCode: 502 }) })), /boom/)
  })
})

describe('cross-replica single flight', () => {
  it('re-reads under the lock, so a holder that stored and released just before is not loaded again', async () => {
    const inner = createMemoryStore({ maxEntries: 10, maxBytes: 1024 * 1024 })
    // Another replica finishes between this replica's read and its acquire: entry stored, lock free.
    const racing: Store = {
      ...inner,
      kind: 'redis',
      acquire: async () => { await inner.write('k', entry('{"from":"other replica"}', await inner.generation('g')), 60_000); return 'token' },
      release: async () => {}
    }
    const cache = createCache({ store: racing, log: silent, notFoundTtlMs: 1000 })
    let loads = 0
    const served = await cache.get({
      kind: 'dataset',
      key: 'k',
      genKey: 'g',
      isNotFound: () => false,
      load: async () => { loads++; return { body: '{"from":"upstream"}', policy: { freshMs: 1000, staleMs: 0, errorMs: 0 } } }
    })
    assert.equal(loads, 0)
    assert.equal(served.entry.b, '{"from":"other replica"}')
    assert.match(served.cacheStatus, /collapsed/)
  })

  it('does not let a no-cache read take an entry stored before it started', async () => {
    const inner = createMemoryStore({ maxEntries: 10, maxBytes: 1024 * 1024 })
    await inner.write('k', entry('{"old":true}', await inner.generation('g')), 60_000)
    const cache = createCache({ store: { ...inner, kind: 'redis', acquire: async () => 'token', release: async () => {} }, log: silent, notFoundTtlMs: 1000 })
    await sleep(5)
    const served = await cache.get({
      kind: 'dataset',
      key: 'k',
      genKey: 'g',
      noCache: true,
      isNotFound: () => false,
      load: async () => ({ body: '{"new":true}', policy: { freshMs: 1000, staleMs: 0, errorMs: 0 } })
    })
    assert.equal(served.entry.b, '{"new":true}')
    assert.match(served.cacheStatus, /fwd=request; stored/)
  })
})

describe('deadlines', () => {
  const memory = () => createMemoryStore({ maxEntries: 10, maxBytes: 1024 * 1024 })
  // A lookup whose load takes `ms` and, like the upstream client, gives up when its caller's signal fires.
  function slow (counter: { loads: number }, signal: AbortSignal | undefined, ms = 300): Lookup {
    return {
      kind: 'dataset',
      key: 'k',
      genKey: 'g',
      signal,
      isNotFound: () => false,
      load: async () => {
        counter.loads++
        await delay(ms, undefined, signal && { signal })
        return { body: `{"load":${counter.loads}}`, policy: { freshMs: 60_000, staleMs: 0, errorMs: 0 } }
      }
    }
  }

  it('a caller that goes away stops waiting, and the shared load goes on for the others', async () => {
    const cache = createCache({ store: memory(), log: silent, notFoundTtlMs: 1000 })
    const counter = { loads: 0 }
    const leaving = new AbortController()
    const leader = cache.get(slow(counter, undefined))
    const follower = cache.get(slow(counter, leaving.signal))
    await sleep(50)
    const started = Date.now()
    leaving.abort()
    await assert.rejects(follower, { code: 'BFF_CLIENT_CLOSED' })
    assert.ok(Date.now() - started < 200, 'stopped waiting at once')
    assert.equal((await leader).entry.b, '{"load":1}')
    assert.equal(counter.loads, 1)
  })

  it('a follower whose leader went away loads for itself instead of failing with the leader\'s abort', async () => {
    const cache = createCache({ store: memory(), log: silent, notFoundTtlMs: 1000 })
    const counter = { loads: 0 }
    const leaving = new AbortController()
    const leader = cache.get(slow(counter, leaving.signal))
    const followers = [cache.get(slow(counter, undefined)), cache.get(slow(counter, new AbortController().signal))]
    await sleep(50)
    leaving.abort()
    await assert.rejects(leader, { code: 'BFF_CLIENT_CLOSED' })
    const served = await Promise.all(followers)
    assert.deepEqual(served.map(s => s.entry.b), ['{"load":2}', '{"load":2}'], 'one new load, shared by both')
    assert.equal(counter.loads, 2)
  })

  it('a caller past its deadline gets the request timeout', async () => {
    const cache = createCache({ store: memory(), log: silent, notFoundTtlMs: 1000, requestTimeoutMs: 100 })
    const counter = { loads: 0 }
    await assert.rejects(cache.get(slow(counter, AbortSignal.timeout(100), 5000)), (err: Error & { code: string, statusCode: number }) => {
      assert.equal(err.code, 'BFF_REQUEST_TIMEOUT')
      assert.equal(err.statusCode, 504)
      assert.match(err.message, /100 ms/)
      return true
    })
  })
})
