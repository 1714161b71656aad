import { Pool, interceptors, type Dispatcher } from 'undici'
import type { FastifyBaseLogger } from 'fastify'
import { Errors, problem } from '../errors.js'
import { fromStatus, fromTransport, retryAfterMs } from './errors.js'

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
  /** Called once per call with its operation and outcome (HTTP status or error code), for metrics. */
  onResult?: (op: string, outcome: string) => void
}

export interface CallContext {
  requestId?: string
  log?: FastifyBaseLogger
  /** The request's deadline and the caller's disconnect (request.deadline): stops retries, waits and calls. */
  signal?: AbortSignal
  /** false: one attempt only (readiness probes). */
  retry?: boolean
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
const IDEMPOTENT = ['GET', 'HEAD', 'DELETE']

/**
 * Full-jitter backoff within the undici retry interceptor. A Retry-After longer than the cap is not
 * waited out: the caller gets a 503 carrying it instead of a request held open for a minute.
 */
function retryPolicy (err: Error & { statusCode?: number, code?: string, headers?: Record<string, string> }, { state, opts }: { state: { counter: number }, opts: Dispatcher.DispatchOptions & { retryOptions?: RetryOpts } }, cb: (err?: Error | null) => void) {
  const o = opts.retryOptions!
  if (err.code && err.code !== 'UND_ERR_REQ_RETRY' && !o.errorCodes.includes(err.code)) return cb(err)
  if (!o.methods.includes(opts.method)) return cb(err)
  if (err.statusCode != null && !o.statusCodes.includes(err.statusCode)) return cb(err)
  if (state.counter > o.maxRetries) return cb(err)
  const after = retryAfterMs(err.headers?.['retry-after'])
  if (after !== undefined && after > o.maxTimeout) return cb(err)
  const delay = after ?? Math.random() * Math.min(o.maxTimeout, o.minTimeout * 2 ** (state.counter - 1))
  setTimeout(() => cb(null), delay)
}
interface RetryOpts { methods: string[], statusCodes: number[], errorCodes: string[], maxRetries: number, maxTimeout: number, minTimeout: number }

/**
 * One undici Pool for the Vi API origin, composed with retries. Sends the SDK's credentials and
 * headers; nothing of the caller's request (headers, auth) is ever passed through.
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
  const baseRetry = {
    maxRetries: opts.maxRetries,
    minTimeout: opts.retryMinDelayMs ?? 200,
    maxTimeout: opts.retryMaxDelayMs,
    throwOnError: false,
    retry: retryPolicy
  }
  const dispatcher = pool.compose(interceptors.retry(baseRetry as never))

  const headers = {
    authorization: `Bearer ${opts.secretKey}`,
    'organization-id': opts.organizationId,
    accept: 'application/json',
    'user-agent': opts.userAgent
  }

  /** Calls the Vi API and returns decoded JSON, or throws a coded vi-bff error. */
  async function json<T> (call: JsonCall<T>, ctx: CallContext = {}): Promise<T> {
    const started = performance.now()
    const idempotent = IDEMPOTENT.includes(call.method)
    const retryOptions: RetryOpts = {
      ...baseRetry,
      methods: [call.method],
      // A 429 or a refused connection means the request was not processed, so even POST may repeat it.
      statusCodes: idempotent ? [429, 500, 502, 503, 504] : [429],
      errorCodes: idempotent ? ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET'] : ['ECONNREFUSED']
    }
    let res: Dispatcher.ResponseData
    try {
      res = await dispatcher.request({
        origin: opts.origin,
        method: call.method,
        path: call.path + queryString(call.query),
        headers: {
          ...headers,
          ...(ctx.requestId ? { 'x-request-id': ctx.requestId } : {}),
          ...(call.body !== undefined ? { 'content-type': 'application/json' } : {})
        },
        body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
        retryOptions
      } as Dispatcher.RequestOptions)
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error'
      opts.onResult?.(call.op, code)
      ctx.log?.warn({ upstream: { op: call.op, method: call.method, path: call.path, code, ms: elapsed(started) } }, 'upstream call failed')
      throw fromTransport(err)
    }

    let text: string
    try {
      text = await readText(res.body)
    } catch (err) {
      throw fromTransport(err)
    }
    const status = res.statusCode
    opts.onResult?.(call.op, String(status))
    ctx.log?.debug({ upstream: { method: call.method, path: call.path, status, ms: elapsed(started) } }, 'upstream call')
    let body: unknown
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined
    } catch {
      body = undefined
      if (status >= 200 && status < 300) throw problem(Errors.UpstreamBadResponse, ['the body is not JSON'])
    }
    if (status < 200 || status >= 300) {
      ctx.log?.warn({ upstream: { method: call.method, path: call.path, status } }, 'upstream error status')
      throw fromStatus(status, body, res.headers, opts.organizationId, call.notFound)
    }
    try {
      return call.decode(body)
    } catch (err) {
      ctx.log?.error({ upstream: { method: call.method, path: call.path, status }, reason: (err as Error).message }, 'upstream protocol break')
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

function elapsed (started: number): number {
  return Math.round(performance.now() - started)
}
