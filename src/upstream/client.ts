import { Pool, type Dispatcher } from 'undici'
import type { FastifyBaseLogger } from 'fastify'
import { Errors, abortedError, problem } from '../errors.js'
import { fromStatus, fromTransport, retryAfterMs, type MappingContext } from './errors.js'
import { retryRule, withRetries, type Backoff } from './retry.js'
import { createRetryBudget } from './budget.js'
import { createProtection, isRejection, opClass, type BreakerSettings, type OpClass, type BreakerGauge } from './protection.js'

export interface UpstreamOptions {
  origin: string
  secretKey: string
  organizationId: string
  userAgent: string
  connectTimeoutMs: number
  headersTimeoutMs: number
  bodyTimeoutMs: number
  connections: number
  maxRetries: number
  retryMaxDelayMs: number
  /** Tests shorten the minimum backoff. */
  retryMinDelayMs?: number
  /** Cap of a Retry-After passed to callers (RETRY_AFTER_MAX_S). */
  retryAfterMaxS?: number
  /** REQUEST_TIMEOUT_MS, named in the 504 when a call's deadline passes. */
  requestTimeoutMs?: number
  /** Called once per attempt (each upstream request) with its operation and outcome: HTTP status, error code or `aborted`. */
  onResult?: (op: string, outcome: string) => void
  /** UPSTREAM_RETRY_BUDGET: retries allowed per first attempt, over a 10 s window (0.2). */
  retryBudget?: number
  /** UPSTREAM_RETRY_MIN_PER_S: retries per second allowed whatever the budget (3). */
  retryMinPerSecond?: number
  /** Circuit breakers per operation class (protection.ts); absent or threshold 0: none. */
  breaker?: BreakerSettings
  /** UPSTREAM_MAX_CONCURRENT: upstream requests at once (default: connections). */
  maxConcurrent?: number
  /** UPSTREAM_QUEUE_SIZE: requests waiting for a slot; more get 503 at once (256). */
  queueSize?: number
  /** A retry is sent. */
  onRetry?: (op: string) => void
  /** A retry was wanted but the budget was spent. */
  onBudgetExhausted?: (op: string) => void
  onBreakerState?: (cls: OpClass, state: BreakerGauge) => void
  onBreakerRejected?: (cls: OpClass) => void
  onBulkheadRejected?: () => void
}

export interface CallContext {
  requestId?: string
  log?: FastifyBaseLogger
  /** The request's deadline and the caller's disconnect (request.deadline): stops retries, waits and calls. */
  signal?: AbortSignal
  /** false: one attempt only. */
  retry?: boolean
  /**
   * Readiness probe: one attempt past the breakers, the bulkhead and the retry budget, so it sees the upstream
   * as it is, also while a breaker is open.
   */
  probe?: boolean
}

export interface JsonCall<T> {
  /** Operation name for metrics, e.g. getDataset. */
  op: string
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** Checks and converts the upstream JSON; throws ProtocolError-like errors on a protocol break. */
  decode: (json: unknown) => T
  /** The error for an upstream 404 on this call. */
  notFound: () => Error
}

const MAX_JSON_BYTES = 16 * 1024 * 1024
/** Deepest JSON body sent upstream: deeper ones are a caller error, not a stack overflow later. */
export const MAX_BODY_DEPTH = 256

/** An attempt's result: the whole answer (body read inside the attempt) or the transport error. */
type Attempt =
  | { status: number, headers: Dispatcher.ResponseData['headers'], text: string, code?: undefined }
  | { status?: undefined, code: string, err: unknown }

/** An attempt not sent because its caller left while it waited for a request slot. */
const SKIPPED: Attempt = { code: 'aborted', err: undefined }

/** Outcomes that count against a breaker: 5xx, 429, transport errors and timeouts. */
function isFailure (a: Attempt): boolean {
  return a.status === undefined || a.status >= 500 || a.status === 429
}

/** Errors thrown after an earlier attempt of the same call may have been performed upstream. */
const afterAmbiguous = new WeakSet<object>()

/** Errors of a call whose last attempt may have been performed upstream (5xx, reset after sending, timeout). */
const mayHavePerformed = new WeakSet<object>()

/**
 * True when this error ended a call (a POST, say) whose last attempt may have been performed upstream although
 * it failed: a 5xx, a connection reset or timeout after the request was sent, or the deadline passing meanwhile.
 */
export function mayHaveBeenPerformed (err: unknown): boolean {
  return typeof err === 'object' && err !== null && mayHavePerformed.has(err)
}

/**
 * True when this error came from a retry that followed an attempt which may have reached the upstream
 * (a reset after sending, a 5xx, a timeout): a 404 or 409 then may be that attempt's own doing.
 */
export function followedAmbiguousAttempt (err: unknown): boolean {
  return typeof err === 'object' && err !== null && afterAmbiguous.has(err)
}

/**
 * One undici Pool for the Vi API origin. Sends the SDK's credentials and headers; nothing of the
 * caller's request (headers, auth) is ever passed through. Retries are whole new requests (retry.ts).
 */
export function createUpstreamClient (opts: UpstreamOptions) {
  const pool = new Pool(opts.origin, {
    connections: opts.connections,
    connectTimeout: opts.connectTimeoutMs,
    headersTimeout: opts.headersTimeoutMs,
    bodyTimeout: opts.bodyTimeoutMs,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000
  })
  const backoff: Backoff = {
    maxRetries: opts.maxRetries,
    minDelayMs: opts.retryMinDelayMs ?? 200,
    maxDelayMs: opts.retryMaxDelayMs
  }
  const mapping: MappingContext = {
    organizationId: opts.organizationId,
    secretKey: opts.secretKey,
    retryAfterMaxS: opts.retryAfterMaxS ?? 300
  }

  const budget = createRetryBudget({ ratio: opts.retryBudget ?? 0.2, minPerSecond: opts.retryMinPerSecond ?? 3 })
  // Attempts their own caller cut (deadline, disconnect) say nothing about the upstream.
  const cut = new WeakSet<Attempt>([SKIPPED])
  const protection = createProtection<Attempt>({
    breaker: opts.breaker ?? { threshold: 0, minRequests: 1, windowMs: 1000, halfOpenMs: 1000 },
    maxConcurrent: opts.maxConcurrent ?? opts.connections,
    queueSize: opts.queueSize ?? 256,
    retryAfterMaxS: opts.retryAfterMaxS ?? 300,
    isFailure: a => !cut.has(a) && isFailure(a),
    isNeutral: a => cut.has(a),
    ...(opts.onBreakerState ? { onBreakerState: opts.onBreakerState } : {}),
    ...(opts.onBreakerRejected ? { onBreakerRejected: opts.onBreakerRejected } : {}),
    ...(opts.onBulkheadRejected ? { onBulkheadRejected: opts.onBulkheadRejected } : {})
  })

  const headers = {
    authorization: `Bearer ${opts.secretKey}`,
    'organization-id': opts.organizationId,
    accept: 'application/json',
    'user-agent': opts.userAgent
  }

  /** One whole request: a new dispatch, its body read to the end. Never throws. */
  async function attempt (call: JsonCall<unknown>, payload: string | undefined, ctx: CallContext): Promise<Attempt> {
    try {
      const res = await pool.request({
        method: call.method,
        path: call.path + queryString(call.query),
        headers: {
          ...headers,
          ...(ctx.requestId ? { 'x-request-id': ctx.requestId } : {}),
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {})
        },
        body: payload,
        signal: ctx.signal
      })
      return { status: res.statusCode, headers: res.headers, text: await readText(res.body) }
    } catch (err) {
      return { code: (err as { code?: string } | null)?.code ?? 'error', err }
    }
  }

  /** Calls the Vi API and returns decoded JSON, or throws a coded vi-bff error. */
  async function json<T> (call: JsonCall<T>, ctx: CallContext = {}): Promise<T> {
    const started = performance.now()
    const payload = call.body === undefined ? undefined : serialise(call.body)
    const signal = ctx.signal
    const aborted = () => abortedError(signal!, opts.requestTimeoutMs)
    if (signal?.aborted) throw aborted()
    const cls = opClass(call.method)
    let ambiguous = false
    let previousAmbiguous = false
    let tries = 0
    let last: Attempt | undefined
    let refused = false
    /** One upstream request, counted; `retry` 0 is the first attempt, which feeds the retry budget. */
    const send = async (retry: number): Promise<Attempt> => {
      if (signal?.aborted) return SKIPPED
      tries = retry + 1
      previousAmbiguous = ambiguous
      if (!ctx.probe) {
        if (retry === 0) budget.deposit()
        else opts.onRetry?.(call.op)
      }
      const a = await attempt(call, payload, ctx)
      if (signal?.aborted) cut.add(a)
      opts.onResult?.(call.op, signal?.aborted ? 'aborted' : a.status !== undefined ? String(a.status) : a.code)
      return a
    }
    let res: Attempt
    try {
      res = await withRetries(async retry => {
        if (ctx.probe) return send(retry)
        const previous = last
        try {
          last = await protection.run(cls, signal, () => send(retry))
          return last
        } catch (err) {
          // A retry refused (breaker opened, queue full) ends the call with the last answer, as running out of retries does.
          if (previous === undefined || !isRejection(err)) throw err
          refused = true
          return previous
        }
      }, a => {
        if (signal?.aborted || refused) return false
        const rule = retryRule(call.method, a)
        ambiguous ||= rule.sent
        if (a.status !== undefined && a.status < 400) return false
        if (!rule.retry || ctx.retry === false || ctx.probe) return false
        const retryAfter = a.status !== undefined ? retryAfterMs(a.headers['retry-after']) : undefined
        ctx.log?.debug({ upstream: { op: call.op, method: call.method, path: call.path, attempt: tries, outcome: a.status ?? a.code, retryAfterMs: retryAfter } }, 'upstream attempt failed')
        return { retryAfterMs: retryAfter }
      }, backoff, signal, () => {
        if (!protection.closed(cls)) return false
        if (budget.tryWithdraw()) return true
        opts.onBudgetExhausted?.(call.op)
        ctx.log?.debug({ upstream: { op: call.op, attempt: tries } }, 'retry budget spent: no retry')
        return false
      })
    } catch (err) {
      // A wait (backoff, queue) ended by the deadline or the caller leaving, or the first attempt refused (503).
      if (signal?.aborted) throw marked(aborted(), ambiguous)
      throw err
    }
    if (signal?.aborted) throw marked(aborted(), ambiguous || tries > 0)
    try {
      return outcome(call, res, ctx, started, tries)
    } catch (err) {
      if (previousAmbiguous && err instanceof Error) afterAmbiguous.add(err)
      const last = res.status !== undefined ? res.status >= 500 : retryRule(call.method, res).sent
      throw marked(err, last)
    }
  }

  function marked<E> (err: E, performed: boolean): E {
    if (performed && typeof err === 'object' && err !== null) mayHavePerformed.add(err)
    return err
  }

  /** The last attempt's result as a value or a coded error. */
  function outcome<T> (call: JsonCall<T>, res: Attempt, ctx: CallContext, started: number, tries: number): T {
    const where = { op: call.op, method: call.method, path: call.path, attempts: tries, ms: elapsed(started) }
    if (res.status === undefined) {
      ctx.log?.warn({ upstream: { ...where, code: res.code } }, 'upstream call failed')
      throw fromTransport(res.err)
    }
    const status = res.status
    ctx.log?.debug({ upstream: { ...where, status } }, 'upstream call')
    let body: unknown
    try {
      body = res.text.length > 0 ? JSON.parse(res.text) : undefined
    } catch {
      body = undefined
      if (status >= 200 && status < 300) throw problem(Errors.UpstreamBadResponse, ['the body is not JSON'])
    }
    if (status < 200 || status >= 300) {
      ctx.log?.warn({ upstream: { ...where, status } }, 'upstream error status')
      throw fromStatus(status, body, res.headers, mapping, call.notFound)
    }
    try {
      return call.decode(body)
    } catch (err) {
      ctx.log?.error({ upstream: { ...where, status }, reason: (err as Error).message }, 'upstream protocol break')
      throw problem(Errors.UpstreamBadResponse, [(err as Error).message])
    }
  }

  return {
    json,
    origin: opts.origin,
    organizationId: opts.organizationId,
    close: () => pool.close()
  }
}
export type UpstreamClient = ReturnType<typeof createUpstreamClient>

function queryString (query: JsonCall<unknown>['query']): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v))
  const s = params.toString()
  return s ? `?${s}` : ''
}

async function readText (body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_JSON_BYTES) {
      body.destroy()
      throw Object.assign(new Error('upstream body too large'), { code: 'BFF_UPSTREAM_BODY_TOO_LARGE' })
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The JSON to send; a body that cannot be serialised (nested too deeply) is the caller's 400, sent nowhere. */
function serialise (body: unknown): string {
  const tooDeep = () => problem(Errors.ValidationFailed, [`body is nested more than ${MAX_BODY_DEPTH} levels deep`], { fieldErrors: [{ path: 'body', message: `is nested more than ${MAX_BODY_DEPTH} levels deep` }] })
  const stack: Array<[unknown, number]> = [[body, 0]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_BODY_DEPTH) throw tooDeep()
    for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  try {
    return JSON.stringify(body)
  } catch {
    throw tooDeep()
  }
}

function elapsed (started: number): number {
  return Math.round(performance.now() - started)
}
