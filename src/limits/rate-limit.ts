import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { createRequire } from 'node:module'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { Errors, problem } from '../errors.js'
import type { LimitsRedis } from './redis.js'
import { asksNoCache } from '../routes/http.js'

type Result = { current: number, ttl: number }
type Callback = (err: Error | null, result?: Result) => void
interface StoreLike { incr (key: string, cb: Callback, timeWindow: number, max: number): void }
type StoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, arg?: unknown, prefix?: string) => StoreLike

// The plugin's own stores (not exported as ESM): memory counters per replica and the Redis Lua counter.
const require = createRequire(import.meta.url)
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as StoreCtor
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as StoreCtor

const WINDOW_MS = 60_000

/**
 * The plugin's Redis store when Redis answers, its memory store when it does not: `skipOnError` would let every
 * request through unbounded and a failing store would refuse everyone, so a failure falls back instead.
 */
export function fallbackStore (redis: LimitsRedis | undefined): new () => StoreLike & { child (): StoreLike } {
  return class FallbackStore {
    local = new LocalStore(false, false, 10_000)
    shared = redis ? new RedisStore(false, false, redis.client, `${redis.prefix}rate:`) : undefined
    incr (key: string, cb: Callback, timeWindow: number, max: number) {
      const local = () => new Promise<Result>(resolve => this.local.incr(key, (_e, r) => resolve(r!), timeWindow, max))
      const shared = this.shared
      if (!shared || !redis) {
        this.local.incr(key, cb, timeWindow, max)
        return
      }
      redis.run(() => new Promise<Result>((resolve, reject) => shared.incr(key, (err, r) => (err ? reject(err) : resolve(r!)), timeWindow, max)), local)
        .then(r => cb(null, r), cb)
    }

    child () { return this }
  }
}

export type Budget = 'reads' | 'writes'

/** Writes: POST and DELETE, and a read that asks to go upstream on a route that accepts Cache-Control. */
export function budgetOf (request: FastifyRequest): Budget {
  if (request.method !== 'GET' && request.method !== 'HEAD') return 'writes'
  const headers = (request.routeOptions.schema?.headers ?? {}) as { properties?: Record<string, unknown> }
  return headers.properties?.['Cache-Control'] !== undefined && asksNoCache(request) ? 'writes' : 'reads'
}

/**
 * Per-caller rate limits on every authenticated route (public routes have no `config.scope`): RATE_LIMIT_READS
 * and RATE_LIMIT_WRITES per minute, counted in Redis when REDIS_URL is set (one budget for all replicas).
 * Runs as an onRequest hook after auth, so a limited request reaches no handler and costs no upstream call.
 * Every response of a limited route carries the IETF RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers).
 */
export default fp<{ config: Config, redis?: LimitsRedis }>(async function rateLimits (app, { config, redis }) {
  const max: Record<Budget, number> = { reads: config.RATE_LIMIT_READS, writes: config.RATE_LIMIT_WRITES }
  if (max.reads === 0 && max.writes === 0) return
  await app.register(rateLimit, {
    global: false,
    store: fallbackStore(redis) as never,
    addHeaders: {},
    addHeadersOnExceeding: {}
  })
  const limiters = {
    reads: app.createRateLimit({ max: max.reads, timeWindow: WINDOW_MS, keyGenerator: req => `reads:${req.caller!.kind}:${req.caller!.id}` }),
    writes: app.createRateLimit({ max: max.writes, timeWindow: WINDOW_MS, keyGenerator: req => `writes:${req.caller!.kind}:${req.caller!.id}` })
  }

  app.addHook('onRequest', async (request, reply) => {
    if (!request.caller || !request.routeOptions.config.scope) return
    const budget = budgetOf(request)
    if (max[budget] === 0) return
    const r = await limiters[budget](request)
    if (r.isAllowed) return
    const resetS = Math.max(0, r.ttlInSeconds)
    reply.header('ratelimit-policy', `"${budget}";q=${r.max};w=${WINDOW_MS / 1000}`)
    reply.header('ratelimit', `"${budget}";r=${r.remaining};t=${resetS}`)
    if (r.isExceeded) {
      throw problem(Errors.RateLimited, [`The caller has used its ${r.max} ${budget} per minute`], { retryAfter: Math.max(1, resetS) })
    }
  })
}, { name: 'rate-limits', dependencies: ['auth'] })
