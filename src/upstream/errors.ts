import { Errors, problem } from '../errors.js'

/**
 * The one place where upstream outcomes become vi-bff errors (design.md "Errors"):
 * 404 → the resource's own not-found, 409 → 409, 400 → 400 with the upstream message,
 * 401/403 → 502 (vi-bff's credentials, not the caller's), 429 → 503 + Retry-After,
 * 5xx and anything else unexpected → 502, connect failures → 503, timeouts → 504.
 */

/** Reads Retry-After (delta-seconds or HTTP-date) as milliseconds from now. */
export function retryAfterMs (value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** The upstream's error message (`message`, else `error`), with `{org}_` prefixes stripped as the SDK does. */
export function upstreamMessage (body: unknown, organizationId: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const { message, error } = body as { message?: unknown, error?: unknown }
  const text = typeof message === 'string' ? message : typeof error === 'string' ? error : undefined
  return text?.split(`${organizationId}_`).join('').slice(0, 500)
}

export function fromStatus (status: number, body: unknown, headers: Record<string, string | string[] | undefined>, organizationId: string, notFound: () => Error): Error {
  const message = upstreamMessage(body, organizationId)
  switch (status) {
    case 400: return problem(Errors.UpstreamRejected, [message ?? 'no details given'])
    case 401:
    case 403: return problem(Errors.UpstreamAuth, [status])
    case 404: return notFound()
    case 409: return problem(Errors.Conflict, [message ?? 'no details given'])
    case 429: {
      const ms = retryAfterMs(headers['retry-after'])
      return problem(Errors.UpstreamRateLimited, [], { retryAfter: Math.max(1, Math.ceil((ms ?? 1000) / 1000)) })
    }
    default: return problem(Errors.UpstreamError, [status])
  }
}

const UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED'])
const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'headers timeout',
  UND_ERR_BODY_TIMEOUT: 'body timeout'
}

/** Maps a transport failure (undici error codes) to 503 or 504; anything unrecognised is a 502. */
export function fromTransport (err: unknown): Error {
  const code = (err as { code?: string } | null)?.code ?? ''
  if (TIMEOUTS[code]) return problem(Errors.UpstreamTimeout, [TIMEOUTS[code]])
  if (UNAVAILABLE.has(code)) return problem(Errors.UpstreamUnavailable, [code])
  return problem(Errors.UpstreamBadResponse, [code || 'transport error'])
}
