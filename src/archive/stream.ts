import type { Readable } from 'node:stream'
import type { CallContext } from '../upstream/client.js'
import type { ReadOptions, ResolvedExport } from '../services/datasets.js'
import { Errors, problem } from '../errors.js'
import { storageHost, type StorageClient, type StorageResponse } from './storage-client.js'
import { bounded } from './signals.js'
import {
  archiveEtag, exportTag, formatRange, parseContentRange, parseIfRange, parseLength, parseRange, resolveRange,
  sliceStream, storageIfRange, validatorHolds, type RangeSpec, type Validator, type Window
} from './ranges.js'

export interface ArchiveRequest extends CallContext {
  method: 'GET' | 'HEAD'
  range?: string | undefined
  ifRange?: string | undefined
  noCache?: boolean
  /** Fires when the caller goes away or the request's deadline passes: bounds every step before the body. */
  signal: AbortSignal
  /** Fires only when the caller goes away: the storage body streams for as long as the caller reads. */
  gone: AbortSignal
}

/** What the route sends: status, every header, and the body (null for HEAD). */
export interface ArchiveReply {
  status: 200 | 206
  headers: Record<string, string>
  length: number
  body: Readable | null
}

/** The part of the datasets service that reads exports (with their signed URLs). */
export interface ExportResolver {
  resolveExport (datasetId: string, exportId: string, opts?: ReadOptions): Promise<ResolvedExport>
}

/** A ready export is refreshed when its signed URL has less than this left. */
const REFRESH_MARGIN_MS = 60_000
/** Storage answers meaning "this URL no longer works": re-read the export for a fresh one, once. */
const REFRESH_STATUSES = new Set([401, 403, 404, 410])
/** Retry-After for a pending export (409). */
const PENDING_RETRY_AFTER_S = 2

export const failureMessage = (e: ResolvedExport['export']) =>
  e.status.conditions.find(c => c.status === 'FailedReach')?.message ?? 'no reason given'

function header (res: StorageResponse, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Opening an export's archive: resolve the export, refresh its signed URL, Range and If-Range. */
export function createArchiveStream (opts: { organizationId: string, datasets: ExportResolver, storage: StorageClient }) {
  const { datasets, storage } = opts

  /** A ready export's signed URL, re-read past the cache when it is about to expire (or `fresh` is asked). */
  async function readyArchive (datasetId: string, exportId: string, ctx: ArchiveRequest, fresh: boolean) {
    let r = await bounded(datasets.resolveExport(datasetId, exportId, { ...ctx, noCache: fresh || ctx.noCache === true }), ctx.signal)
    let refreshed = fresh || ctx.noCache === true
    if (!refreshed && r.archive && r.archive.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
      r = await bounded(datasets.resolveExport(datasetId, exportId, { ...ctx, noCache: true }), ctx.signal)
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
   * HEAD ignores Range and If-Range (RFC 9110 §14.2): always the whole archive's headers.
   */
  async function open (datasetId: string, exportId: string, req: ArchiveRequest): Promise<ArchiveReply> {
    const log = req.log
    const tag = exportTag(opts.organizationId, datasetId, exportId)
    let spec: RangeSpec | null = req.method === 'HEAD' ? null : parseRange(req.range)
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
        signal: req.gone,
        headersSignal: req.signal
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

  return { open }
}
export type ArchiveStream = ReturnType<typeof createArchiveStream>
