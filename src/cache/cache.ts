import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import type { Entry, Store } from './store.js'
import { abortedError } from '../errors.js'

/** How long an entry is fresh, then servable stale while revalidating, then servable stale on upstream failure. */
export interface Policy { freshMs: number, staleMs: number, errorMs: number }

export interface Loaded { body: string, extra?: unknown, policy: Policy }

export interface Lookup {
  /** Metrics label: dataset, datasets, export, exports. */
  kind: string
  key: string
  genKey: string
  load: () => Promise<Loaded>
  /** An upstream 404 for this lookup, cached briefly as a negative entry. */
  isNotFound: (err: unknown) => boolean
  /** The caller sent Cache-Control: no-cache: skip the read, go upstream, store the result. */
  noCache?: boolean
  /**
   * The caller's deadline (REQUEST_TIMEOUT_MS or its disconnect): it stops waiting (lock, shared load) when it
   * fires. A load this lookup leads runs under it too (`load` is expected to pass it upstream).
   */
  signal?: AbortSignal
}

export interface Served {
  entry: Entry
  /** RFC 9211 Cache-Status value. */
  cacheStatus: string
}

export type CacheOutcome = 'hit' | 'stale' | 'miss' | 'collapsed' | 'stale-if-error' | 'bypass' | 'refresh' | 'negative-hit'

export interface CacheOptions {
  store: Store
  log: FastifyBaseLogger
  notFoundTtlMs: number
  /** How long a replica waits for another replica's in-flight load before loading itself. */
  lockWaitMs?: number
  lockTtlMs?: number
  pollMs?: number
  onOutcome?: (kind: string, outcome: CacheOutcome) => void
  /** REQUEST_TIMEOUT_MS, named in the 504 problem of a caller whose deadline passed while waiting. */
  requestTimeoutMs?: number
  /** How often invalidations that could not be written are retried while some are pending. */
  replayEveryMs?: number
  /**
   * After the store answers again (a reconnect), entries stored before that moment are not served for this long:
   * another replica may still hold an invalidation it acknowledged during the outage and has not replayed yet.
   */
  recoveryFenceMs?: number
  /** The number of scopes whose invalidation is pending (kept here, not yet written to the store). */
  onPending?: (scopes: number) => void
  /** Pending invalidations written to the store (a replay), by number of scopes. */
  onReplay?: (scopes: number) => void
}

interface Owned { entry: Entry, stored: boolean, staleIfError?: number, collapsed?: boolean }
/** A shared load, and the signal of the caller it runs for (its leader). */
interface Flight { promise: Promise<Owned>, signal?: AbortSignal }

const NAME = 'vi-bff'

export function etagOf (body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

function isUpstreamFailure (err: unknown): boolean {
  const status = (err as { statusCode?: number } | null)?.statusCode ?? 500
  return status >= 500
}

/**
 * Cache-aside with single flight (per process, and across replicas through a short store lock),
 * generation-checked invalidation, stale-while-revalidate and stale-if-error. Store failures are misses:
 * nothing here throws because of the cache, only because of the upstream load.
 */
export function createCache (opts: CacheOptions) {
  const { store, log } = opts
  const lockWaitMs = opts.lockWaitMs ?? 3000
  const lockTtlMs = opts.lockTtlMs ?? 10_000
  const pollMs = opts.pollMs ?? 20
  const inflight = new Map<string, Flight>()
  const outcome = (kind: string, o: CacheOutcome) => opts.onOutcome?.(kind, o)
  const aborted = (signal: AbortSignal) => abortedError(signal, opts.requestTimeoutMs)
  const replayEveryMs = opts.replayEveryMs ?? 250
  /**
   * Invalidations this replica acknowledged but could not write (Redis down, failing over, timing out): genKey
   * -> a sequence number of the latest failed attempt. Until written, reads of these scopes bypass the store.
   */
  const pending = new Map<string, number>()
  let seq = 0
  let replaying: Promise<boolean> | undefined
  let retryTimer: NodeJS.Timeout | undefined
  let closed = false
  const recoveryFenceMs = opts.recoveryFenceMs ?? 5000
  // A store that answers now has connected before: its next `ready` is a recovery.
  let connectedBefore = store.state() === 'ok'
  let fenceFrom = 0
  let fenceUntil = 0
  /** An entry stored before the store's last recovery, within the fence: treated as absent. */
  const fenced = (entry: Entry) => entry.t < fenceFrom && Date.now() < fenceUntil

  /** `promise`, or the caller's abort as soon as its signal fires (the promise itself goes on for others). */
  function waitFor<T> (promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (signal === undefined) return promise
    if (signal.aborted) return Promise.reject(aborted(signal))
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(aborted(signal))
      signal.addEventListener('abort', onAbort, { once: true })
      promise.then(value => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      }, (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      })
    })
  }

  async function pause (ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(ms, undefined, signal && { signal })
    } catch (err) {
      throw signal?.aborted ? aborted(signal) : err
    }
  }

  async function safe<T> (what: string, op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op()
    } catch (err) {
      log.debug({ err, op: what }, 'cache store call failed; treated as a miss')
      return undefined
    }
  }

  function toEntry (loaded: Loaded, gen: number): Entry {
    const now = Date.now()
    const f = now + loaded.policy.freshMs
    const s = f + loaded.policy.staleMs
    return { g: gen, t: now, f, s, x: Math.max(s, f + loaded.policy.errorMs), n: 200, e: etagOf(loaded.body), b: loaded.body, a: loaded.extra }
  }

  async function persist (key: string, entry: Entry): Promise<boolean> {
    const ttlMs = entry.x - Date.now()
    if (ttlMs <= 0 || entry.f <= entry.t) return false
    return (await safe('write', async () => { await store.write(key, entry, ttlMs); return true })) === true
  }

  /** Loads from upstream as the one owner of `key` (locally and, with a shared store, across replicas). */
  async function loadAsOwner (lookup: Lookup, gen: number | undefined, stale: Entry | null): Promise<Owned> {
    const lockKey = `${lookup.key}:lock`
    const started = Date.now()
    // An entry another replica stored serves this lookup if it is valid now (and, for no-cache, newer than the request).
    const usable = (read: [Entry | null, number | undefined] | undefined): Entry | undefined => {
      const entry = read?.[0]
      return entry && entry.g === read[1] && entry.f > Date.now() && (!lookup.noCache || entry.t >= started) && !fenced(entry) ? entry : undefined
    }
    let token: string | null | undefined = null
    if (store.kind !== 'memory' && gen !== undefined) {
      token = await safe('acquire', () => store.acquire(lockKey, lockTtlMs))
      if (token === null) {
        // Another replica is loading this key: wait (bounded) for its entry, or take over if its lock goes.
        const deadline = Date.now() + lockWaitMs
        while (Date.now() < deadline && token === null) {
          await pause(pollMs, lookup.signal)
          const read = await safe('read', () => store.read(lookup.key, lookup.genKey))
          if (!read) break
          const entry = usable(read)
          if (entry) return { entry, stored: false, collapsed: true }
          token = await safe('acquire', () => store.acquire(lockKey, lockTtlMs))
          if (token === undefined) break
        }
      }
      if (token) {
        // Double-check under the lock: the previous holder may have stored the entry and released the lock
        // between our read and our acquire; loading again would be a second upstream call for one key.
        const entry = usable(await safe('read', () => store.read(lookup.key, lookup.genKey)))
        if (entry) {
          const held = token
          await safe('release', () => store.release(lockKey, held))
          return { entry, stored: false, collapsed: true }
        }
      }
    }
    try {
      let loaded: Loaded
      try {
        if (lookup.signal?.aborted) throw aborted(lookup.signal)
        loaded = await lookup.load()
      } catch (err) {
        // The caller this load ran for went away: not an upstream answer (no negative entry, no stale-if-error).
        if (lookup.signal?.aborted) throw err
        if (lookup.isNotFound(err) && opts.notFoundTtlMs > 0 && gen !== undefined) {
          const now = Date.now()
          const f = now + opts.notFoundTtlMs
          await persist(lookup.key, { g: gen, t: now, f, s: f, x: f, n: 404, e: '', b: '' })
        }
        if (stale && stale.n === 200 && stale.x > Date.now() && isUpstreamFailure(err)) {
          log.warn({ key: lookup.key, status: (err as { statusCode?: number }).statusCode }, 'serving stale entry: upstream failed')
          return { entry: stale, stored: false, staleIfError: (err as { statusCode?: number }).statusCode ?? 502 }
        }
        throw err
      }
      const entry = toEntry(loaded, gen ?? 0)
      const stored = gen !== undefined && await persist(lookup.key, entry)
      return { entry, stored }
    } finally {
      if (token) await safe('release', () => store.release(lockKey, token as string))
    }
  }

  function singleFlight (lookup: Lookup, gen: number | undefined, stale: Entry | null) {
    const flightKey = `${lookup.key}#${gen ?? 'x'}`
    let flight = inflight.get(flightKey)
    const leader = !flight
    if (!flight) {
      flight = { promise: loadAsOwner(lookup, gen, stale).finally(() => inflight.delete(flightKey)), signal: lookup.signal }
      inflight.set(flightKey, flight)
    }
    return { flight, leader }
  }

  /**
   * Joins (or leads) the shared load of `lookup`, waiting no longer than the caller's own signal allows. A
   * load runs under its leader's signal; when that caller went away and cut it, a follower still within its
   * own deadline loads again (as the new leader) instead of failing with someone else's abort.
   */
  async function share (lookup: Lookup, gen: number | undefined, stale: Entry | null): Promise<{ result: Owned, leader: boolean }> {
    for (;;) {
      const { flight, leader } = singleFlight(lookup, gen, stale)
      try {
        return { result: await waitFor(flight.promise, lookup.signal), leader }
      } catch (err) {
        if (leader || !flight.signal?.aborted || lookup.signal?.aborted) throw err
      }
    }
  }

  /** RFC 9211 ttl: remaining freshness in whole seconds, negative once stale (so never rounded up to 0). */
  function ttl (entry: Entry): number {
    return Math.floor((entry.f - Date.now()) / 1000)
  }

  /** Serves `lookup` from the cache or upstream; the Served entry may be a negative (404) one. */
  async function get (lookup: Lookup): Promise<Served> {
    let gen: number | undefined
    let stale: Entry | null = null
    if (pending.size > 0 && !await scopeWritten(lookup.genKey)) {
      // An invalidation of this scope is not written yet: the store may still hold what it invalidated.
      outcome(lookup.kind, 'bypass')
      const { result } = await share(lookup, undefined, null)
      return { entry: result.entry, cacheStatus: `${NAME}; fwd=miss; detail=invalidation-pending` }
    }
    if (lookup.noCache) {
      gen = await safe('generation', () => store.generation(lookup.genKey))
    } else {
      // Inline rather than through safe(): this is the hit path, one closure and one async frame fewer.
      let read: [Entry | null, number | undefined] | undefined
      try {
        read = await store.read(lookup.key, lookup.genKey)
      } catch (err) {
        log.debug({ err, op: 'read' }, 'cache store call failed; treated as a miss')
      }
      if (read) {
        const [entry, current] = read
        gen = current
        // A scope without a generation (new, or its generation was lost) has no current entry: it gets a fresh one.
        if (current === undefined) gen = await safe('generation', () => store.generation(lookup.genKey))
        else if (entry && entry.g === current && !fenced(entry)) {
          const now = Date.now()
          if (now < entry.f) {
            outcome(lookup.kind, entry.n === 404 ? 'negative-hit' : 'hit')
            return { entry, cacheStatus: `${NAME}; hit; ttl=${ttl(entry)}` }
          }
          if (now < entry.s && entry.n === 200) {
            outcome(lookup.kind, 'stale')
            revalidate(lookup, current, entry)
            return { entry, cacheStatus: `${NAME}; hit; ttl=${ttl(entry)}; detail=stale-while-revalidate` }
          }
          stale = entry
        }
      }
    }
    if (gen === undefined) {
      // The store is down or bypassed: straight to upstream, still collapsing concurrent callers.
      outcome(lookup.kind, 'bypass')
      const { result } = await share(lookup, undefined, null)
      return { entry: result.entry, cacheStatus: `${NAME}; fwd=miss; detail=cache-unavailable` }
    }
    const { result, leader } = await share(lookup, gen, stale)
    if (result.staleIfError) {
      outcome(lookup.kind, 'stale-if-error')
      return { entry: result.entry, cacheStatus: `${NAME}; fwd=stale; fwd-status=${result.staleIfError}; ttl=${ttl(result.entry)}; detail=stale-if-error` }
    }
    const collapsed = !leader || result.collapsed === true
    outcome(lookup.kind, collapsed ? 'collapsed' : 'miss')
    const fwd = lookup.noCache ? 'request' : stale ? 'stale' : 'miss'
    return { entry: result.entry, cacheStatus: `${NAME}; fwd=${fwd}${result.stored && leader ? '; stored' : ''}${collapsed ? '; collapsed' : ''}` }
  }

  /** Stale-while-revalidate: one background refresh per key; errors only logged. */
  function revalidate (lookup: Lookup, gen: number, stale: Entry) {
    if (inflight.has(`${lookup.key}#${gen}`)) return
    outcome(lookup.kind, 'refresh')
    singleFlight(lookup, gen, stale).flight.promise.catch(err => log.warn({ err, key: lookup.key }, 'background revalidation failed'))
  }

  /** Makes every entry of these scopes unreadable, in every replica sharing the store. */
  async function invalidate (genKeys: string[]): Promise<void> {
    try {
      await store.bump(genKeys)
      // Written now: an older failed attempt for these scopes is covered by this one.
      if (pending.size > 0) {
        let cleared = 0
        for (const k of genKeys) if (pending.delete(k)) cleared++
        if (cleared > 0) opts.onPending?.(pending.size)
      }
    } catch (err) {
      // The write was acknowledged: its invalidation is kept and replayed, never dropped (design.md, Operations).
      const n = ++seq
      for (const k of genKeys) pending.set(k, n)
      opts.onPending?.(pending.size)
      log.warn({ err, scopes: genKeys.length, pending: pending.size }, 'cache invalidation failed; kept and replayed once Redis answers (those scopes bypass the cache until then)')
      scheduleReplay()
    }
  }

  function scheduleReplay () {
    if (retryTimer || closed || pending.size === 0) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      replay().then(() => scheduleReplay(), () => {})
    }, replayEveryMs)
    retryTimer.unref()
  }

  /** Writes every pending invalidation (one attempt, shared by concurrent callers); true when none is left. */
  function replay (): Promise<boolean> {
    if (pending.size === 0) return Promise.resolve(true)
    replaying ??= (async () => {
      const batch = [...pending]
      try {
        await store.bump(batch.map(([k]) => k), { probe: true })
      } catch (err) {
        log.debug({ err, scopes: batch.length }, 'pending cache invalidations still not written')
        return false
      }
      // A scope that failed again meanwhile (a newer sequence number) stays pending for the next attempt.
      let done = 0
      for (const [k, n] of batch) if (pending.get(k) === n) { pending.delete(k); done++ }
      opts.onPending?.(pending.size)
      opts.onReplay?.(done)
      log.info({ scopes: done, pending: pending.size }, 'pending cache invalidations written')
      return pending.size === 0
    })().finally(() => { replaying = undefined })
    return replaying
  }

  /** Whether reads of `genKey` may use the store: its pending invalidation (if any) is written first. */
  async function scopeWritten (genKey: string): Promise<boolean> {
    if (!pending.has(genKey)) return true
    // While the store is known to be failing the retry timer replays; a read does not wait on it.
    if (store.state() !== 'ok') return false
    await replay()
    return !pending.has(genKey)
  }

  /** Stores a value just learned from a write (e.g. a created export) under its scope's current generation. */
  async function prime (key: string, genKey: string, loaded: Loaded): Promise<void> {
    if (!await scopeWritten(genKey)) return
    const gen = await safe('generation', () => store.generation(genKey))
    if (gen !== undefined) await persist(key, toEntry(loaded, gen))
  }

  // Reconnected: write what is pending at once rather than on the next timer tick or read.
  store.onReady?.(() => {
    if (connectedBefore) {
      fenceFrom = Date.now()
      fenceUntil = fenceFrom + recoveryFenceMs
    }
    connectedBefore = true
    replay().then(done => { if (!done) scheduleReplay() }, () => {})
  })

  return {
    get,
    invalidate,
    prime,
    replay,
    /** Scopes whose invalidation is acknowledged but not yet written to the store. */
    pendingInvalidations: () => pending.size,
    store,
    state: () => store.state(),
    ping: () => store.ping(),
    close: async () => {
      closed = true
      clearTimeout(retryTimer)
      // A last attempt: a replica shutting down with pending invalidations would take them with it.
      if (pending.size > 0) await replay()
      await store.close()
    },
    kind: store.kind
  }
}
export type Cache = ReturnType<typeof createCache>
