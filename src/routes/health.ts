import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { StringEnum } from '../schemas/common.js'

const Health = Type.Object({ status: StringEnum(['ok']) }, { additionalProperties: false })
const Readiness = Type.Object({
  status: StringEnum(['ready', 'unready']),
  checks: Type.Object({
    upstream: StringEnum(['ok', 'unreachable', 'rejected']),
    cache: StringEnum(['ok', 'degraded']),
    cacheKind: StringEnum(['memory', 'redis'])
  }, { additionalProperties: false })
}, { additionalProperties: false })

const UPSTREAM_CHECK_EVERY_MS = 5000

const routes: FastifyPluginAsyncTypebox = async function (app) {
  let lastCheck = { at: 0, result: 'ok' as 'ok' | 'unreachable' | 'rejected' }

  /** One cheap authenticated upstream call at most every few seconds, however often probes come. */
  async function upstreamCheck () {
    if (Date.now() - lastCheck.at < UPSTREAM_CHECK_EVERY_MS) return lastCheck.result
    let result: typeof lastCheck.result = 'ok'
    try {
      await app.viApi.listDatasets({ pageSize: 1 })
    } catch (err) {
      result = (err as { code?: string }).code === 'BFF_UPSTREAM_AUTH_FAILED' ? 'rejected' : 'unreachable'
    }
    lastCheck = { at: Date.now(), result }
    return result
  }

  app.get('/healthz', {
    logLevel: 'warn',
    schema: { operationId: 'getHealth', tags: ['operations'], summary: 'Liveness: the process answers', description: 'Always 200 while the process serves requests; no dependency is checked. Public.', security: [], response: { 200: { ...Health, description: 'Alive' } } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    logLevel: 'warn',
    schema: {
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'Readiness: the Vi API answers vi-bff\'s credentials; a failing Redis is reported as degraded, not unready',
      description: 'Whether this replica should get traffic, with the state of its dependencies in `checks`. Public.',
      security: [],
      response: { 200: { ...Readiness, description: 'Ready' }, 503: { ...Readiness, description: 'Not ready: the Vi API is unreachable or rejects vi-bff\'s credentials' } }
    }
  }, async (_request, reply) => {
    const [upstream] = await Promise.all([upstreamCheck(), app.cache.ping().catch(() => undefined)])
    const checks = { upstream, cache: app.cache.state(), cacheKind: app.cache.kind }
    const ready = upstream === 'ok'
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unready', checks })
  })
}
export default routes
