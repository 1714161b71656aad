import fp from 'fastify-plugin'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import type { CallContext } from '../upstream/client.js'
import type { ExportSettings } from '../upstream/codec.js'
import type { DatasetExport, DatasetExportList } from '../schemas/exports.js'
import type { ResolvedExport } from './datasets.js'
import { createKeys } from '../cache/keys.js'
import { Errors, problem } from '../errors.js'
import { createStorageClient, storageHost, type StorageResponse } from '../archive/storage-client.js'
import {
  archiveEtag, exportTag, formatRange, parseContentRange, parseIfRange, parseLength, parseRange, resolveRange,
  sliceStream, storageIfRange, validatorHolds, type RangeSpec, type Validator, type Window
} from '../archive/ranges.js'

declare module 'fastify' {
  interface FastifyInstance { archives: ReturnType<typeof createArchivesService> }
}

export interface ArchiveRequest extends CallContext {
  method: 'GET' | 'HEAD'
  range?: string | undefined
  ifRange?: string | undefined
  noCache?: boolean
  /** Aborts when the caller goes away: pending storage requests and waits stop at once. */
  signal: AbortSignal
}

/** What the route sends: status, every header, and the body (null for HEAD). */
export interface ArchiveReply {
  status: 200 | 206
  headers: Record<string, string>
  length: number
  body: Readable | null
}

export type DownloadOutcome =
  | { kind: 'archive', export: DatasetExport, reply: ArchiveReply }
  | { kind: 'preparing', export: DatasetExport, retryAfter: number }

export interface DownloadOptions {
  /** Seconds to wait for a new or pending export, already capped by ARCHIVE_MAX_WAIT_S. */
  waitS: number
  /** The caller holds exports:write; without it a download that must create an export is refused (403). */
  canCreate: boolean
}

/** One Server-Sent Events listener; the route owns its connection. */
export interface ExportListener {
  send: (event: string, data: string) => void
  end: () => void
}

/** A ready export is refreshed when its signed URL has less than this left. */
const REFRESH_MARGIN_MS = 60_000
/** Storage answers meaning "this URL no longer works": re-read the export for a fresh one, once. */
const REFRESH_STATUSES = new Set([401, 403, 404, 410])
/** Retry-After for a pending export (409) and for a download still being prepared (202). */
const PENDING_RETRY_AFTER_S = 2
const PREPARING_RETRY_AFTER_S = 5
/** The one-call download: how long a pending export is worth joining, how far to look for one. */
const PENDING_REUSE_MS = 3_600_000
const LIST_PAGES = 3
const LIST_PAGE_SIZE = 100
const NOTE_TTL_MS = 15 * 60_000
/** Waiting for an export: backoff between reads through the cache. */
const WAIT_MIN_MS = 250
const WAIT_MAX_MS = 2_000
/** The SSE poller: backoff between reads through the cache (which holds a pending export 1 s by default). */
const POLL_MIN_MS = 500
const POLL_MAX_MS = 5_000
const POLL_MAX_ERRORS = 10

const sameSettings = (e: DatasetExport, s: ExportSettings) =>
  e.spec.format === s.format && e.spec.options.normalized === s.normalized && e.spec.options.splitRatio === s.splitRatio

const failureMessage = (e: DatasetExport) =>
  e.status.conditions.find(c => c.status === 'FailedReach')?.message ?? 'no reason given'

/** Changes whenever a listener should hear about the export (not on a mere URL re-signing). */
const stateSignature = (e: DatasetExport) =>
  JSON.stringify([e.status.state, e.status.conditions.map(c => [c.condition, c.status, c.lastTransitionTime])])

function createArchivesService (app: FastifyInstance, config: Config, userAgent: string) {
  const { datasets, cache, metrics } = app
  const org = config.DATATURE_VI_ORGANIZATION_ID
  const keys = createKeys(config.REDIS_KEY_PREFIX, org)
  const storage = createStorageClient({
    allowedHosts: config.archiveHosts,
    connections: config.ARCHIVE_CONNECTIONS,
    connectTimeoutMs: config.ARCHIVE_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.ARCHIVE_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.ARCHIVE_BODY_TIMEOUT_MS,
    userAgent
  })
  const closing = new AbortController()

  /** A ready export's signed URL, re-read past the cache when it is about to expire (or `fresh` is asked). */
  async function readyArchive (datasetId: string, exportId: string, ctx: ArchiveRequest, fresh: boolean) {
    let r: ResolvedExport = await datasets.resolveExport(datasetId, exportId, { ...ctx, noCache: fresh || ctx.noCache === true })
    let refreshed = fresh || ctx.noCache === true
    if (!refreshed && r.archive && r.archive.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
      r = await datasets.resolveExport(datasetId, exportId, { ...ctx, noCache: true })
      refreshed = true
    }
    const state = r.export.status.state
    if (state === 'pending') throw problem(Errors.ExportNotReady, [exportId, datasetId], { retryAfter: PENDING_RETRY_AFTER_S })
    if (state === 'failed') throw problem(Errors.ExportFailed, [exportId, datasetId, failureMessage(r.export)])
    if (!r.archive) throw problem(Errors.StorageError, ['the Vi API gave no download URL for a ready export'])
    return { url: r.archive.url, refreshed }
  }

  function discard (res: StorageResponse) {
    res.body.dump().catch(() => {})
  }

  /**
   * Opens an export's archive for the caller: resolves the export, refreshes an expiring or refused
   * signed URL once, forwards a single Range (with If-Range translated to storage's validator), and
   * checks what storage answered so the caller always gets exact bytes and an exact Content-Length.
   * Errors before the first byte are coded problems; afterwards the route destroys the connection.
   */
  async function open (datasetId: string, exportId: string, req: ArchiveRequest): Promise<ArchiveReply> {
    const log = req.log
    const tag = exportTag(org, datasetId, exportId)
    let spec: RangeSpec | null = parseRange(req.range)
    let validator: Validator | null = spec && req.ifRange !== undefined ? parseIfRange(req.ifRange, tag) : null
    if (validator?.kind === 'never') {
      // If-Range names another representation: the caller gets the whole archive (RFC 9110 §13.1.5).
      spec = null
      validator = null
    }
    let { url, refreshed } = await readyArchive(datasetId, exportId, req, false)
    let restarted = false
    const host = storageHost(url)

    for (;;) {
      // HEAD learns the size and validators from one byte; the answer is computed here.
      const range = req.method === 'HEAD' ? 'bytes=0-0' : spec ? formatRange(spec) : undefined
      const started = performance.now()
      const res = await storage.get(url, {
        range,
        ifRange: req.method === 'GET' ? storageIfRange(validator) : undefined,
        signal: req.signal
      })
      const status = res.statusCode
      log?.debug({ storage: { host, status, range, ms: Math.round(performance.now() - started) } }, 'storage answered')

      if (REFRESH_STATUSES.has(status) && !refreshed) {
        discard(res)
        log?.info({ storage: { host, status } }, 'storage refused the signed URL; re-reading the export for a fresh one')
        ;({ url, refreshed } = await readyArchive(datasetId, exportId, req, true))
        continue
      }
      if (status === 416) {
        discard(res)
        const total = parseContentRange(header(res, 'content-range'))?.total
        if (req.method === 'HEAD' || total === undefined) throw problem(Errors.StorageError, ['storage refused a byte range of the archive'])
        throw Object.assign(problem(Errors.RangeNotSatisfiable, [req.range, total]), { total })
      }
      if (status !== 200 && status !== 206) {
        discard(res)
        log?.warn({ storage: { host, status } }, 'storage failed')
        throw problem(Errors.StorageError, [status >= 300 && status < 400 ? `HTTP ${status} redirect, which vi-bff does not follow` : `HTTP ${status}`])
      }

      const partial = status === 206 ? parseContentRange(header(res, 'content-range')) : null
      const length = parseLength(res.headers['content-length'])
      const total = status === 206 ? partial?.total : length
      if (total === undefined || total === null || (partial && partial.start < 0) || (status === 206 && length !== null && partial && length !== partial.end - partial.start + 1)) {
        discard(res)
        throw problem(Errors.StorageError, [status === 206 ? 'a partial answer without a usable Content-Range' : 'no Content-Length for the archive'])
      }
      const storageEtag = header(res, 'etag')
      const lastModified = header(res, 'last-modified')

      let window: Window | null = null
      if (spec) {
        if (validator && !validatorHolds(validator, storageEtag, lastModified, total)) {
          // The archive changed since the caller's copy: the whole archive, from a fresh full request if storage sent a part.
          if (status === 206 && req.method === 'GET') {
            res.body.destroy()
            if (restarted) throw problem(Errors.StorageError, ['storage kept sending a changed archive in parts'])
            spec = null
            validator = null
            restarted = true
            continue
          }
        } else {
          window = resolveRange(spec, total)
          if (!window) {
            discard(res)
            throw Object.assign(problem(Errors.RangeNotSatisfiable, [req.range, total]), { total })
          }
        }
      }

      const headers: Record<string, string> = {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${datasetId}-${exportId}.zip"`,
        'accept-ranges': 'bytes',
        etag: archiveEtag(tag, storageEtag, total),
        'cache-control': 'private, no-transform'
      }
      if (lastModified && !Number.isNaN(Date.parse(lastModified))) headers['last-modified'] = lastModified
      const sendLength = window ? window.end - window.start + 1 : total
      headers['content-length'] = String(sendLength)
      if (window) headers['content-range'] = `bytes ${window.start}-${window.end}/${total}`
      const reply = (body: Readable | null): ArchiveReply => ({ status: window ? 206 : 200, headers, length: sendLength, body })

      if (req.method === 'HEAD') {
        discard(res)
        return reply(null)
      }
      if (status === 206) {
        // Storage honoured the range: it must be exactly the window asked for.
        if (!window || !partial || partial.start !== window.start || partial.end !== window.end) {
          res.body.destroy()
          throw problem(Errors.StorageError, ['storage sent a different byte range than asked'])
        }
        return reply(res.body)
      }
      // 200: the whole archive, because no range was asked or storage ignored it (then cut here).
      if (window && (window.start > 0 || window.end < total - 1)) return reply(sliceStream(res.body, window.start, sendLength))
      return reply(res.body)
    }
  }

  async function listItems (datasetId: string, ctx: CallContext, noCache: boolean): Promise<DatasetExport[]> {
    const items: DatasetExport[] = []
    let pageToken: string | undefined
    for (let page = 0; page < LIST_PAGES; page++) {
      const r = await datasets.listExports(datasetId, { pageSize: LIST_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }, { ...ctx, noCache })
      const list = JSON.parse(r.body) as DatasetExportList
      items.push(...list.items)
      if (!list.nextPageToken) break
      pageToken = list.nextPageToken
    }
    return items
  }

  /** The newest ready export with these settings, else the newest recent pending one. */
  function pick (items: DatasetExport[], settings: ExportSettings, wantReady: boolean): DatasetExport | undefined {
    const now = Date.now()
    const matching = items.filter(e => sameSettings(e, settings)).sort((a, b) => b.metadata.timeCreated - a.metadata.timeCreated)
    return wantReady
      ? matching.find(e => e.status.state === 'ready' && (e.status.downloadUrl?.expiresAt ?? 0) > now)
      : matching.find(e => e.status.state === 'pending' && e.metadata.timeCreated > now - PENDING_REUSE_MS)
  }

  /** An export noted by any replica for these settings, if it is still usable. */
  async function noted (datasetId: string, noteKey: string, ctx: CallContext): Promise<DatasetExport | undefined> {
    const exportId = await cache.getNote(noteKey)
    if (!exportId) return undefined
    try {
      const r = await datasets.resolveExport(datasetId, exportId, ctx)
      return r.export.status.state === 'failed' ? undefined : r.export
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined
      throw err
    }
  }

  /** Reuses a ready or pending export with these settings, or creates one: once, however many callers and replicas ask. */
  async function findOrCreate (datasetId: string, settings: ExportSettings, canCreate: boolean, ctx: CallContext): Promise<DatasetExport> {
    const settingsKey = `${settings.format}.${settings.normalized ? 1 : 0}.${settings.splitRatio ?? 'none'}`
    const { key: noteKey, lockKey } = keys.download(datasetId, settingsKey)
    const items = await listItems(datasetId, ctx, false)
    const found = pick(items, settings, true) ?? await noted(datasetId, noteKey, ctx) ?? pick(items, settings, false)
    if (found) return found
    if (!canCreate) throw problem(Errors.Forbidden, ['exports:write'])
    return cache.withLock(lockKey, async () => {
      // Whoever held the lock before may have created it: look again, past the cache.
      const again = await noted(datasetId, noteKey, ctx)
      if (again) return again
      const fresh = await listItems(datasetId, ctx, true)
      const existing = pick(fresh, settings, true) ?? pick(fresh, settings, false)
      if (existing) return existing
      const created = await datasets.createExport(datasetId, {
        format: settings.format,
        options: { normalized: settings.normalized, splitRatio: settings.splitRatio }
      }, ctx)
      await cache.setNote(noteKey, created.datasetExportId, NOTE_TTL_MS)
      ctx.log?.info({ datasetId, exportId: created.datasetExportId }, 'created an export for a one-call download')
      return created
    }, { ttlMs: 30_000, waitMs: 30_000 })
  }

  /**
   * The SDK's download() in one call: a reusable export or a new one, waited for up to `waitS` seconds
   * (reads through the cache, with backoff), then opened like the export's own archive route.
   */
  async function download (datasetId: string, settings: ExportSettings, opts: DownloadOptions, req: ArchiveRequest): Promise<DownloadOutcome> {
    let exp = await findOrCreate(datasetId, settings, opts.canCreate, req)
    const exportId = exp.datasetExportId
    const deadline = Date.now() + opts.waitS * 1000
    let delay = WAIT_MIN_MS
    while (exp.status.state === 'pending') {
      const left = deadline - Date.now()
      if (left <= 0 || closing.signal.aborted) return { kind: 'preparing', export: exp, retryAfter: PREPARING_RETRY_AFTER_S }
      try {
        await sleep(Math.min(delay, left), undefined, { signal: AbortSignal.any([req.signal, closing.signal]) })
      } catch (err) {
        if (req.signal.aborted) throw err
        continue // shutting down: answer 202 now
      }
      delay = Math.min(delay * 1.6, WAIT_MAX_MS)
      exp = (await datasets.resolveExport(datasetId, exportId, req)).export
    }
    if (exp.status.state === 'failed') throw problem(Errors.ExportFailed, [exportId, datasetId, failureMessage(exp)])
    return { kind: 'archive', export: exp, reply: await open(datasetId, exportId, req) }
  }

  interface Poller { listeners: Set<ExportListener>, last: { signature: string, event: string, data: string }, wake: AbortController }
  const pollers = new Map<string, Poller>()

  function broadcast (p: Poller, event: string, data: string) {
    for (const l of p.listeners) l.send(event, data)
  }

  function finish (key: string, p: Poller) {
    if (pollers.get(key) === p) pollers.delete(key)
    const listeners = [...p.listeners]
    p.listeners.clear()
    for (const l of listeners) l.end()
  }

  /** One loop per export in this process, however many listeners: reads through the cache with backoff. */
  async function poll (key: string, p: Poller, datasetId: string, exportId: string) {
    let delay = POLL_MIN_MS
    let errors = 0
    while (p.listeners.size > 0 && !closing.signal.aborted) {
      try {
        await sleep(delay, undefined, { signal: AbortSignal.any([p.wake.signal, closing.signal]) })
      } catch {
        break
      }
      delay = Math.min(delay * 1.5, POLL_MAX_MS)
      try {
        const { export: exp } = await datasets.resolveExport(datasetId, exportId, {})
        errors = 0
        const signature = stateSignature(exp)
        if (signature !== p.last.signature) {
          p.last = { signature, event: exp.status.state, data: JSON.stringify(exp) }
          broadcast(p, p.last.event, p.last.data)
          delay = POLL_MIN_MS
        }
        if (exp.status.state !== 'pending') break
      } catch (err) {
        const e = err as { statusCode?: number, code?: string, message?: string }
        app.log.warn({ err, datasetId, exportId }, 'export events: reading the export failed')
        if (e.statusCode === 404 || ++errors >= POLL_MAX_ERRORS) {
          broadcast(p, 'problem', JSON.stringify({ status: e.statusCode ?? 502, code: e.code ?? 'BFF_INTERNAL', detail: e.message ?? 'error' }))
          break
        }
      }
    }
    finish(key, p)
  }

  /**
   * Adds a listener to the export's poller (starting one if none): it hears `initial` or the latest
   * known state at once, then every change, until ready or failed. Returns the unsubscribe function.
   */
  function subscribe (datasetId: string, exportId: string, initial: DatasetExport, listener: ExportListener): () => void {
    const key = `${datasetId}/${exportId}`
    let p = pollers.get(key)
    if (!p) {
      p = { listeners: new Set(), last: { signature: stateSignature(initial), event: initial.status.state, data: JSON.stringify(initial) }, wake: new AbortController() }
      pollers.set(key, p)
      p.listeners.add(listener)
      poll(key, p, datasetId, exportId).catch(err => app.log.error({ err }, 'export events poller crashed'))
    } else {
      p.listeners.add(listener)
    }
    listener.send(p.last.event, p.last.data)
    const poller = p
    return () => {
      poller.listeners.delete(listener)
      if (poller.listeners.size === 0) {
        // The next listener starts a new poller rather than joining one that is stopping.
        if (pollers.get(key) === poller) pollers.delete(key)
        poller.wake.abort()
      }
    }
  }

  return {
    /** ARCHIVE_MAX_WAIT_S and ARCHIVE_IDLE_TIMEOUT_MS, for the routes. */
    limits: { maxWaitS: config.ARCHIVE_MAX_WAIT_S, idleTimeoutMs: config.ARCHIVE_IDLE_TIMEOUT_MS },
    open,
    download,
    /** Resolves an export for the events route: 404 and upstream errors surface before the stream starts. */
    current: async (datasetId: string, exportId: string, ctx: CallContext) => (await datasets.resolveExport(datasetId, exportId, ctx)).export,
    subscribe,
    /** Pollers running in this process (for tests and metrics). */
    pollerCount: () => pollers.size,
    countBytes: (n: number) => metrics.archiveBytes.inc(n),
    /** Ends every event stream and wait, so the server can close. */
    shutdown () {
      closing.abort()
      for (const [key, p] of pollers) finish(key, p)
    },
    close: (graceMs: number) => storage.close(graceMs)
  }
}

function header (res: StorageResponse, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Archive streaming, the one-call download and export events, on top of the datasets service. */
export default fp<{ config: Config, userAgent: string }>(async function archivesService (app, { config, userAgent }) {
  const service = createArchivesService(app, config, userAgent)
  app.decorate('archives', service)
  app.addHook('preClose', async () => { service.shutdown() })
  app.addHook('onClose', async () => { await service.close(config.SHUTDOWN_GRACE_MS) })
}, { name: 'archives-service', dependencies: ['datasets-service', 'cache', 'metrics'] })
