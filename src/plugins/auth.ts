import fp from 'fastify-plugin'
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { ApiKey, Scope } from '../config.js'
import { Errors, problem } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller's key name, for logs and metrics. */
    caller?: { name: string, scopes: ReadonlySet<Scope> }
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public. */
    scope?: Scope
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

function presentedKey (request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header) {
    const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header)
    return match ? match[1] : undefined
  }
  const apiKey = request.headers['x-api-key']
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey.trim() : undefined
}

/**
 * Caller authentication with vi-bff's own keys (`Authorization: Bearer` or `X-API-Key`), checked on
 * routes that declare a `config.scope`. Keys are compared as SHA-256 digests with timingSafeEqual
 * against every configured key, so neither the length nor the position of a match leaks through timing.
 */
export default fp<{ apiKeys: ApiKey[] }>(async function auth (app, { apiKeys }) {
  const keys = apiKeys.map(k => ({ ...k, digest: digest(k.key) }))

  function identify (presented: string) {
    const d = digest(presented)
    let found: (typeof keys)[number] | undefined
    for (const k of keys) if (timingSafeEqual(d, k.digest) && !found) found = k
    return found
  }

  app.decorateRequest('caller', undefined)
  app.addHook('onRequest', async request => {
    const scope = request.routeOptions.config.scope
    if (!scope) return
    const presented = presentedKey(request)
    if (!presented) throw problem(Errors.Unauthenticated, ['Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"'])
    const key = identify(presented)
    if (!key) throw problem(Errors.Unauthenticated, ['The API key is not valid'])
    request.caller = { name: key.name, scopes: key.scopes }
    if (!key.scopes.has(scope)) throw problem(Errors.Forbidden, [scope])
  })
}, { name: 'auth' })
