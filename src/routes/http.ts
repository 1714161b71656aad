import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ref, Problem, DEFAULT_PAGE_SIZE, type PageQuery } from '../schemas/common.js'
import type { PageParams } from '../upstream/datasets-api.js'
import type { Reply, ReadOptions } from '../services/datasets.js'

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input, or the Vi API rejected it',
  401: 'Missing or invalid credentials (API key, JWT or session cookie)',
  403: 'The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check',
  404: 'Not found',
  409: 'Conflict reported by the Vi API',
  413: 'Request body over 1 MiB',
  415: 'Unsupported Content-Type',
  412: 'If-Match does not match the resource\'s current ETag; nothing was changed',
  416: 'Range not satisfiable',
  422: 'The export failed and has no archive',
  429: 'The caller\'s rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds',
  502: 'The Vi API failed, broke its protocol, or rejected vi-bff\'s credentials',
  503: 'Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff\'s circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED)',
  504: 'The Vi API did not answer in time'
}

/** problem+json responses for the given statuses, for route schemas and the OpenAPI document. */
export function problems (...statuses: number[]) {
  return Object.fromEntries(statuses.map(status => [status, {
    description: DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/problem+json': { schema: ref(Problem) } }
  }]))
}

/** 409 and 422 as a route with Idempotency-Key answers them. */
export const IDEMPOTENCY_PROBLEMS = {
  409: { ...problems(409)[409], description: 'Conflict reported by the Vi API, or (BFF_IDEMPOTENCY_IN_FLIGHT, with Retry-After) a request with this Idempotency-Key is still running' },
  422: { ...problems(422)[422], description: 'BFF_IDEMPOTENCY_MISMATCH: this Idempotency-Key was used with another body' }
}

/** The statuses every authenticated upstream-backed route can answer with. */
export const COMMON_PROBLEMS = [400, 401, 403, 429, 502, 503, 504]

export const NotModified = { 304: Type.Null({ description: 'Not Modified: the ETag in If-None-Match still matches' }) }

/** For POST routes whose body fields are all optional: no body at all means `{}`. */
export async function absentBodyIsEmpty (request: FastifyRequest) {
  if (request.body === undefined || request.body === null) request.body = {}
}

export function pageOf (query: PageQuery): PageParams {
  return { pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE, pageToken: query.pageToken }
}

const BYPASS = /no-cache|no-store|max-age=0/i

/** Cache-Control: no-cache / no-store / max-age=0 or Pragma: no-cache. */
export function asksNoCache (request: FastifyRequest): boolean {
  const { 'cache-control': cc, pragma } = request.headers
  return (cc !== undefined && BYPASS.test(cc)) || (pragma !== undefined && BYPASS.test(pragma))
}

/**
 * Per-request options for the service: request id and logger forwarded, Cache-Control: no-cache honoured,
 * and the request's deadline (REQUEST_TIMEOUT_MS or the caller's disconnect) as the signal. The signal is a
 * prototype getter: request.deadline (an AbortController and a timer) is made only when something reads it, which
 * a cache hit need not. A class rather than an object literal with a getter: V8 gives every such literal a hidden
 * class of its own in old space, and its getter's closure kept the whole request alive through young-generation
 * collections (3-5 ms scavenges instead of 0.5 ms; bench/RESULTS.md, issue 11). Spreading it drops `signal`.
 */
class RequestReadOptions implements ReadOptions {
  readonly requestId: string
  readonly log: FastifyRequest['log']
  readonly noCache: boolean
  readonly #request: FastifyRequest
  constructor (request: FastifyRequest) {
    this.requestId = request.id
    this.log = request.log
    this.noCache = asksNoCache(request)
    this.#request = request
  }

  get signal () { return this.#request.deadline }
}

export function readOptions (request: FastifyRequest): ReadOptions {
  return new RequestReadOptions(request)
}

/**
 * If-Match (RFC 9110 §13.1.1) against the current strong ETag: `*` matches any current representation;
 * otherwise strong comparison, so a weak tag (W/"...") never matches.
 */
export function ifMatchHolds (ifMatch: string, etag: string): boolean {
  if (ifMatch.trim() === '*') return true
  return ifMatch.split(',').some(t => t.trim() === etag)
}

function matches (ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true
  const weak = (t: string) => t.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some(t => weak(t) === weak(etag))
}

/** Sends a cached JSON body with its ETag and Cache-Status, or 304 when If-None-Match matches. */
export function sendCached (request: FastifyRequest, reply: FastifyReply, r: Reply) {
  reply.header('etag', r.etag).header('cache-status', r.cacheStatus).header('cache-control', 'private, no-cache')
  const inm = request.headers['if-none-match']
  if (inm && matches(inm, r.etag)) return reply.code(304).send()
  return reply.type('application/json; charset=utf-8').send(r.body)
}
