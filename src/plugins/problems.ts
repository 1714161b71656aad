import fp from 'fastify-plugin'
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Errors, problem, type ProblemExtras } from '../errors.js'
import { problemBody } from '../problem-body.js'

type AnyError = FastifyError & ProblemExtras & { validationContext?: string }

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'headers' }

/** Ajv errors as `{path, message}` with dotted paths such as `body.options.splitRatio`. */
function validationErrors (err: AnyError): Array<{ path: string, message: string }> {
  const context = CONTEXT_NAMES[err.validationContext ?? ''] ?? err.validationContext ?? 'request'
  return (err.validation ?? []).map(v => {
    const params = v.params as { missingProperty?: string, additionalProperty?: string }
    const segments = v.instancePath.split('/').filter(Boolean)
    if (params.missingProperty) segments.push(params.missingProperty)
    if (params.additionalProperty) segments.push(params.additionalProperty)
    const message = params.additionalProperty ? 'is not a known property' : params.missingProperty ? 'is required' : v.message ?? 'is invalid'
    return { path: [context, ...segments].join('.'), message }
  }).filter((e, i, all) => all.findIndex(o => o.path === e.path) === i) // anyOf branches repeat a path; the first says most
}

/** Fastify's own errors mapped to vi-bff codes: anything a caller can send ends as a 4xx, never a 500. */
function normalize (err: AnyError, request: FastifyRequest): AnyError {
  if (err.code?.startsWith('BFF_')) return err
  if (err.validation) {
    const errors = validationErrors(err)
    const first = errors[0]
    return problem(Errors.ValidationFailed, [first ? `${first.path} ${first.message}` : 'Invalid request'], { fieldErrors: errors }) as AnyError
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return problem(Errors.BodyTooLarge, [1024 * 1024]) as AnyError
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return problem(Errors.UnsupportedMediaType, [JSON.stringify(String(request.headers['content-type'] ?? '').slice(0, 100))]) as AnyError
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return problem(Errors.ValidationFailed, ['body is required: send a JSON object (or omit Content-Type)'], { fieldErrors: [{ path: 'body', message: 'is required' }] }) as AnyError
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return problem(Errors.InvalidJson, [err.message]) as AnyError
  }
  if (err instanceof SyntaxError) return problem(Errors.InvalidJson, [err.message]) as AnyError
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return Object.assign(new Error(err.message), { code: `BFF_${(STATUS_CODES[status] ?? 'BAD_REQUEST').toUpperCase().replace(/[^A-Z]+/g, '_')}`, statusCode: status }) as AnyError
  }
  return err
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, err: AnyError) {
  const body = problemBody(err, request.url.split('?')[0] ?? '/', request.id)
  const status = body.status
  if (err.retryAfter) reply.header('retry-after', String(err.retryAfter))
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="vi-bff", charset="UTF-8"')
  // Anything attached for the success path (ETag, Cache-Status, Content-Disposition...) does not describe a problem.
  reply.removeHeader('etag')
  reply.removeHeader('content-disposition')
  return reply.code(status).type('application/problem+json').send(JSON.stringify(body))
}

/**
 * RFC 9457 problem+json for every failure: thrown errors, validation, unknown routes and wrong methods.
 * 5xx details are logged with the request context and hidden from the caller.
 */
export default fp(async function problems (app) {
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
    if (status >= 500) request.log.error({ err: error, req: { method: request.method, url: request.url, params: request.params } }, 'request failed')
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
