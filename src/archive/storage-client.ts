import { Agent, buildConnector, type Dispatcher } from 'undici'
import { Errors, problem } from '../errors.js'

export interface StorageClientOptions {
  /** Hostnames (lowercase) a signed URL may point at: ARCHIVE_HOST_ALLOWLIST. */
  allowedHosts: readonly string[]
  /** Connections per storage origin; each download in flight holds one. */
  connections: number
  connectTimeoutMs: number
  headersTimeoutMs: number
  /** Longest silence from storage while vi-bff is reading; not counted while the caller applies backpressure. */
  bodyTimeoutMs: number
  /** Longest wait for one of an origin's `connections` (ARCHIVE_QUEUE_TIMEOUT_MS), then 503 BFF_STORAGE_BUSY. */
  queueTimeoutMs: number
  userAgent: string
  /** Called when a download was refused because every connection stayed busy (for a metric). */
  onBusy?: () => void
}

export interface StorageRequest {
  /** A single `bytes=` range, forwarded as is. */
  range?: string | undefined
  /** Storage's own validator (entity-tag or HTTP-date), never the caller's header. */
  ifRange?: string | undefined
  /** Ends the whole exchange, body included (the caller went away). */
  signal?: AbortSignal | undefined
  /** Ends the exchange only until storage's headers arrive (the request's deadline). */
  headersSignal?: AbortSignal | undefined
}

export interface StorageResponse {
  statusCode: number
  headers: Record<string, string | string[] | undefined>
  /** The body with backpressure: destroying it aborts the storage request and closes its socket. */
  body: Dispatcher.ResponseData['body']
}

/** The signed URL's host, for logs (never the URL: its query string is the credential). */
export function storageHost (signedUrl: string): string {
  try {
    return new URL(signedUrl).host.toLowerCase()
  } catch {
    return 'invalid-url'
  }
}

const ORPHAN_SOCKET_MS = 1000

const ignore = () => {}

/** Retry-After for a download refused because every storage connection stayed busy. */
export const BUSY_RETRY_AFTER_S = 3

/**
 * At most `limit` holders at once, waiters served in arrival order; a waiter gives up after `timeoutMs`
 * (503 BFF_STORAGE_BUSY) or when its signal fires. Resolves to the release function (safe to call twice).
 */
export function createSlots (limit: number) {
  let free = limit
  const queue: Array<() => void> = []

  function release () {
    const next = queue.shift()
    if (next) next()
    else free++
  }
  function releaser () {
    let done = false
    return () => { if (!done) { done = true; release() } }
  }

  function acquire (timeoutMs: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (free > 0) {
      free--
      return Promise.resolve(releaser())
    }
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        const i = queue.indexOf(granted)
        if (i >= 0) queue.splice(i, 1)
      }
      const granted = () => { cleanup(); resolve(releaser()) }
      const onAbort = () => { cleanup(); reject(signal?.reason) }
      const timer = setTimeout(() => { cleanup(); reject(problem(Errors.StorageBusy, [], { retryAfter: BUSY_RETRY_AFTER_S })) }, timeoutMs)
      queue.push(granted)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  return { acquire, waiting: () => queue.length, busy: () => limit - free }
}

const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'headers timeout',
  UND_ERR_BODY_TIMEOUT: 'body timeout'
}
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETDOWN'])

/** A transport failure before the response headers, as a coded vi-bff error (the URL never goes in it). */
export function storageFailure (err: unknown): Error {
  const code = (err as { code?: string } | null)?.code ?? ''
  if (TIMEOUTS[code]) return problem(Errors.StorageTimeout, [TIMEOUTS[code]])
  if (UNREACHABLE.has(code)) return problem(Errors.StorageUnavailable, [code])
  return problem(Errors.StorageError, [code || 'transport error'])
}

/**
 * The client for signed storage URLs (vi-upstream.md §6): its own undici Agent, apart from the Vi API
 * Pool, so no Authorization or Organization-Id header can ever reach storage; the URL authorises itself.
 * The host is checked against the allowlist before any connection is made, redirects are not followed
 * (undici 7 follows none without the redirect interceptor: a 3xx is handed back as a failure), and the
 * body is returned unread, as a stream whose backpressure reaches the storage socket.
 */
export function createStorageClient (opts: StorageClientOptions) {
  const allowed = new Set(opts.allowedHosts.map(h => h.toLowerCase()))
  const connector = buildConnector({ timeout: opts.connectTimeoutMs })
  const agent = new Agent({
    connections: opts.connections,
    // undici 7 re-queues a request aborted mid-body and opens a fresh connection for it, which then sits
    // idle with no keep-alive timer (nodejs/undici#5845, fix pending in #5846): each caller abort would leave
    // one storage socket open. A socket that carried no request within a second of connecting is such an
    // orphan (undici writes a request as soon as its socket connects) and is closed here.
    connect: (options, callback) => connector(options, (...result) => {
      const socket = result[1]
      if (socket) {
        const timer = setTimeout(() => { if (socket.bytesWritten === 0) socket.destroy() }, ORPHAN_SOCKET_MS)
        timer.unref()
        socket.once('close', () => clearTimeout(timer))
      }
      callback(...result)
    }),
    headersTimeout: opts.headersTimeoutMs,
    bodyTimeout: opts.bodyTimeoutMs,
    // Storage closes idle sockets on its own schedule; keep ours shorter so none linger.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000
  })

  /** Parses the signed URL and refuses any host outside the allowlist, before a socket exists. */
  function target (signedUrl: string): URL {
    let url: URL
    try {
      url = new URL(signedUrl)
    } catch {
      throw problem(Errors.StorageError, ['the Vi API gave a download URL that is not a URL'])
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw problem(Errors.StorageError, ['the download URL is not http(s)'])
    if (!allowed.has(url.hostname.toLowerCase())) throw problem(Errors.ArchiveHostRefused, [])
    return url
  }

  const slots = new Map<string, ReturnType<typeof createSlots>>()
  const slotsOf = (origin: string) => {
    let o = slots.get(origin)
    if (!o) slots.set(origin, o = createSlots(opts.connections))
    return o
  }

  /**
   * GETs the signed URL and resolves once storage has answered with its status and headers. The request
   * first waits (bounded) for one of the origin's connections, held until the body closes.
   */
  async function get (signedUrl: string, req: StorageRequest = {}): Promise<StorageResponse> {
    const url = target(signedUrl)
    const headers: Record<string, string> = { 'user-agent': opts.userAgent, 'accept-encoding': 'identity' }
    if (req.range) headers.range = req.range
    if (req.range && req.ifRange) headers['if-range'] = req.ifRange
    const controller = new AbortController()
    const onGone = () => controller.abort(req.signal?.reason)
    const onLate = () => controller.abort(req.headersSignal?.reason)
    req.signal?.throwIfAborted()
    req.headersSignal?.throwIfAborted()
    req.signal?.addEventListener('abort', onGone, { once: true })
    req.headersSignal?.addEventListener('abort', onLate, { once: true })
    let release: (() => void) | undefined
    try {
      release = await slotsOf(url.origin).acquire(opts.queueTimeoutMs, controller.signal)
      const res = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers,
        signal: controller.signal
      })
      // undici's body emits RequestAbortedError when destroyed before its end (an abort, a changed archive
      // dropped, a caller gone): without a listener that is an uncaught exception that stops the process.
      res.body.on('error', ignore)
      const held = release
      release = undefined
      res.body.once('close', () => {
        held()
        req.signal?.removeEventListener('abort', onGone)
      })
      return { statusCode: res.statusCode, headers: res.headers, body: res.body }
    } catch (err) {
      release?.()
      req.signal?.removeEventListener('abort', onGone)
      if (controller.signal.aborted) throw controller.signal.reason ?? err
      if ((err as { code?: string }).code === 'BFF_STORAGE_BUSY') {
        opts.onBusy?.()
        throw err
      }
      throw storageFailure(err)
    } finally {
      req.headersSignal?.removeEventListener('abort', onLate)
    }
  }

  return {
    get,
    /** Throws ArchiveHostRefused for a URL vi-bff must not fetch; exposed for checks without a request. */
    check: (signedUrl: string) => { target(signedUrl) },
    /** Waits up to `graceMs` for downloads in flight, then cuts the rest. */
    async close (graceMs: number) {
      let timer: NodeJS.Timeout | undefined
      const closed = await Promise.race([
        agent.close().then(() => true),
        new Promise<false>(resolve => { timer = setTimeout(resolve, graceMs, false) })
      ])
      clearTimeout(timer)
      if (!closed) await agent.destroy()
    }
  }
}
export type StorageClient = ReturnType<typeof createStorageClient>
