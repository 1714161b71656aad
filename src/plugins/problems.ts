import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Errors, problem, type ProblemExtras } from '../errors.js'
import { problemBody } from '../problem-body.js'

type AnyError = FastifyError & ProblemExtras & { validationContext?: string }

declare module 'fastify' {
  interface FastifyInstance {
    /** RETRY_AFTER_MAX_S: the largest Retry-After vi-bff sends. */
    retryAfterMaxS: number
  }
}

/** How many field errors a validation problem lists; the detail says how many more there were. */
export const MAX_FIELD_ERRORS = 10
const MAX_PATH_CHARS = 200
const DEFAULT_RETRY_AFTER_MAX_S = 300

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'headers' }

// Query parameter names that carry credentials (OAuth, presigned S3/GCS URLs, API keys), matched on their last word.
const SECRET_PARAM = /(?:^|[^a-z0-9])(?:api_?key|apikey|key|token|secret|password|passwd|pwd|signature|sig|credential|code|jwt|session|auth)$/i

/** A URL fit for a log line: the values of query parameters that may hold credentials replaced. */
export function safeUrl (url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const query = url.slice(q + 1).split('&').map(pair => {
    const eq = pair.indexOf('=')
    const raw = eq === -1 ? pair : pair.slice(0, eq)
    let name = raw
    try { name = decodeURIComponent(raw.replace(/\+/g, ' ')) } catch {}
    return SECRET_PARAM.test(name.trim()) ? `${raw}=[redacted]` : pair
  })
  return `${url.slice(0, q)}?${query.join('&')}`
}

/** A Retry-After value as RFC 9110 wants it: whole seconds, here within 1..max. */
export function clampRetryAfter (seconds: number, max: number): number | undefined {
  if (!Number.isFinite(seconds)) return Number.isNaN(seconds) ? undefined : max
  return Math.min(max, Math.max(1, Math.ceil(seconds)))
}

const shorten = (path: string) => path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path

/**
 * Ajv errors as `{path, message}` with dotted paths such as `body.options.splitRatio`: one per path (anyOf
 * branches repeat a path; the first says most), at most MAX_FIELD_ERRORS, in one linear pass.
 */
function validationErrors (err: AnyError): { errors: Array<{ path: string, message: string }>, more: number } {
  const context = CONTEXT_NAMES[err.validationContext ?? ''] ?? err.validationContext ?? 'request'
  const seen = new Set<string>()
  const errors: Array<{ path: string, message: string }> = []
  for (const v of err.validation ?? []) {
    const params = v.params as { missingProperty?: string, additionalProperty?: string }
    const segments = v.instancePath.split('/').filter(Boolean)
    if (params.missingProperty) segments.push(params.missingProperty)
    if (params.additionalProperty) segments.push(params.additionalProperty)
    const path = shorten([context, ...segments].join('.'))
    if (seen.has(path)) continue
    seen.add(path)
    if (errors.length < MAX_FIELD_ERRORS) {
      const message = params.additionalProperty ? 'is not a known property' : params.missingProperty ? 'is required' : v.message ?? 'is invalid'
      errors.push({ path, message })
    }
  }
  return { errors, more: seen.size - errors.length }
}

function isStackOverflow (err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message)
}

const GENERIC_CODES: Record<number, string> = {
  403: 'BFF_FORBIDDEN',
  404: 'BFF_ROUTE_NOT_FOUND',
  408: 'BFF_CLIENT_TIMEOUT',
  413: 'BFF_BODY_TOO_LARGE',
  414: 'BFF_URI_TOO_LONG',
  415: 'BFF_UNSUPPORTED_MEDIA_TYPE',
  416: 'BFF_RANGE_NOT_SATISFIABLE',
  431: 'BFF_HEADERS_TOO_LARGE'
}

/** Fastify's own errors mapped to vi-bff codes: anything a caller can send ends as a 4xx, never a 500. */
function normalize (err: AnyError, request: FastifyRequest): AnyError {
  if (err.code?.startsWith('BFF_')) return err
  if (err.validation) {
    const { errors, more } = validationErrors(err)
    const first = errors[0]
    const detail = first ? `${first.path} ${first.message}` : 'Invalid request'
    return problem(Errors.ValidationFailed, [more > 0 ? `${detail}; ${errors.length + more} errors, the first ${errors.length} listed` : detail], { fieldErrors: errors }) as AnyError
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return problem(Errors.BodyTooLarge, [request.routeOptions.bodyLimit ?? 1024 * 1024]) as AnyError
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return problem(Errors.UnsupportedMediaType, [JSON.stringify(String(request.headers['content-type'] ?? '').slice(0, 100))]) as AnyError
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return problem(Errors.ValidationFailed, ['body is required: send a JSON object (or omit Content-Type)'], { fieldErrors: [{ path: 'body', message: 'is required' }] }) as AnyError
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return problem(Errors.InvalidJson, [err.message]) as AnyError
    case 'FST_ERR_BAD_URL': return problem(Errors.BadRequest, ['The URL is not valid (bad percent-encoding)']) as AnyError
    case 'FST_ERR_MAX_PARAM_LENGTH': return problem(Errors.UriTooLong, ['A path segment of the URL is too long']) as AnyError
  }
  if (err instanceof SyntaxError) return problem(Errors.InvalidJson, [err.message]) as AnyError
  // A caller's deeply nested input overflows a recursive walk: their input, so a 400.
  if (isStackOverflow(err)) return problem(Errors.BadRequest, ['The request is nested too deeply']) as AnyError
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Any other 4xx a plugin raises (@fastify/static's 403/416...) keeps its status under a documented code.
    return Object.assign(new Error(err.message), { code: GENERIC_CODES[status] ?? 'BFF_BAD_REQUEST', statusCode: status }) as AnyError
  }
  return err
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, err: AnyError) {
  const body = problemBody(err, request.url.split('?')[0] ?? '/', request.id)
  if (err.retryAfter !== undefined) {
    const seconds = clampRetryAfter(err.retryAfter, request.server.retryAfterMaxS ?? DEFAULT_RETRY_AFTER_MAX_S)
    if (seconds !== undefined) reply.header('retry-after', String(seconds))
  }
  if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="vi-bff", charset="UTF-8"')
  // Anything attached for the success path (ETag, Cache-Status, Content-Disposition...) does not describe a problem.
  reply.removeHeader('etag')
  reply.removeHeader('content-disposition')
  return reply.code(body.status).type('application/problem+json').send(JSON.stringify(body))
}

/** What Fastify rejects before routing (bad percent-encoding, an over-long path segment): problem+json too. */
export function frameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const err = normalize(error as AnyError, request)
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff')
  reply.raw.once('finish', () => {
    request.log.info({ method: request.method, path: safeUrl(request.url), status: reply.statusCode, code: err.code }, 'request')
  })
  return sendProblem(request, reply, err)
}

/** A complete problem+json response written straight to a socket, for errors that have no request object. */
export function problemResponse (err: AnyError, extraHeaders: Record<string, string> = {}): string {
  const body = JSON.stringify(problemBody(err, '/', randomUUID()))
  const headers = {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
    ...extraHeaders
  }
  const status = err.statusCode ?? 400
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines}\r\n${body}`
}

/**
 * Node's `clientError` (what its HTTP parser rejects, and header/request timeouts) as problem+json:
 * 431 for oversized headers, 414 when the request line alone is the reason, 408 on timeouts, else 400.
 */
export function clientErrorHandler (this: FastifyInstance, err: Error & { code?: string, rawPacket?: unknown }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  let answer: AnyError
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // The request line alone fills most of Node's 16 KiB header budget: the URL is the problem.
    const line = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.indexOf('\r\n') : -1
    answer = (line === -1 || line > 8192 ? problem(Errors.UriTooLong, ['The request line (URL) is too long']) : problem(Errors.HeadersTooLarge, [])) as AnyError
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    answer = problem(Errors.ClientTimeout, []) as AnyError
  } else {
    answer = problem(Errors.BadRequest, ['The request is not valid HTTP']) as AnyError
  }
  this.log.debug({ code: err.code, status: answer.statusCode }, 'client error')
  if (socket.writable && !pending?.headersSent) socket.end(problemResponse(answer))
  else socket.destroy()
}

/**
 * RFC 9457 problem+json for every failure: thrown errors, validation, unknown routes and wrong methods.
 * 5xx details are logged with the request context and hidden from the caller.
 */
export default fp<{ retryAfterMaxS?: number }>(async function problems (app, { retryAfterMaxS }) {
  app.decorate('retryAfterMaxS', retryAfterMaxS ?? DEFAULT_RETRY_AFTER_MAX_S)
  const routes: Array<{ pattern: RegExp, methods: Set<string> }> = []
  app.addHook('onRoute', route => {
    if (route.url.includes('*')) return
    const pattern = new RegExp('^' + route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+') + '/?$')
    const existing = routes.find(r => r.pattern.source === pattern.source)
    const methods = ([] as string[]).concat(route.method)
    if (existing) methods.forEach(m => existing.methods.add(m))
    else routes.push({ pattern, methods: new Set(methods) })
  })

  app.setErrorHandler(function (error, request, reply) {
    const err = normalize(error as AnyError, request)
    const status = err.statusCode ?? 500
    if (status >= 500) request.log.error({ err: error, req: { method: request.method, path: safeUrl(request.url), params: request.params } }, 'request failed')
    else request.log.info({ code: err.code, status }, 'request rejected')
    return sendProblem(request, reply, err)
  })

  app.setNotFoundHandler(function (request, reply) {
    const path = request.url.split('?')[0] ?? '/'
    const match = routes.find(r => r.pattern.test(path))
    if (match) {
      const allow = [...match.methods].sort().join(', ')
      reply.header('allow', allow)
      return sendProblem(request, reply, problem(Errors.MethodNotAllowed, [request.method, path]) as AnyError)
    }
    return sendProblem(request, reply, problem(Errors.RouteNotFound, [request.method, path]) as AnyError)
  })
}, { name: 'problems' })
