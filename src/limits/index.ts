import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createLimitsRedis } from './redis.js'
import rateLimits from './rate-limit.js'
import caps from './caps.js'

/** Fair use per caller: rate limits and concurrency caps, sharing one Redis connection when REDIS_URL is set. */
export default fp<{ config: Config }>(async function limits (app, { config }) {
  const redis = createLimitsRedis(config, app.log.child({ component: 'limits' }))
  if (redis) app.addHook('onClose', async () => { redis.close() })
  await app.register(rateLimits, { config, redis })
  await app.register(caps, { config, redis })
}, { name: 'limits', dependencies: ['auth'] })
