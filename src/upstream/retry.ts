import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Retries of upstream JSON calls: which outcomes may be repeated, full-jitter backoff, Retry-After,
 * and the loop. Every attempt is a whole new request: nothing here resumes a body or sends Range.
 */

export interface Backoff {
  /** Retries after the first attempt (0: one attempt). */
  maxRetries: number
  /** Base of the exponential backoff. */
  minDelayMs: number
  /** Cap of one wait; a longer Retry-After stops retrying instead of being waited out. */
  maxDelayMs: number
  /** For tests: a source of uniform [0, 1) numbers. */
  random?: () => number
}

/** What an attempt ended with, as the rules see it: an HTTP status or a transport error code. */
export interface Outcome { status?: number, code?: string }

export interface Rule {
  /** The same request may be sent again. */
  retry: boolean
  /** The attempt may have reached the upstream and been performed (false only when it certainly was not). */
  sent: boolean
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504])
/** Failures before any byte of the request was written: safe to repeat for every method. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN'])
/** Failures after the request may have been written: resets, cut bodies, timeouts waiting for the answer. */
const CUT = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'])

/**
 * The retry rule for one outcome. GET and DELETE (idempotent in effect) repeat on 429, 5xx and cut
 * connections; POST (the Vi API has no idempotency key) only when the upstream certainly did not act on it.
 */
export function retryRule (method: string, o: Outcome): Rule {
  const idempotent = method !== 'POST'
  if (o.status !== undefined) {
    if (o.status === 429) return { retry: true, sent: false }
    return { retry: idempotent && RETRY_STATUS.has(o.status), sent: true }
  }
  const code = o.code ?? ''
  if (NOT_SENT.has(code)) return { retry: true, sent: false }
  return { retry: idempotent && CUT.has(code), sent: true }
}

/** Full jitter (AWS "Exponential Backoff and Jitter"): uniform over [0, min(max, min · 2^retry)). */
export function backoffDelay (retry: number, b: Backoff): number {
  const ceiling = Math.min(b.maxDelayMs, b.minDelayMs * 2 ** retry)
  return (b.random ?? Math.random)() * ceiling
}

export type Decision = false | { retryAfterMs?: number | undefined }

/**
 * Runs `attempt` (retry number 0, 1, ...) until `decide` returns false, retries run out, the
 * upstream's Retry-After is longer than maxDelayMs, or `permit` (asked last, once per retry: the retry
 * budget) refuses; returns the last result. Waits end early when `signal` fires (the promise then rejects).
 */
export async function withRetries<R> (attempt: (retry: number) => Promise<R>, decide: (result: R) => Decision, b: Backoff, signal?: AbortSignal, permit?: () => boolean): Promise<R> {
  for (let retry = 0; ; retry++) {
    const result = await attempt(retry)
    const d = decide(result)
    if (d === false || retry >= b.maxRetries) return result
    if (d.retryAfterMs !== undefined && d.retryAfterMs > b.maxDelayMs) return result
    if (permit && !permit()) return result
    const delay = d.retryAfterMs ?? backoffDelay(retry, b)
    signal?.throwIfAborted()
    if (delay > 0) await sleep(delay, undefined, signal ? { signal } : {})
    else signal?.throwIfAborted()
  }
}
