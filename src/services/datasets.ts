import fp from 'fastify-plugin'
import fastJson from 'fast-json-stringify'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import type { CallContext } from '../upstream/client.js'
import type { ExportRecord, ExportSettings } from '../upstream/codec.js'
import type { Policy, Served, Lookup, Loaded } from '../cache/cache.js'
import { createKeys } from '../cache/keys.js'
import { etagOf } from '../cache/cache.js'
import { Errors, problem } from '../errors.js'
import type { PageParams } from '../upstream/datasets-api.js'
import type { AssetDeletionSpec } from '../schemas/asset-deletions.js'
import { DatasetExport, DatasetExportList, type CreateExportBody } from '../schemas/exports.js'
import { Dataset, DatasetList } from '../schemas/datasets.js'
import { sharedSchemas } from '../schemas/index.js'
import { ref } from '../schemas/common.js'
import type { Static, TSchema } from 'typebox'
import { telemetry, inSpan } from '../telemetry/index.js'
import { writeMayHaveHappened, type WriteClaims } from '../plugins/idempotency.js'
import { withTimeout } from '../archive/signals.js'

export interface ReadOptions extends CallContext {
  /** The caller asked for a fresh upstream read (Cache-Control: no-cache). */
  noCache?: boolean
}

/** A cached read: the JSON body, its ETag and how the cache served it. */
export interface Reply { body: string, etag: string, cacheStatus: string }

/** An export as the archive streamer needs it: public fields plus the signed URL. */
export interface ResolvedExport { export: DatasetExport, archive: ExportRecord['archive'], cacheStatus: string }

declare module 'fastify' {
  interface FastifyInstance { datasets: ReturnType<typeof createDatasetsService> }
}

/**
 * Serializers for the bodies the cache stores, compiled as Fastify compiles a route's response schema
 * (fast-json-stringify, the shared schemas by $id): a stored body is exactly what the route's schema
 * allows, and a hit sends those bytes unchanged.
 */
const external = Object.fromEntries(sharedSchemas.map(schema => [(schema as { $id?: string }).$id, schema]))
function serializer<T extends TSchema> (schema: T): (value: Static<T>) => string {
  return fastJson(ref(schema) as object, { schema: external })
}
export const serialize = {
  dataset: serializer(Dataset),
  datasets: serializer(DatasetList),
  export: serializer(DatasetExport),
  exports: serializer(DatasetExportList)
}

const isNotFound = (err: unknown) => (err as { statusCode?: number } | null)?.statusCode === 404

/**
 * A cache lookup for one request. `signal` is a prototype getter that reads the request's options only when the
 * lookup waits or loads (a hit never does, so it never makes the request's deadline). Not an object literal with a
 * getter: V8 gives every such literal a hidden class of its own in old space, whose getter closure then kept the
 * request's objects alive through young-generation collections (bench/RESULTS.md, issue 11).
 */
class RequestLookup implements Lookup {
  readonly kind: string
  readonly key: string
  readonly genKey: string
  readonly noCache: boolean | undefined
  readonly isNotFound = isNotFound
  readonly load: () => Promise<Loaded>
  readonly #opts: ReadOptions
  constructor (kind: string, where: { key: string, genKey: string }, opts: ReadOptions, load: () => Promise<Loaded>) {
    this.kind = kind
    this.key = where.key
    this.genKey = where.genKey
    this.noCache = opts.noCache
    this.#opts = opts
    this.load = load
  }

  get signal () { return this.#opts.signal }
}

/** The SDK's completion rule for long-running operations: a non-empty list of conditions, all Reached. */
const complete = (conditions: Array<{ status: string }>) => conditions.length > 0 && conditions.every(c => c.status === 'Reached')

/** Clock skew allowed between vi-bff and the Vi API when looking for an export created since a request began. */
export const RECONCILE_SKEW_MS = 5_000
const RECONCILE_PAGES = 5
const RECONCILE_PAGE_SIZE = 100
/** Bound of the reconciliation reads when the request's own deadline has already passed. */
const RECONCILE_TIMEOUT_MS = 10_000

const sameSettings = (e: DatasetExport, s: ExportSettings) =>
  e.spec.format === s.format && e.spec.options.normalized === s.normalized && e.spec.options.splitRatio === s.splitRatio

/** Export settings with the SDK's defaults: VI_FULL, normalized true, splitRatio null. */
export function exportSettings (body: CreateExportBody | undefined): ExportSettings {
  return {
    format: body?.format ?? 'VI_FULL',
    normalized: body?.options?.normalized ?? true,
    splitRatio: body?.options?.splitRatio ?? null
  }
}

function createDatasetsService (app: FastifyInstance, config: Config) {
  const { cache, viApi } = app
  const keys = createKeys(config.REDIS_KEY_PREFIX, config.DATATURE_VI_ORGANIZATION_ID)
  const s = (seconds: number) => seconds * 1000
  const stale = { staleMs: s(config.CACHE_STALE_S), errorMs: s(config.CACHE_STALE_IF_ERROR_S) }
  const datasetPolicy: Policy = { freshMs: s(config.CACHE_TTL_DATASET_S), ...stale }
  const listPolicy: Policy = { freshMs: s(config.CACHE_TTL_LIST_S), ...stale }

  /** An export's TTL follows its state; a ready one is never served past shortly before its signed URL expires. */
  function exportPolicy (record: ExportRecord): Policy {
    switch (record.export.status.state) {
      case 'pending': return { freshMs: s(config.CACHE_TTL_EXPORT_PENDING_S), staleMs: 0, errorMs: s(config.CACHE_STALE_IF_ERROR_S) }
      case 'failed': return { freshMs: s(config.CACHE_TTL_EXPORT_FAILED_S), staleMs: 0, errorMs: s(config.CACHE_STALE_IF_ERROR_S) }
      case 'ready': {
        const usable = Math.max(0, (record.archive?.expiresAt ?? 0) - Date.now() - 60_000)
        return { freshMs: Math.min(s(config.CACHE_TTL_EXPORT_READY_S), usable), staleMs: 0, errorMs: Math.min(s(config.CACHE_STALE_IF_ERROR_S), usable) }
      }
    }
  }

  /**
   * Upstream deletions run asynchronously: statistics (bulk asset deletion) or the dataset itself (delete)
   * keep changing after the write returned, so an entry loaded in between can be outdated. The first time
   * this process sees such an operation complete, it invalidates again. Bounded: oldest ids are forgotten.
   */
  const settled = new Set<string>()
  async function invalidateOnce (id: string, genKeys: string[]) {
    if (settled.has(id)) return
    settled.add(id)
    if (settled.size > 10_000) settled.delete(settled.values().next().value as string)
    await cache.invalidate(genKeys)
  }

  // Lookups are RequestLookups built in place: copying them here cost more than the whole hit path.
  async function lookup (l: Lookup, notFound: () => Error): Promise<Served> {
    const served = await cache.get(l)
    if (served.entry.n === 404) throw notFound()
    return served
  }
  // With tracing on, each lookup is a span (the upstream call of a miss is its child) with its outcome.
  const tracer = telemetry()?.tracer
  const read = tracer
    ? (l: Lookup, notFound: () => Error) => inSpan(tracer, `cache ${l.kind}`, { 'vibff.cache.kind': l.kind, 'vibff.cache.store': cache.kind }, () => lookup(l, notFound), served => ({ 'vibff.cache.status': served.cacheStatus }))
    : lookup
  const reply = ({ entry, cacheStatus }: Served): Reply => ({ body: entry.b, etag: entry.e, cacheStatus })

  function readExport (datasetId: string, exportId: string, opts: ReadOptions): Promise<Served> {
    return read(new RequestLookup('export', keys.export(datasetId, exportId), opts, async () => {
      const record = await viApi.getExport(datasetId, exportId, opts)
      return { body: serialize.export(record.export), extra: record.archive, policy: exportPolicy(record) }
    }), () => problem(Errors.ExportNotFound, [exportId, datasetId]))
  }

  async function resolveExport (datasetId: string, exportId: string, opts: ReadOptions = {}): Promise<ResolvedExport> {
    const { entry, cacheStatus } = await readExport(datasetId, exportId, opts)
    return { export: JSON.parse(entry.b) as DatasetExport, archive: entry.a as ExportRecord['archive'], cacheStatus }
  }

  /** Claims on ids handed out (idempotency plugin); absent when the service runs without it. */
  const claims = (app as { writeClaims?: WriteClaims }).writeClaims

  /**
   * Claims an export this request created, so that no other request's reconciliation adopts it. Best effort: the
   * export is this request's whatever the store says; a lost race (another reconciliation adopted it first, the
   * residual race) or a store failure is logged.
   */
  async function claimCreated (datasetId: string, exportId: string, ctx: CallContext) {
    if (!claims) return
    try {
      if (!await claims.claim('export', datasetId, exportId, ctx.requestId ?? '')) {
        ctx.log?.error({ datasetId, exportId }, 'an export this request created had already been adopted by another request\'s reconciliation')
      }
    } catch (err) {
      ctx.log?.warn({ err, datasetId, exportId }, 'could not claim a created export; another request\'s reconciliation may adopt it')
    }
  }

  /**
   * The export a creation begun at `since` made, read past the cache, among the exports no other request claimed:
   * the oldest with these settings created at or after `since`, else (the Vi API's clock may lag ours) the newest
   * created within RECONCILE_SKEW_MS before. The one adopted is claimed atomically (SET NX); a candidate claimed
   * meanwhile by another request is skipped. Undefined when no unclaimed candidate is left; throws when the
   * exports or the claims cannot be read (nothing is adopted then).
   */
  async function reconcileExport (datasetId: string, settings: ExportSettings, since: number, ctx: CallContext): Promise<ExportRecord | undefined> {
    const signal = ctx.signal && !ctx.signal.aborted ? withTimeout(ctx.signal, RECONCILE_TIMEOUT_MS) : AbortSignal.timeout(RECONCILE_TIMEOUT_MS)
    const rctx: CallContext = { ...ctx, signal }
    const found: ExportRecord[] = []
    let pageToken: string | undefined
    for (let i = 0; i < RECONCILE_PAGES; i++) {
      const page = await viApi.listExports(datasetId, { pageSize: RECONCILE_PAGE_SIZE, pageToken }, rctx)
      found.push(...page.items.filter(r => sameSettings(r.export, settings) && r.export.metadata.timeCreated >= since - RECONCILE_SKEW_MS))
      if (!page.nextPageToken) break
      pageToken = page.nextPageToken
    }
    const at = (r: ExportRecord) => r.export.metadata.timeCreated
    const after = found.filter(r => at(r) >= since).sort((a, b) => at(a) - at(b))
    const before = found.filter(r => at(r) < since).sort((a, b) => at(b) - at(a))
    for (const candidate of [...after, ...before]) {
      if (!claims || await claims.claim('export', datasetId, candidate.export.datasetExportId, ctx.requestId ?? '')) return candidate
    }
    return undefined
  }

  return {
    async list (page: PageParams, opts: ReadOptions = {}): Promise<Reply> {
      return reply(await read(new RequestLookup('datasets', keys.datasetList(page.pageSize, page.pageToken), opts,
        async () => ({ body: serialize.datasets(await viApi.listDatasets(page, opts)), policy: listPolicy })), () => problem(Errors.UpstreamError, [404])))
    },

    async get (datasetId: string, opts: ReadOptions = {}): Promise<Reply> {
      return reply(await read(new RequestLookup('dataset', keys.dataset(datasetId), opts,
        async () => ({ body: serialize.dataset(await viApi.getDataset(datasetId, opts)), policy: datasetPolicy })), () => problem(Errors.DatasetNotFound, [datasetId])))
    },

    /** The ETag GET would give the dataset now, from a fresh upstream read (never the cache): for If-Match. */
    async currentEtag (datasetId: string, ctx: CallContext = {}): Promise<string> {
      return etagOf(serialize.dataset(await viApi.getDataset(datasetId, ctx)))
    },

    async delete (datasetId: string, ctx: CallContext = {}) {
      try {
        return await viApi.deleteDataset(datasetId, ctx)
      } finally {
        // Also after a failure: the upstream may have acted before the error reached us.
        await cache.invalidate(keys.invalidates.datasetDeleted(datasetId))
      }
    },

    async deletion (datasetId: string, ctx: CallContext = {}) {
      const deletion = await viApi.getDeletion(datasetId, ctx)
      if (complete(deletion.status.conditions)) await invalidateOnce(`deletion:${datasetId}:${deletion.metadata.timeCreated}`, keys.invalidates.datasetDeleted(datasetId))
      return deletion
    },

    /**
     * Creates an export; the created id is claimed (no other request's reconciliation adopts it). With
     * `reconcileSince` (a keyed request's start, epoch ms), a creation that ended ambiguously (it may have landed
     * upstream) is reconciled: the oldest unclaimed export with the same settings created since then (allowing
     * RECONCILE_SKEW_MS of clock skew) is claimed and adopted as the result; none: the original error.
     */
    async createExport (datasetId: string, body: CreateExportBody | undefined, ctx: CallContext = {}, reconcileSince?: number) {
      let record: ExportRecord
      const settings = exportSettings(body)
      try {
        record = await viApi.createExport(datasetId, settings, ctx)
        await claimCreated(datasetId, record.export.datasetExportId, ctx)
      } catch (err) {
        if (reconcileSince === undefined || !writeMayHaveHappened(err)) throw err
        const adopted = await reconcileExport(datasetId, settings, reconcileSince, ctx).catch(readErr => {
          ctx.log?.warn({ err: readErr, datasetId }, 'could not reconcile an ambiguous export creation')
          return undefined
        })
        if (!adopted) {
          ctx.log?.warn({ datasetId, code: (err as { code?: string }).code }, 'an export creation ended ambiguously and no unclaimed export matches it')
          throw err
        }
        ctx.log?.warn({ datasetId, exportId: adopted.export.datasetExportId, code: (err as { code?: string }).code }, 'an export creation ended ambiguously; adopted the export it created')
        record = adopted
      } finally {
        await cache.invalidate(keys.invalidates.exportCreated(datasetId))
      }
      const { key, genKey } = keys.export(datasetId, record.export.datasetExportId)
      await cache.prime(key, genKey, { body: serialize.export(record.export), extra: record.archive, policy: exportPolicy(record) })
      return record.export
    },

    async listExports (datasetId: string, page: PageParams, opts: ReadOptions = {}): Promise<Reply> {
      return reply(await read(new RequestLookup('exports', keys.exportList(datasetId, page.pageSize, page.pageToken), opts, async () => {
        const result = await viApi.listExports(datasetId, page, opts)
        // A page showing a pending export lives no longer than that export would: polling the list stays live too.
        const pending = result.items.some(r => r.export.status.state === 'pending')
        return {
          body: serialize.exports({ items: result.items.map(r => r.export), nextPageToken: result.nextPageToken }),
          policy: pending ? { ...listPolicy, freshMs: Math.min(listPolicy.freshMs, s(config.CACHE_TTL_EXPORT_PENDING_S)), staleMs: 0 } : listPolicy
        }
      }), () => problem(Errors.DatasetNotFound, [datasetId])))
    },

    async getExport (datasetId: string, exportId: string, opts: ReadOptions = {}): Promise<Reply> {
      return reply(await readExport(datasetId, exportId, opts))
    },

    resolveExport,

    async bulkDeleteAssets (datasetId: string, spec: AssetDeletionSpec, ctx: CallContext = {}) {
      try {
        return await viApi.createAssetDeletion(datasetId, spec, ctx)
      } finally {
        await cache.invalidate(keys.invalidates.assetsDeleted(datasetId))
      }
    },

    async assetDeletion (datasetId: string, sessionId: string, ctx: CallContext = {}) {
      const session = await viApi.getAssetDeletion(datasetId, sessionId, ctx)
      if (complete(session.status.conditions)) await invalidateOnce(`assets:${datasetId}:${sessionId}`, keys.invalidates.assetsDeleted(datasetId))
      return session
    }
  }
}

/** Dataset operations for routes: cache-aside reads, invalidation on writes, upstream calls through viApi. */
export default fp<{ config: Config }>(async function datasetsService (app, { config }) {
  app.decorate('datasets', createDatasetsService(app, config))
}, { name: 'datasets-service', dependencies: ['upstream', 'cache'] })
