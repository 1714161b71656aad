import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createCache, type Cache } from '../cache/cache.js'
import { createMemoryStore } from '../cache/memory-store.js'
import { createRedisStore } from '../cache/redis-store.js'
import { redisTarget } from '../redis/client.js'

declare module 'fastify' {
  interface FastifyInstance {
    cache: Cache
  }
}

/** The lookup cache: Redis when REDIS_URL is set, otherwise a bounded in-process LRU. */
export default fp<{ config: Config }>(async function cache (app, { config }) {
  const store = config.REDIS_URL
    ? createRedisStore({
      ...redisTarget(config),
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      log: app.log.child({ component: 'redis' }),
      onStateChange: state => app.metrics.cacheDegraded.set(state === 'degraded' ? 1 : 0)
    })
    : createMemoryStore({ maxEntries: config.CACHE_MAX_ENTRIES, maxBytes: config.CACHE_MAX_BYTES })
  if (config.REDIS_URL) {
    try {
      await store.ping()
    } catch (err) {
      app.log.warn({ err }, 'redis did not answer at boot; starting with the cache bypassed')
    }
  }
  app.decorate('cache', createCache({
    store,
    log: app.log.child({ component: 'cache' }),
    notFoundTtlMs: config.CACHE_TTL_NOT_FOUND_S * 1000,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    onOutcome: (kind, outcome) => app.metrics.cacheOutcomes.inc({ kind, outcome }),
    onPending: scopes => app.metrics.cachePendingInvalidations.set(scopes),
    onReplay: scopes => app.metrics.cacheInvalidationReplays.inc(scopes)
  }))
  app.addHook('onClose', async () => { await app.cache.close() })
}, { name: 'cache', dependencies: ['metrics'] })
