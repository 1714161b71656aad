import { Errors, problem } from '../errors.js'

/**
 * The one place where upstream outcomes become vi-bff errors (design.md "Errors"):
 * 404 → the resource's own not-found, 409 → 409, 400 → 400 with the upstream message,
 * 401/403 → 502 (vi-bff's credentials, not the caller's), 429 → 503 + Retry-After,
 * 5xx and anything else unexpected → 502, connect failures → 503, timeouts → 504.
 */

/** What error mapping needs to know about this vi-bff's upstream. */
export interface MappingContext {
  organizationId: string
  /** Never passed to a caller, even when the upstream echoes it. */
  secretKey: string
  /** Cap of a Retry-After passed to callers, in seconds (RETRY_AFTER_MAX_S). */
  retryAfterMaxS: number
}

const DELTA_SECONDS = /^[+-]?\d+(\.\d+)?(e[+-]?\d+)?$/i

/** Reads Retry-After (delta-seconds or HTTP-date) as milliseconds from now, never negative. */
export function retryAfterMs (value: string | string[] | undefined): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!raw) return undefined
  if (DELTA_SECONDS.test(raw)) return Math.max(0, Number(raw) * 1000)
  // Only something that looks like an HTTP-date: V8 reads "-5" as a date too.
  const date = /[a-z]/i.test(raw) ? Date.parse(raw) : NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** A Retry-After for callers: whole seconds from 1 to the cap (absent or unreadable: 1). */
export function retryAfterSeconds (ms: number | undefined, maxS: number): number {
  const s = Math.ceil((ms ?? 1000) / 1000)
  return Number.isFinite(s) ? Math.min(maxS, Math.max(1, s)) : maxS
}

const MAX_MESSAGE = 500
const SCHEME_URL = /[a-z][a-z0-9+.-]*:\/\//i
const QUERY = /\?[^=]*=/
const SECRET_PARAM = /^(.*?\b(?:x-goog-signature|x-goog-credential|x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig|token|access_token|api_key|apikey|key|secret)=)\S+/i

/** One whitespace-free word of a message with any URL or credential in it replaced. */
function scrubWord (word: string, afterBearer: boolean): string {
  if (afterBearer) return '[redacted]'
  const url = SCHEME_URL.exec(word)
  if (url) return `${word.slice(0, url.index)}[redacted]`
  if (QUERY.test(word)) return '[redacted]'
  return word.replace(SECRET_PARAM, '$1[redacted]').replace(/dtvi_[A-Za-z0-9._~+/=-]*/g, '[redacted]')
}

/**
 * An upstream message made safe for callers and logs: the secret key, `dtvi_` tokens, Bearer tokens,
 * every URL with a scheme or a query string, and credential-like parameters become `[redacted]`;
 * `{org}_` prefixes are stripped as the SDK does. Word by word, so the work stays linear.
 */
export function scrubMessage (text: string, m: Pick<MappingContext, 'organizationId' | 'secretKey'>): string {
  // Bounded before scanning; a secret cut at this edge still starts with dtvi_ or is not whole.
  let s = text.slice(0, 8 * MAX_MESSAGE)
  if (m.secretKey) s = s.split(m.secretKey).join('[redacted]')
  const parts = s.split(/(\s+)/)
  let bearer = false
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i] as string
    if (word === '') continue
    parts[i] = scrubWord(word, bearer)
    bearer = /^["'(]*bearer:?$/i.test(word)
  }
  s = parts.join('').split(`${m.organizationId}_`).join('')
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s
}

/** The upstream's error message (`message`, else `error`), scrubbed (scrubMessage). */
export function upstreamMessage (body: unknown, m: Pick<MappingContext, 'organizationId' | 'secretKey'>): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const { message, error } = body as { message?: unknown, error?: unknown }
  const text = typeof message === 'string' ? message : typeof error === 'string' ? error : undefined
  return text === undefined ? undefined : scrubMessage(text, m)
}

export function fromStatus (status: number, body: unknown, headers: Record<string, string | string[] | undefined>, m: MappingContext, notFound: () => Error): Error {
  switch (status) {
    case 400: return problem(Errors.UpstreamRejected, [upstreamMessage(body, m) ?? 'no details given'])
    case 401:
    case 403: return problem(Errors.UpstreamAuth, [status])
    case 404: return notFound()
    case 409: return problem(Errors.Conflict, [upstreamMessage(body, m) ?? 'no details given'])
    case 429: return problem(Errors.UpstreamRateLimited, [], { retryAfter: retryAfterSeconds(retryAfterMs(headers['retry-after']), m.retryAfterMaxS) })
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
