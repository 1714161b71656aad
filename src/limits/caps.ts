import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { Redis, Cluster } from 'ioredis'
import type { Config } from '../config.js'
import { Errors, problem } from '../errors.js'
import type { LimitsRedis } from './redis.js'
import { withHook } from '../route-hooks.js'

export type Cap = 'archives' | 'events'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A concurrency cap the route's GET holds a lease of while it runs (ARCHIVE_MAX_PER_CALLER, EVENTS_MAX_PER_CALLER). */
    cap?: Cap
  }
}

/** What a refused caller is told to wait: transfers have no known end, so a short fixed pause. */
export const CAP_RETRY_AFTER_S = 5

// Leases of one caller: a sorted set of lease ids scored by expiry (Redis time), so a dead replica's leases lapse.
const ACQUIRE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`
const RENEW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`

type Scripted = { capAcquire (key: string, max: number, ttlMs: number, id: string): Promise<number>, capRenew (key: string, ttlMs: number, id: string): Promise<number> }

/** The Redis key holding a caller's leases of one cap. */
export function leaseKey (prefix: string, cap: Cap, callerKey: string): string {
  return `${prefix}cap:${cap}:{${callerKey}}`
}

export interface Caps {
  /** A release function, or undefined when the caller already holds `max` leases. */
  acquire (cap: Cap, callerKey: string, max: number): Promise<(() => void) | undefined>
}

/**
 * Concurrency caps per caller: leases in Redis (shared by replicas, renewed every third of LIMITS_LEASE_TTL_MS
 * while the transfer runs, lapsing after it when a replica dies), or in memory without Redis or while it fails.
 */
export function createCaps (redis: LimitsRedis | undefined, leaseTtlMs: number): Caps {
  const local = new Map<string, Set<string>>()
  if (redis) {
    redis.client.defineCommand('capAcquire', { numberOfKeys: 1, lua: ACQUIRE })
    redis.client.defineCommand('capRenew', { numberOfKeys: 1, lua: RENEW })
  }
  const scripts = (c: Redis | Cluster) => c as unknown as Scripted

  function acquireLocal (key: string, max: number, id: string) {
    const held = local.get(key) ?? new Set<string>()
    if (held.size >= max) return undefined
    held.add(id)
    local.set(key, held)
    return () => {
      held.delete(id)
      if (held.size === 0 && local.get(key) === held) local.delete(key)
    }
  }

  return {
    async acquire (cap, callerKey, max) {
      const id = randomUUID()
      const memKey = `${cap}:${callerKey}`
      if (!redis) return acquireLocal(memKey, max, id)
      const key = leaseKey(redis.prefix, cap, callerKey)
      // -1: Redis failed, the lease is taken in this replica's memory instead.
      const got = await redis.run(c => scripts(c).capAcquire(key, max, leaseTtlMs, id), () => -1)
      if (got === -1) return acquireLocal(memKey, max, id)
      if (got !== 1) return undefined
      const renew = setInterval(() => {
        redis.run(c => scripts(c).capRenew(key, leaseTtlMs, id), () => 0).catch(() => {})
      }, Math.max(100, Math.floor(leaseTtlMs / 3)))
      renew.unref()
      let released = false
      return () => {
        if (released) return
        released = true
        clearInterval(renew)
        redis.run(c => c.zrem(key, id), () => 0).catch(() => {})
      }
    }
  }
}

/**
 * Holds a lease for every GET of a route with `config.cap` from before its handler until its response closes
 * (transfer done, failed, or the caller gone). Over the cap: 429 BFF_RATE_LIMITED with Retry-After.
 */
export default fp<{ config: Config, redis?: LimitsRedis }>(async function caps (app, { config, redis }) {
  const max: Record<Cap, number> = { archives: config.ARCHIVE_MAX_PER_CALLER, events: config.EVENTS_MAX_PER_CALLER }
  const caps = createCaps(redis, config.LIMITS_LEASE_TTL_MS)
  const what: Record<Cap, string> = { archives: 'archive downloads', events: 'event streams' }

  async function holdLease (request: FastifyRequest, reply: FastifyReply) {
    const cap = request.routeOptions.config.cap
    if (!cap || request.method !== 'GET' || !request.caller || max[cap] === 0) return
    const release = await caps.acquire(cap, `${request.caller.kind}:${request.caller.id}`, max[cap])
    if (!release) {
      throw problem(Errors.RateLimited, [`The caller already has ${max[cap]} ${what[cap]} open, the most allowed at once`], { retryAfter: CAP_RETRY_AFTER_S })
    }
    const res = reply.raw
    if (res.closed || res.destroyed) release()
    else res.once('close', release)
  }
  // On the capped routes only: other routes (cached reads) pay nothing.
  app.addHook('onRoute', route => {
    if (!route.config?.cap) return
    route.preHandler = withHook(route.preHandler, holdLease as never)
  })
}, { name: 'caps', dependencies: ['auth'] })
