import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { StringEnum } from '../schemas/common.js'

const Health = Type.Object({ status: StringEnum(['ok']) }, { additionalProperties: false })
const Readiness = Type.Object({
  status: StringEnum(['ready', 'unready', 'draining']),
  checks: Type.Object({
    upstream: StringEnum(['ok', 'down', 'rejected'], { description: 'down: unreachable or failing (still ready: the cache serves stale-if-error); rejected: vi-bff\'s credentials refused (unready)' }),
    cache: StringEnum(['ok', 'degraded']),
    cacheKind: StringEnum(['memory', 'redis'])
  }, { additionalProperties: false })
}, { additionalProperties: false })

type UpstreamState = 'ok' | 'down' | 'rejected'

/** How long one upstream check result is reused, and how long a check may take (the probe answers within 2 s). */
export const UPSTREAM_CHECK_EVERY_MS = 5000
export const UPSTREAM_CHECK_TIMEOUT_MS = 1500

const routes: FastifyPluginAsyncTypebox = async function (app) {
  let last: { at: number, result: UpstreamState } | undefined
  let running: Promise<UpstreamState> | undefined

  async function runCheck (): Promise<UpstreamState> {
    const signal = AbortSignal.timeout(UPSTREAM_CHECK_TIMEOUT_MS)
    const call = app.viApi.listDatasets({ pageSize: 1 }, { retry: false, probe: true, signal }).then(
      () => 'ok' as const,
      err => (err as { code?: string }).code === 'BFF_UPSTREAM_AUTH_FAILED' ? 'rejected' as const : 'down' as const
    )
    // The probe's bound does not depend on the client honouring the signal.
    const late = new Promise<'down'>(resolve => signal.addEventListener('abort', () => resolve('down'), { once: true }))
    return Promise.race([call, late])
  }

  /** One cheap authenticated upstream call, single attempt, at most every few seconds; concurrent probes share it. */
  function upstreamCheck (): Promise<UpstreamState> {
    if (last && performance.now() - last.at < UPSTREAM_CHECK_EVERY_MS) return Promise.resolve(last.result)
    running ??= runCheck().then(result => {
      last = { at: performance.now(), result }
      return result
    }).finally(() => { running = undefined })
    return running
  }

  /** Redis answers within its command timeout, but a probe never waits longer than the upstream check. */
  function cacheCheck (): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined
    return Promise.race([
      app.cache.ping().catch(() => undefined),
      new Promise(resolve => { timer = setTimeout(resolve, UPSTREAM_CHECK_TIMEOUT_MS) })
    ]).finally(() => clearTimeout(timer))
  }

  app.get('/healthz', {
    logLevel: 'warn',
    config: { servesWhileDraining: true },
    schema: { operationId: 'getHealth', tags: ['operations'], summary: 'Liveness: the process answers', description: 'Always 200 while the process serves requests, also while it drains; no dependency is checked. Public.', security: [], response: { 200: { ...Health, description: 'Alive' } } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    logLevel: 'warn',
    config: { servesWhileDraining: true },
    schema: {
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'Readiness: unready while shutting down or while the Vi API rejects vi-bff\'s credentials',
      description: 'Whether this replica should get traffic, answered within 2 s, with the state of its dependencies in `checks`. An unreachable Vi API (`upstream: down`) or a failing Redis is reported but stays ready, since the cache keeps serving. Public.',
      security: [],
      response: { 200: { ...Readiness, description: 'Ready' }, 503: { ...Readiness, description: 'Not ready: shutting down, or the Vi API rejects vi-bff\'s credentials' } }
    }
  }, async (_request, reply) => {
    if (app.lifecycle.draining) {
      const checks = { upstream: last?.result ?? 'ok', cache: app.cache.state(), cacheKind: app.cache.kind }
      return reply.code(503).send({ status: 'draining', checks })
    }
    const [upstream] = await Promise.all([upstreamCheck(), cacheCheck()])
    const checks = { upstream, cache: app.cache.state(), cacheKind: app.cache.kind }
    const ready = upstream !== 'rejected'
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unready', checks })
  })
}
export default routes
