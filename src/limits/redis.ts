import type { Redis, Cluster } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import { createRedisClient, firstConnection, redisTarget } from '../redis/client.js'

/** How long the limits stay on per-replica memory after a Redis failure before Redis is tried again. */
const BYPASS_MS = 5_000

/**
 * The Redis connection the limits share: its own client so a short command timeout (LIMITS_REDIS_TIMEOUT_MS)
 * bounds the latency a slow Redis adds to every request, no offline queue, and a breaker that keeps the
 * limits on memory counters for a few seconds after a failure (one log line per transition).
 */
export interface LimitsRedis {
  client: Redis | Cluster
  prefix: string
  /** Runs `command` on Redis, or `fallback` when Redis failed recently or fails now. */
  run<T>(command: (client: Redis | Cluster) => Promise<T>, fallback: () => T | Promise<T>): Promise<T>
  close(): void
}

export function createLimitsRedis (config: Config, log: FastifyBaseLogger): LimitsRedis | undefined {
  if (!config.REDIS_URL) return undefined
  const client = createRedisClient({ ...redisTarget(config), commandTimeoutMs: config.LIMITS_REDIS_TIMEOUT_MS })
  let bypassUntil = 0
  let degraded = false
  // Without an offline queue a command sent before the first connection fails at once; wait for that one.
  let firstConnect: Promise<void> | undefined = firstConnection(client, Math.max(1000, config.LIMITS_REDIS_TIMEOUT_MS * 4)).then(() => { firstConnect = undefined })

  return {
    client,
    // The organisation too, as the cache's keys: deployments for two organisations sharing a Redis count apart.
    prefix: `${config.REDIS_KEY_PREFIX}limits:${config.DATATURE_VI_ORGANIZATION_ID}:`,
    async run (command, fallback) {
      if (firstConnect) await firstConnect
      if (bypassUntil > Date.now()) return fallback()
      try {
        const result = await command(client)
        if (degraded) {
          degraded = false
          log.info('redis back: limits shared across replicas again')
        }
        return result
      } catch (err) {
        bypassUntil = Date.now() + BYPASS_MS
        if (!degraded) {
          degraded = true
          log.warn({ err, bypassForMs: BYPASS_MS }, 'redis failed: limits fall back to per-replica memory counters')
        }
        return fallback()
      }
    },
    close: () => client.disconnect()
  }
}
