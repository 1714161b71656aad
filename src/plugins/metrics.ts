import fp from 'fastify-plugin'
import { timingSafeEqual, createHash } from 'node:crypto'
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client'
import { Errors, problem } from '../errors.js'

function createMetrics () {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpDuration: new Histogram({
      name: 'vibff_http_request_duration_seconds',
      help: 'Time to the last byte of responses, by route, status and caller kind (apiKey, jwt, session, none)',
      labelNames: ['method', 'route', 'status', 'caller'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry]
    }),
    upstreamCalls: new Counter({
      name: 'vibff_upstream_requests_total',
      help: 'Calls to the Vi API, by operation and outcome (HTTP status or error code)',
      labelNames: ['op', 'outcome'],
      registers: [registry]
    }),
    upstreamRetries: new Counter({
      name: 'vibff_upstream_retries_total',
      help: 'Retries sent to the Vi API (attempts after the first), by operation',
      labelNames: ['op'],
      registers: [registry]
    }),
    upstreamRetryBudgetExhausted: new Counter({
      name: 'vibff_upstream_retry_budget_exhausted_total',
      help: 'Retries not sent because the retry budget (UPSTREAM_RETRY_BUDGET) was spent, by operation',
      labelNames: ['op'],
      registers: [registry]
    }),
    upstreamBreakerState: new Gauge({
      name: 'vibff_upstream_breaker_state',
      help: 'Circuit breaker state by operation class (read: GET, write: POST and DELETE): 0 closed, 1 half-open, 2 open',
      labelNames: ['class'],
      registers: [registry]
    }),
    upstreamBreakerRejections: new Counter({
      name: 'vibff_upstream_breaker_rejections_total',
      help: 'Upstream calls answered 503 at once because their class\'s circuit breaker was open, by class',
      labelNames: ['class'],
      registers: [registry]
    }),
    upstreamBulkheadRejections: new Counter({
      name: 'vibff_upstream_bulkhead_rejections_total',
      help: 'Upstream calls answered 503 at once because UPSTREAM_MAX_CONCURRENT requests ran and UPSTREAM_QUEUE_SIZE waited',
      registers: [registry]
    }),
    cacheOutcomes: new Counter({
      name: 'vibff_cache_lookups_total',
      help: 'Cache lookups by kind and outcome (hit, stale, miss, collapsed, stale-if-error, bypass, refresh, negative-hit)',
      labelNames: ['kind', 'outcome'],
      registers: [registry]
    }),
    cacheDegraded: new Gauge({
      name: 'vibff_cache_degraded',
      help: '1 while the Redis cache is failing and bypassed',
      registers: [registry]
    }),
    cachePendingInvalidations: new Gauge({
      name: 'vibff_cache_pending_invalidations',
      help: 'Cache scopes whose invalidation this replica acknowledged but could not write to Redis yet (replayed once Redis answers; those scopes bypass the cache meanwhile)',
      registers: [registry]
    }),
    cacheInvalidationReplays: new Counter({
      name: 'vibff_cache_invalidation_replays_total',
      help: 'Cache scopes whose pending invalidation was written to Redis late (after Redis answered again)',
      registers: [registry]
    }),
    archiveBytes: new Counter({
      name: 'vibff_archive_bytes_total',
      help: 'Archive bytes streamed to callers',
      registers: [registry]
    }),
    shedRequests: new Counter({
      name: 'vibff_shed_requests_total',
      help: 'Requests answered 503 BFF_OVERLOADED by load shedding, by the limit that was passed (eventLoopDelay, eventLoopUtilization, heapUsedBytes, rssBytes)',
      labelNames: ['reason'],
      registers: [registry]
    }),
    overloaded: new Gauge({
      name: 'vibff_overloaded',
      help: '1 while a load-shedding limit is passed (requests other than /healthz, /readyz and /metrics get 503)',
      registers: [registry]
    })
  }
}
export type Metrics = ReturnType<typeof createMetrics>

declare module 'fastify' {
  interface FastifyInstance { metrics: Metrics }
}

/** Prometheus metrics (prom-client, one registry per app), served at /metrics, behind METRICS_TOKEN if set. */
export default fp<{ token?: string | undefined }>(async function metrics (app, { token }) {
  const m = createMetrics()
  app.decorate('metrics', m)
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    m.httpDuration.observe({ method: request.method, route, status: reply.statusCode, caller: request.caller?.kind ?? 'none' }, reply.elapsedTime / 1000)
    done()
  })
  const expected = token ? createHash('sha256').update(token).digest() : undefined
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected) {
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
      if (!timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
        throw problem(Errors.Unauthenticated, ['/metrics needs "Authorization: Bearer <METRICS_TOKEN>"'])
      }
    }
    return reply.type(m.registry.contentType).send(await m.registry.metrics())
  })
}, { name: 'metrics' })
