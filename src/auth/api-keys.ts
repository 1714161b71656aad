import { hash, timingSafeEqual } from 'node:crypto'
import type { ApiKey } from '../config.js'
import type { Caller } from './caller.js'

// One-shot hash: half the cost of createHash().update().digest() on every authenticated request.
const digest = (value: string) => hash('sha256', value, 'buffer')

/**
 * vi-bff's own keys. Compared as SHA-256 digests with timingSafeEqual against every configured key,
 * so neither the length nor the position of a match leaks through timing.
 */
export function apiKeyVerifier (apiKeys: ApiKey[], digestCacheSize = DIGEST_CACHE_SIZE) {
  const keys = apiKeys.map(k => ({ ...k, digest: digest(k.key), caller: { kind: 'apiKey', id: k.name, scopes: k.scopes } satisfies Caller }))
  // SHA-256 once per presented string, not once per request: the digests of the last few presented keys. The
  // comparison below still runs against every configured key's digest on every request, in constant time.
  // Bounded (dropped whole when full), so a stream of invalid keys cannot grow it.
  const digests = new Map<string, Buffer>()
  const digestOf = (presented: string) => {
    let d = digests.get(presented)
    if (d === undefined) {
      d = digest(presented)
      if (digests.size >= digestCacheSize) digests.clear()
      digests.set(presented, d)
    }
    return d
  }
  return function identify (presented: string): Caller | undefined {
    const d = digestOf(presented)
    let found: (typeof keys)[number] | undefined
    for (const k of keys) if (timingSafeEqual(d, k.digest) && !found) found = k
    return found?.caller
  }
}

/** Presented API keys whose SHA-256 digest is kept (per process). */
const DIGEST_CACHE_SIZE = 1024

const JWS = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/** A JWT in compact form: three base64url parts, the first a JSON header with `alg`. API keys never have that shape. */
export function looksLikeJwt (value: string): boolean {
  if (!JWS.test(value)) return false
  try {
    const header = JSON.parse(Buffer.from(value.slice(0, value.indexOf('.')), 'base64url').toString('utf8')) as unknown
    return header !== null && typeof header === 'object' && 'alg' in header
  } catch {
    return false
  }
}
