import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createUpstreamClient, type UpstreamClient } from '../upstream/client.js'
import { createDatasetsApi, type DatasetsApi } from '../upstream/datasets-api.js'

declare module 'fastify' {
  interface FastifyInstance {
    upstream: UpstreamClient
    viApi: DatasetsApi
  }
}

/** The Vi API client (one undici Pool for the origin) and its typed endpoints; closed with the app. */
export default fp<{ config: Config, userAgent: string }>(async function upstream (app, { config, userAgent }) {
  const client = createUpstreamClient({
    origin: config.upstreamOrigin,
    secretKey: config.DATATURE_VI_SECRET_KEY,
    organizationId: config.DATATURE_VI_ORGANIZATION_ID,
    userAgent,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.UPSTREAM_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.UPSTREAM_BODY_TIMEOUT_MS,
    connections: config.UPSTREAM_CONNECTIONS,
    maxRetries: config.UPSTREAM_MAX_RETRIES,
    retryMaxDelayMs: config.UPSTREAM_RETRY_MAX_DELAY_MS,
    retryAfterMaxS: config.RETRY_AFTER_MAX_S,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    retryBudget: config.UPSTREAM_RETRY_BUDGET,
    retryMinPerSecond: config.UPSTREAM_RETRY_MIN_PER_S,
    breaker: {
      threshold: config.UPSTREAM_BREAKER_THRESHOLD,
      minRequests: config.UPSTREAM_BREAKER_MIN_REQUESTS,
      windowMs: config.UPSTREAM_BREAKER_WINDOW_MS,
      halfOpenMs: config.UPSTREAM_BREAKER_HALF_OPEN_MS
    },
    maxConcurrent: config.UPSTREAM_MAX_CONCURRENT ?? config.UPSTREAM_CONNECTIONS,
    queueSize: config.UPSTREAM_QUEUE_SIZE,
    onResult: (op, outcome) => app.metrics.upstreamCalls.inc({ op, outcome }),
    onRetry: op => app.metrics.upstreamRetries.inc({ op }),
    onBudgetExhausted: op => app.metrics.upstreamRetryBudgetExhausted.inc({ op }),
    onBreakerState: (cls, state) => app.metrics.upstreamBreakerState.set({ class: cls }, state),
    onBreakerRejected: cls => app.metrics.upstreamBreakerRejections.inc({ class: cls }),
    onBulkheadRejected: () => app.metrics.upstreamBulkheadRejections.inc()
  })
  app.decorate('upstream', client)
  app.decorate('viApi', createDatasetsApi(client))
  app.addHook('onClose', async () => { await client.close() })
}, { name: 'upstream', dependencies: ['metrics'] })
