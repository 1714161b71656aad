import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import type { CallContext } from '../upstream/client.js'
import type { ExportSettings } from '../upstream/codec.js'
import type { Store } from '../cache/store.js'
import type { Keys } from '../cache/keys.js'
import type { ReadOptions, Reply } from '../services/datasets.js'
import type { CreateExportBody, DatasetExport, DatasetExportList } from '../schemas/exports.js'
import { Errors, problem } from '../errors.js'
import { failureMessage, type ArchiveReply, type ArchiveRequest, type ArchiveStream, type ExportResolver } from './stream.js'
import { bounded } from './signals.js'

export type DownloadOutcome =
  | { kind: 'archive', export: DatasetExport, reply: ArchiveReply }
  | { kind: 'preparing', export: DatasetExport, retryAfter: number }

export interface DownloadOptions {
  /** Milliseconds still to wait for a new or pending export: `wait` (capped by ARCHIVE_MAX_WAIT_S) from the request's arrival. */
  waitMs: number
  /** Why this caller may not create an export (a 403 problem), or undefined when it may. */
  createRefusal: Error | undefined
  /** Told the id of an export this download created (for the audit trail). */
  onCreated?: (exportId: string) => void
}

/** The parts of the datasets service the one-call download uses. */
export interface ExportCatalog extends ExportResolver {
  listExports (datasetId: string, page: { pageSize: number, pageToken?: string | undefined }, opts?: ReadOptions): Promise<Reply>
  createExport (datasetId: string, body: CreateExportBody | undefined, ctx?: CallContext): Promise<DatasetExport>
}

/** Retry-After for a download still being prepared (202). */
const PREPARING_RETRY_AFTER_S = 5
/** How long a pending export is worth joining, how far to look for one. */
const PENDING_REUSE_MS = 3_600_000
const LIST_PAGES = 3
const LIST_PAGE_SIZE = 100
const NOTE_TTL_MS = 15 * 60_000
/** Waiting for an export: backoff between reads through the cache. */
const WAIT_MIN_MS = 250
const WAIT_MAX_MS = 2_000
/** The cross-replica lock around "find or create": held at most this long, waited for at most this long. */
const LOCK_TTL_MS = 30_000
const LOCK_WAIT_MS = 30_000
const LOCK_POLL_MS = 20

const sameSettings = (e: DatasetExport, s: ExportSettings) =>
  e.spec.format === s.format && e.spec.options.normalized === s.normalized && e.spec.options.splitRatio === s.splitRatio

/**
 * The download's lock and notes, in the cache's store (so shared by replicas with Redis). Store failures
 * degrade: a lock that cannot be had becomes a possible duplicate export, a note that cannot be read a miss.
 */
export function createDownloadLocks (store: Store, log: FastifyBaseLogger) {
  const held = new Map<string, Promise<void>>()

  async function safe<T> (what: string, op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op()
    } catch (err) {
      log.debug({ err, op: what }, 'download lock store call failed')
      return undefined
    }
  }

  /**
   * Runs `fn` as the only holder of `lockKey` in this process and, with a shared store, across replicas
   * (for short "find or create" sections). Waits at most `waitMs` for another holder, then runs anyway;
   * stops waiting when `signal` fires. A holder that dies loses the store lock after `ttlMs`.
   */
  async function withLock<T> (lockKey: string, fn: () => Promise<T>, o: { ttlMs?: number, waitMs?: number, signal?: AbortSignal | undefined } = {}): Promise<T> {
    const before = held.get(lockKey)
    let done = () => {}
    const mine = new Promise<void>(resolve => { done = resolve })
    // The next in line waits for every holder before it, even for one that gave up waiting.
    const tail = before ? before.then(() => mine) : mine
    held.set(lockKey, tail)
    let token: string | null | undefined = null
    try {
      if (before) await (o.signal ? bounded(before, o.signal) : before)
      if (store.kind !== 'memory') {
        const deadline = Date.now() + (o.waitMs ?? LOCK_WAIT_MS)
        token = await safe('acquire', () => store.acquire(lockKey, o.ttlMs ?? LOCK_TTL_MS))
        while (token === null && Date.now() < deadline) {
          await sleep(LOCK_POLL_MS, undefined, { signal: o.signal })
          token = await safe('acquire', () => store.acquire(lockKey, o.ttlMs ?? LOCK_TTL_MS))
        }
      }
      return await fn()
    } finally {
      const t = token
      if (t) await safe('release', () => store.release(lockKey, t))
      done()
      if (held.get(lockKey) === tail) held.delete(lockKey)
    }
  }

  /** A small string shared by replicas for `ttlMs` (which export was created for some settings). */
  async function setNote (key: string, value: string, ttlMs: number): Promise<void> {
    const now = Date.now()
    await safe('write', () => store.write(key, { g: 0, t: now, f: now + ttlMs, s: now + ttlMs, x: now + ttlMs, n: 200, e: '', b: value }, ttlMs))
  }

  /** The note under `key`, or undefined (absent, expired, or the store failing). */
  async function getNote (key: string): Promise<string | undefined> {
    // The generation key is never bumped (always 0); it only shares the note's Cluster slot.
    const read = await safe('read', () => store.read(key, `${key}:g`))
    const entry = read?.[0]
    return entry && entry.n === 200 && entry.f > Date.now() ? entry.b : undefined
  }

  return { withLock, setNote, getNote }
}

/** The SDK's download() in one call: find or create an export with these settings, wait for it, open it. */
export function createOneCall (opts: { datasets: ExportCatalog, store: Store, keys: Keys, stream: ArchiveStream, closing: AbortSignal, log: FastifyBaseLogger }) {
  const { datasets, keys, stream, closing } = opts
  const locks = createDownloadLocks(opts.store, opts.log)

  /** `work`, given up as soon as the caller leaves or the request's deadline passes. */
  const until = <T>(work: Promise<T>, ctx: CallContext) => ctx.signal ? bounded(work, ctx.signal) : work

  async function listItems (datasetId: string, ctx: CallContext, noCache: boolean): Promise<DatasetExport[]> {
    const items: DatasetExport[] = []
    let pageToken: string | undefined
    for (let page = 0; page < LIST_PAGES; page++) {
      const r = await until(datasets.listExports(datasetId, { pageSize: LIST_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }, { ...ctx, noCache }), ctx)
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
    const exportId = await until(locks.getNote(noteKey), ctx)
    if (!exportId) return undefined
    try {
      const r = await until(datasets.resolveExport(datasetId, exportId, ctx), ctx)
      return r.export.status.state === 'failed' ? undefined : r.export
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined
      throw err
    }
  }

  /** Reuses a ready or pending export with these settings, or creates one: once, however many callers and replicas ask. */
  async function findOrCreate (datasetId: string, settings: ExportSettings, createRefusal: Error | undefined, ctx: CallContext, onCreated?: (exportId: string) => void): Promise<DatasetExport> {
    const { key: noteKey, lockKey } = downloadKeys(datasetId, settings)
    const items = await listItems(datasetId, ctx, false)
    const found = pick(items, settings, true) ?? await noted(datasetId, noteKey, ctx) ?? pick(items, settings, false)
    if (found) return found
    if (createRefusal) throw createRefusal
    return locks.withLock(lockKey, async () => {
      // Whoever held the lock before may have created it: look again, past the cache.
      const again = await noted(datasetId, noteKey, ctx)
      if (again) return again
      const fresh = await listItems(datasetId, ctx, true)
      const existing = pick(fresh, settings, true) ?? pick(fresh, settings, false)
      if (existing) return existing
      // The last moment to give up: once sent, the creation completes and is noted for the next caller.
      ctx.signal?.throwIfAborted()
      const created = await datasets.createExport(datasetId, {
        format: settings.format,
        options: { normalized: settings.normalized, splitRatio: settings.splitRatio }
      }, { ...ctx, signal: undefined })
      onCreated?.(created.datasetExportId)
      await locks.setNote(noteKey, created.datasetExportId, NOTE_TTL_MS)
      ctx.log?.info({ datasetId, exportId: created.datasetExportId }, 'created an export for a one-call download')
      return created
    }, { ttlMs: LOCK_TTL_MS, waitMs: LOCK_WAIT_MS, signal: ctx.signal })
  }

  /**
   * A reusable export or a new one, waited for until `waitMs` have passed (reads through the cache, with
   * backoff), then opened like the export's own archive route.
   */
  async function download (datasetId: string, settings: ExportSettings, o: DownloadOptions, req: ArchiveRequest): Promise<DownloadOutcome> {
    const deadline = Date.now() + o.waitMs
    let exp = await findOrCreate(datasetId, settings, o.createRefusal, req, o.onCreated)
    const exportId = exp.datasetExportId
    let delay = WAIT_MIN_MS
    while (exp.status.state === 'pending') {
      const left = deadline - Date.now()
      if (left <= 0 || closing.aborted) return { kind: 'preparing', export: exp, retryAfter: PREPARING_RETRY_AFTER_S }
      try {
        await sleep(Math.min(delay, left), undefined, { signal: AbortSignal.any([req.signal, closing]) })
      } catch (err) {
        if (req.signal.aborted) throw err
        continue // shutting down: answer 202 now
      }
      delay = Math.min(delay * 1.6, WAIT_MAX_MS)
      exp = (await until(datasets.resolveExport(datasetId, exportId, req), req)).export
    }
    if (exp.status.state === 'failed') throw problem(Errors.ExportFailed, [exportId, datasetId, failureMessage(exp)])
    return { kind: 'archive', export: exp, reply: await stream.open(datasetId, exportId, req) }
  }

  /**
   * HEAD: what a GET would find, with no side effect: the archive's headers when a reusable export is
   * ready, `preparing` when one is being prepared, else 404. Never creates, never waits.
   */
  async function peek (datasetId: string, settings: ExportSettings, req: ArchiveRequest): Promise<DownloadOutcome> {
    const items = await listItems(datasetId, req, false)
    const found = pick(items, settings, true) ?? await noted(datasetId, downloadKeys(datasetId, settings).key, req) ?? pick(items, settings, false)
    if (!found) throw problem(Errors.DownloadNotFound, [datasetId])
    if (found.status.state === 'pending') return { kind: 'preparing', export: found, retryAfter: PREPARING_RETRY_AFTER_S }
    return { kind: 'archive', export: found, reply: await stream.open(datasetId, found.datasetExportId, req) }
  }

  function downloadKeys (datasetId: string, settings: ExportSettings) {
    return keys.download(datasetId, `${settings.format}.${settings.normalized ? 1 : 0}.${settings.splitRatio ?? 'none'}`)
  }

  return { download, peek }
}
