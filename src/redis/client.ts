import { Redis, Cluster, type RedisOptions, type ClusterOptions } from 'ioredis'
import type { Config } from '../config.js'

/** Where Redis is: REDIS_URL (credentials, db, TLS), the topology and its extra seed nodes. */
export interface RedisTarget {
  url: string
  mode: 'standalone' | 'sentinel' | 'cluster'
  /** Extra Sentinel or Cluster seed nodes, `host:port`. */
  nodes: string[]
  sentinelName: string
}

/** How one use of Redis (cache, limits, sessions, idempotency) wants its client to behave. */
export interface RedisClientOptions extends RedisTarget {
  /** Every command fails after this long (ioredis commandTimeout). */
  commandTimeoutMs: number
  /** Queue commands while (re)connecting instead of failing them at once. Default false. */
  offlineQueue?: boolean
  /** Resends of a command after a reconnect. Default 0. */
  maxRetriesPerRequest?: number
  /**
   * Commands issued in one tick share one write (ioredis auto-pipelining). Default false: on cached hits it cost
   * more than it saved (with it on, 17% fewer requests per second at 50 connections and half as many at 4), and its per-batch pipeline objects
   * outlived young-generation collections (bench/RESULTS.md, issue 11).
   */
  autoPipelining?: boolean
}

/** The Redis settings of the configuration. */
export function redisTarget (config: Pick<Config, 'REDIS_URL' | 'REDIS_MODE' | 'REDIS_NODES' | 'REDIS_SENTINEL_NAME'>): RedisTarget {
  return {
    url: config.REDIS_URL!,
    mode: config.REDIS_MODE,
    nodes: (config.REDIS_NODES ?? '').split(',').map(s => s.trim()).filter(Boolean),
    sentinelName: config.REDIS_SENTINEL_NAME
  }
}

export function hostPort (node: string) {
  const i = node.lastIndexOf(':')
  return { host: node.slice(0, i), port: Number(node.slice(i + 1)) }
}

/** ioredis connection options from the URL: credentials, db, TLS for rediss://. */
export function connectionOptions (url: URL): RedisOptions {
  return {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? { servername: url.hostname } : undefined
  }
}

/** Reconnect backoff: 200 ms doubling to 2 s. */
const retryStrategy = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000)

/**
 * A master that was demoted by a failover (Sentinel) keeps the connection open and answers writes with
 * READONLY; a Cluster node being moved answers LOADING or MASTERDOWN. Reconnecting asks the Sentinels (or the
 * cluster) where the master is now; the command that saw the error fails (no blind resend of a write).
 */
export function reconnectOnError (err: Error): boolean | 1 | 2 {
  return /^(READONLY|LOADING|MASTERDOWN)/.test(err.message) ? 1 : false
}

/**
 * The one way vi-bff builds an ioredis client (standalone, Sentinel or Cluster): bounded command waits,
 * reconnects with backoff, reconnect on READONLY after a failover, Sentinel's failover detector (it
 * subscribes to +switch-master and moves at once instead of on the next failed command). Errors are not
 * logged per reconnect attempt: each use surfaces them through its own failures.
 */
export function createRedisClient (opts: RedisClientOptions): Redis | Cluster {
  const url = new URL(opts.url)
  const offline = opts.offlineQueue ?? false
  const pipelining = opts.autoPipelining ?? false
  const common: RedisOptions = {
    ...connectionOptions(url),
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: Math.max(1000, opts.commandTimeoutMs * 4),
    enableOfflineQueue: offline,
    maxRetriesPerRequest: opts.maxRetriesPerRequest ?? 0,
    retryStrategy,
    reconnectOnError,
    enableAutoPipelining: pipelining
  }
  const seeds = [{ host: url.hostname, port: Number(url.port || 6379) }, ...opts.nodes.map(hostPort)]
  let client: Redis | Cluster
  if (opts.mode === 'cluster') {
    const clusterOptions: ClusterOptions = {
      redisOptions: common,
      enableOfflineQueue: offline,
      enableAutoPipelining: pipelining,
      clusterRetryStrategy: retryStrategy,
      // Slot moves and failovers: follow MOVED/ASK and retry CLUSTERDOWN/TRYAGAIN briefly, within commandTimeout.
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      retryDelayOnFailover: 100
    }
    client = new Cluster(seeds, clusterOptions)
  } else if (opts.mode === 'sentinel') {
    client = new Redis({
      ...common,
      sentinels: seeds,
      name: opts.sentinelName,
      role: 'master',
      failoverDetector: true,
      sentinelRetryStrategy: retryStrategy,
      sentinelCommandTimeout: Math.max(500, opts.commandTimeoutMs)
    })
  } else {
    client = new Redis({ ...common, host: url.hostname, port: Number(url.port || 6379) })
  }
  client.on('error', () => { /* surfaced through command failures, not per reconnect attempt */ })
  return client
}

/**
 * Resolves once the client's first connection attempt succeeded or failed (bounded): without an offline queue,
 * a command sent before then fails at once and would count as a Redis failure.
 */
export function firstConnection (client: Redis | Cluster, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve()
  return new Promise<void>(resolve => {
    const done = () => {
      clearTimeout(timer)
      client.off('ready', done)
      client.off('error', done)
      resolve()
    }
    const timer = setTimeout(done, timeoutMs)
    timer.unref()
    client.once('ready', done)
    client.once('error', done)
  })
}
