import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { IncomingMessage } from 'node:http'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import problems, { frameworkErrors, clientErrorHandler, safeUrl } from './plugins/problems.js'
import connections from './plugins/connections.js'
import metrics from './plugins/metrics.js'
import pressure from './plugins/pressure.js'
import openapi from './plugins/swagger.js'
import auth from './plugins/auth.js'
import limits from './limits/index.js'
import audit from './plugins/audit.js'
import idempotency from './plugins/idempotency.js'
import upstream from './plugins/upstream.js'
import cache from './plugins/cache.js'
import schemas from './schemas/index.js'
import validation from './plugins/validation.js'
import deadline from './plugins/deadline.js'
import datasetsService from './services/datasets.js'
import healthRoutes from './routes/health.js'
import datasetRoutes from './routes/datasets.js'
import exportRoutes from './routes/exports.js'
import assetDeletionRoutes from './routes/asset-deletions.js'
import archivesService from './services/archives.js'
import archiveRoutes from './routes/archives.js'
import authRoutes from './routes/auth.js'
import staticApp from './plugins/static.js'
import { telemetry, withTraceIds } from './telemetry/index.js'

export const { version } = createRequire(import.meta.url)('../package.json') as { version: string }

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Paths pino must never print, whatever a future log line includes. */
export const REDACT = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]', 'headers.cookie', 'cookie',
  'headers.authorization', 'headers["x-api-key"]', 'authorization', '*.authorization',
  'secretKey', '*.secretKey', 'url', '*.signedUrl', 'signedUrl'
]

/**
 * Fastify's constructor options, shared by server.ts and the tests so both build the same server:
 * request ids, 1 MiB bodies, HEAD on every GET route, problem+json for what Fastify and Node's parser reject.
 */
export function serverOptions (config: Config, logger: FastifyServerOptions['logger'] = false): FastifyServerOptions {
  return {
    // With tracing on, every line logged while a traced request runs carries its traceId.
    logger: withTraceIds(logger),
    // One line per request, written on response (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    exposeHeadRoutes: true,
    frameworkErrors,
    clientErrorHandler,
    // The connections plugin answers requests that arrive while draining (problem+json, health probes).
    return503OnClosing: false,
    // Field errors are built (bounded) by the error handler; Fastify's default joins every Ajv error into one string.
    schemaErrorFormatter: (_errors, dataVar) => new Error(`${dataVar} is invalid`),
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 }
  }
}

/** The application as one plugin: infrastructure in data-flow order, then services, then routes. */
export default fp<{ config: Config }>(async function app (app: FastifyInstance, { config }) {
  // First, so that the request span is active for every later hook, route and upstream call.
  const tracing = telemetry()
  if (tracing) await app.register(tracing.fastifyPlugin)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff')
    done()
  })
  // The request line is built from fixed fields none of which can hold a secret (the path has no query string, the
  // caller is a kind and a name), so it is written through a child without redaction, which costs more than the
  // rest of the line; every other log line keeps REDACT. request.log's level still decides (health probes log at warn).
  const access = app.log.child({}, { redact: [] })
  app.addHook('onResponse', (request, reply, done) => {
    if ((request.log as Partial<Pick<Logger, 'isLevelEnabled'>>).isLevelEnabled?.('info')) {
      const caller = request.caller
      access.info({ reqId: request.id, method: request.method, path: safeUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime), caller: caller ? { kind: caller.kind, id: caller.id } : undefined }, 'request')
    }
    done()
  })
  // JSON only: without this Fastify would accept text/plain bodies as strings.
  app.removeContentTypeParser('text/plain')
  await app.register(problems, { retryAfterMaxS: config.RETRY_AFTER_MAX_S })
  await app.register(connections)
  await app.register(deadline, { timeoutMs: config.REQUEST_TIMEOUT_MS })
  await app.register(metrics, { token: config.METRICS_TOKEN })
  // Before authentication and everything else: a shed request costs as little as possible.
  await app.register(pressure, { config })
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      // Cookies of a configured frontend origin (never with '*', which browsers refuse with credentials).
      credentials: !config.corsOrigins.includes('*'),
      allowedHeaders: ['authorization', 'x-api-key', 'x-csrf', 'content-type', 'if-none-match', 'if-match', 'idempotency-key', 'if-range', 'range', 'cache-control', 'x-request-id'],
      exposedHeaders: ['etag', 'cache-status', 'content-disposition', 'content-range', 'content-location', 'accept-ranges', 'retry-after', 'location', 'x-request-id', 'idempotent-replayed', 'ratelimit', 'ratelimit-policy'],
      maxAge: 600
    })
  }
  await app.register(schemas)
  await app.register(validation)
  await app.register(openapi, { sessionCookie: config.auth.session?.cookieName })
  await app.register(auth, { config })
  await app.register(limits, { config })
  await app.register(audit)
  await app.register(idempotency, { config })
  await app.register(upstream, { config, userAgent: `vi-bff/${version}` })
  await app.register(cache, { config })
  await app.register(datasetsService, { config })
  await app.register(healthRoutes)
  await app.register(datasetRoutes)
  await app.register(exportRoutes)
  await app.register(assetDeletionRoutes)
  await app.register(archivesService, { config, userAgent: `vi-bff/${version}` })
  await app.register(archiveRoutes)
  await app.register(authRoutes, { config })
  if (config.auth.staticDir) await app.register(staticApp, { root: config.auth.staticDir })
}, { name: 'vi-bff' })
