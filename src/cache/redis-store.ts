import { Redis, Cluster, type RedisOptions } from 'ioredis'
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Entry, Store } from './store.js'

export interface RedisStoreOptions {
  url: string
  mode: 'standalone' | 'sentinel' | 'cluster'
  /** Extra sentinel or cluster seed nodes, `host:port`. */
  nodes: string[]
  sentinelName: string
  commandTimeoutMs: number
  /** Consecutive failures that open the breaker, and how long it stays open. */
  breakerThreshold?: number
  breakerOpenMs?: number
  log: FastifyBaseLogger
  onStateChange?: (state: 'ok' | 'degraded') => void
}

const GENERATION_TTL_MS = 2 * 24 * 3600_000

class BypassedError extends Error {
  code = 'BFF_CACHE_BYPASSED'
}

function encode (e: Entry): string {
  const { b, ...meta } = e
  return JSON.stringify(meta) + '\n' + b
}

function decode (raw: string | null): Entry | null {
  if (raw === null) return null
  const nl = raw.indexOf('\n')
  if (nl < 0) return null
  const meta = JSON.parse(raw.slice(0, nl)) as Omit<Entry, 'b'>
  return { ...meta, b: raw.slice(nl + 1) }
}

function hostPort (node: string) {
  const i = node.lastIndexOf(':')
  return { host: node.slice(0, i), port: Number(node.slice(i + 1)) }
}

/** ioredis connection options from the URL: credentials, db, TLS for rediss://. */
function connectionOptions (url: URL): RedisOptions {
  return {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? { servername: url.hostname } : undefined
  }
}

/**
 * The shared store: Redis through ioredis (standalone, Sentinel or Cluster). Every command is bounded by
 * `commandTimeout` and fails at once while disconnected (no offline queue). After `breakerThreshold`
 * consecutive failures the store is bypassed for `breakerOpenMs` (callers see misses, never waits) while
 * ioredis reconnects in the background; one log line per transition, not per request.
 */
export function createRedisStore (opts: RedisStoreOptions): Store {
  const url = new URL(opts.url)
  const common: RedisOptions = {
    ...connectionOptions(url),
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: Math.max(1000, opts.commandTimeoutMs * 4),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: times => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    lazyConnect: false,
    // Commands issued in the same tick (concurrent hits) share one write and one read: fewer syscalls per hit.
    enableAutoPipelining: true
  }
  const seeds = [{ host: url.hostname, port: Number(url.port || 6379) }, ...opts.nodes.map(hostPort)]
  const client: Redis | Cluster = opts.mode === 'cluster'
    ? new Cluster(seeds, { redisOptions: common, enableOfflineQueue: false, enableAutoPipelining: true, clusterRetryStrategy: common.retryStrategy })
    : opts.mode === 'sentinel'
      ? new Redis({ ...common, sentinels: seeds, name: opts.sentinelName })
      : new Redis({ ...common, host: url.hostname, port: Number(url.port || 6379) })

  client.defineCommand('releaseLock', {
    numberOfKeys: 1,
    lua: 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end'
  })

  const threshold = opts.breakerThreshold ?? 3
  const openMs = opts.breakerOpenMs ?? 5000
  let failures = 0
  let openUntil = 0
  let state: 'ok' | 'degraded' = 'ok'

  function setState (next: 'ok' | 'degraded', err?: unknown) {
    if (state === next) return
    state = next
    if (next === 'degraded') opts.log.warn({ err, bypassForMs: openMs }, 'redis cache degraded: serving from upstream')
    else opts.log.info('redis cache recovered')
    opts.onStateChange?.(next)
  }

  client.on('error', () => { /* surfaced through command failures and the breaker, not per reconnect attempt */ })
  client.on('ready', () => { if (state === 'degraded') openUntil = 0 })

  // Without an offline queue, a command sent before the first connection completes fails at once: the
  // boot ping and the first requests would open the breaker and bypass a healthy Redis. Commands wait
  // (bounded by connectTimeout) for the first connection attempt to succeed or fail.
  let firstConnect: Promise<void> | undefined = new Promise<void>(resolve => {
    const done = () => {
      firstConnect = undefined
      clearTimeout(timer)
      client.off('ready', done)
      client.off('error', done)
      resolve()
    }
    const timer = setTimeout(done, common.connectTimeout)
    timer.unref()
    client.once('ready', done)
    client.once('error', done)
  })

  async function guarded<T> (command: () => Promise<T>): Promise<T> {
    if (firstConnect) await firstConnect
    if (openUntil > Date.now()) throw new BypassedError('redis bypassed')
    try {
      const result = await command()
      failures = 0
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
      return [decode(raw ?? null), Number(gen ?? 0)] as [Entry | null, number]
    }),
    generation: genKey => guarded(async () => Number(await client.get(genKey) ?? 0)),
    write: (key, entry, ttlMs) => guarded(async () => { await client.set(key, encode(entry), 'PX', Math.max(1, Math.round(ttlMs))) }),
    bump: genKeys => guarded(async () => {
      await Promise.all(genKeys.map(async k => {
        await client.incr(k)
        await client.pexpire(k, GENERATION_TTL_MS)
      }))
    }),
    acquire: (lockKey, ttlMs) => guarded(async () => {
      const token = randomUUID()
      return (await client.set(lockKey, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null
    }),
    release: (lockKey, token) => guarded(async () => {
      await (client as unknown as { releaseLock (k: string, t: string): Promise<number> }).releaseLock(lockKey, token)
    }),
    // Disconnected counts too: with no traffic the breaker never trips, and /readyz must still say so.
    state: () => (openUntil > Date.now() || state === 'degraded' || client.status !== 'ready' ? 'degraded' : 'ok'),
    ping: () => guarded(async () => { await client.ping() }),
    close: async () => { client.disconnect() }
  }
}
