import type { FastifyRequest } from 'fastify'
import { Errors, problem } from '../errors.js'
import type { Caller } from './caller.js'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The CSRF rule for cookie-authenticated writes: `X-CSRF: 1` (a header no form or simple request can set
 * cross-origin without a CORS preflight) and an `Origin`, when sent, that is vi-bff's own or a configured one.
 * Returns the problem to answer with, or undefined when the request may go on.
 */
export function csrfCheck (request: FastifyRequest, caller: Caller | undefined, allowedOrigins: ReadonlySet<string>): Error | undefined {
  if (caller?.kind !== 'session' || SAFE.has(request.method)) return undefined
  if (request.headers['x-csrf'] !== '1') return problem(Errors.CsrfRejected, ['A request authenticated by the session cookie must send the header "X-CSRF: 1" on POST, PUT, PATCH and DELETE'])
  const origin = request.headers.origin
  if (origin !== undefined && !allowedOrigins.has(origin)) return problem(Errors.CsrfRejected, ['The request\'s Origin is neither PUBLIC_URL\'s origin nor one of CORS_ORIGINS'])
  return undefined
}

/**
 * Whether a GET may create something (the one-call archive route creating an export): never for a
 * cookie-authenticated request without `X-CSRF: 1`, since any page can make a browser send such a GET.
 */
export function mayCreateOnGet (request: FastifyRequest): boolean {
  const caller = request.caller
  if (!caller?.scopes.has('exports:write')) return false
  return caller.kind !== 'session' || request.headers['x-csrf'] === '1'
}
