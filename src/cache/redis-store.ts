import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { freshGeneration, type Entry, type Store } from './store.js'
import { createRedisClient, firstConnection, type RedisTarget } from '../redis/client.js'

export interface RedisStoreOptions extends RedisTarget {
  commandTimeoutMs: number
  /** Consecutive failures that open the breaker, and how long it stays open. */
  breakerThreshold?: number
  breakerOpenMs?: number
  log: FastifyBaseLogger
  onStateChange?: (state: 'ok' | 'degraded') => void
}

class BypassedError extends Error {
  code = 'BFF_CACHE_BYPASSED'
}

function encode (e: Entry): string {
  const { b, ...meta } = e
  return JSON.stringify(meta) + '\n' + b
}

/** The entry in `raw`, or null when it is not one (truncated, not JSON, wrong shape, written by something else). */
function decode (raw: string): Entry | null {
  const nl = raw.indexOf('\n')
  if (nl < 0) return null
  let e: Entry
  try {
    e = JSON.parse(raw.slice(0, nl))
  } catch {
    return null
  }
  if (e === null || typeof e !== 'object' || !Number.isSafeInteger(e.g) || typeof e.t !== 'number' || typeof e.f !== 'number' ||
    typeof e.s !== 'number' || typeof e.x !== 'number' || (e.n !== 200 && e.n !== 404) || typeof e.e !== 'string') return null
  e.b = raw.slice(nl + 1)
  return e
}

/** A generation as stored (a positive decimal integer), or undefined when there is none or it is not one. */
function generationOf (raw: string | null): number | undefined {
  if (raw === null) return undefined
  const gen = Number(raw)
  return Number.isSafeInteger(gen) && gen > 0 ? gen : undefined
}

/**
 * The shared store: Redis through ioredis (standalone, Sentinel or Cluster). Every command is bounded by
 * `commandTimeout` and fails at once while disconnected (no offline queue). After `breakerThreshold`
 * consecutive failures the store is bypassed for `breakerOpenMs` (callers see misses, never waits) while
 * ioredis reconnects in the background; one log line per transition, not per request.
 */
export function createRedisStore (opts: RedisStoreOptions): Store {
  const client = createRedisClient({ url: opts.url, mode: opts.mode, nodes: opts.nodes, sentinelName: opts.sentinelName, commandTimeoutMs: opts.commandTimeoutMs })
  client.defineCommand('deleteIfEquals', {
    numberOfKeys: 1,
    lua: 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end'
  })
  // The scope's generation, or ARGV[1] stored as it when it has none (or holds something that is not one).
  // Persistent (no TTL): with a volatile-* eviction policy Redis never evicts it; if it is lost anyway, the
  // fresh value replacing it matches no entry stored before.
  client.defineCommand('generation', {
    numberOfKeys: 1,
    lua: `if redis.call("type", KEYS[1]).ok == "string" then
  local g = redis.call("get", KEYS[1])
  if string.len(g) <= 15 and string.match(g, "^[1-9][0-9]*$") then return g end
end
redis.call("set", KEYS[1], ARGV[1])
return ARGV[1]`
  })
  const scripts = client as unknown as {
    deleteIfEquals (key: string, value: string): Promise<number>
    generation (genKey: string, fresh: string): Promise<string>
  }

  const threshold = opts.breakerThreshold ?? 3
  const openMs = opts.breakerOpenMs ?? 5000
  let failures = 0
  let openUntil = 0
  let state: 'ok' | 'degraded' = 'ok'
  /** Called on every (re)connect and when the breaker closes again: Redis answers. */
  const readyListeners: Array<() => void> = []
  client.on('ready', () => { for (const l of readyListeners) l() })

  function setState (next: 'ok' | 'degraded', err?: unknown) {
    if (state === next) return
    state = next
    if (next === 'degraded') opts.log.warn({ err, bypassForMs: openMs }, 'redis cache degraded: serving from upstream')
    else opts.log.info('redis cache recovered')
    opts.onStateChange?.(next)
    if (next === 'ok') for (const l of readyListeners) l()
  }

  client.on('ready', () => { if (state === 'degraded') openUntil = 0 })

  // Without an offline queue, a command sent before the first connection completes fails at once: the
  // boot ping and the first requests would open the breaker and bypass a healthy Redis. Commands wait
  // (bounded by connectTimeout) for the first connection attempt to succeed or fail.
  let firstConnect: Promise<void> | undefined = firstConnection(client, Math.max(1000, opts.commandTimeoutMs * 4)).then(() => { firstConnect = undefined })

  async function guarded<T> (command: () => Promise<T>, probe = false): Promise<T> {
    if (firstConnect) await firstConnect
    if (!probe && openUntil > Date.now()) throw new BypassedError('redis bypassed')
    try {
      const result = await command()
      failures = 0
      openUntil = 0
      setState('ok')
      return result
    } catch (err) {
      failures++
      if (failures >= threshold) {
        openUntil = Date.now() + openMs
        setState('degraded', err)
      }
      throw err
    }
  }

  return {
    kind: 'redis',
    read: (key, genKey) => guarded(async () => {
      const [raw, gen] = await client.mget(key, genKey)
      if (raw == null) return [null, generationOf(gen ?? null)]
      const entry = decode(raw)
      if (entry === null) {
        // A miss, not a Redis failure: removed (unless rewritten meanwhile) so it is not decoded again.
        opts.log.warn({ key }, 'removed a cache entry that could not be decoded')
        await scripts.deleteIfEquals(key, raw)
      }
      return [entry, generationOf(gen ?? null)]
    }),
    generation: genKey => guarded(async () => Number(await scripts.generation(genKey, String(freshGeneration())))),
    write: (key, entry, ttlMs) => guarded(async () => { await client.set(key, encode(entry), 'PX', Math.max(1, Math.round(ttlMs))) }),
    bump: (genKeys, bumpOpts) => guarded(async () => {
      await Promise.all(genKeys.map(k => client.set(k, String(freshGeneration()))))
    }, bumpOpts?.probe === true),
    acquire: (lockKey, ttlMs) => guarded(async () => {
      const token = randomUUID()
      return (await client.set(lockKey, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null
    }),
    release: (lockKey, token) => guarded(async () => {
      await scripts.deleteIfEquals(lockKey, token)
    }),
    // Disconnected counts too: with no traffic the breaker never trips, and /readyz must still say so.
    state: () => (openUntil > Date.now() || state === 'degraded' || client.status !== 'ready' ? 'degraded' : 'ok'),
    ping: () => guarded(async () => { await client.ping() }),
    close: async () => { client.disconnect() },
    onReady: listener => { readyListeners.push(listener) }
  }
}
