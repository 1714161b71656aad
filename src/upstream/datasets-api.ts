import type { TSchema } from 'typebox'
import type { Validator } from 'typebox/compile'
import { Errors, problem } from '../errors.js'
import { followedAmbiguousAttempt, type UpstreamClient, type CallContext } from './client.js'
import { validators } from './wire.js'
import {
  ProtocolError, datasetFromWire, exportFromWire, deletedDatasetFromWire, assetDeletionFromWire,
  exportSpecToWire, assetDeletionSpecToWire, type ExportRecord, type ExportSettings
} from './codec.js'
import type { Dataset, DeletedDataset } from '../schemas/datasets.js'
import type { AssetDeletionSession, AssetDeletionSpec } from '../schemas/asset-deletions.js'

export interface Page<T> { items: T[], nextPageToken: string | null }
export interface PageParams { pageSize: number, pageToken?: string | undefined }

/** Validates wire JSON, naming the first offending field. */
function check<S extends TSchema, T> (validator: Validator<{}, S>, json: unknown): T {
  if (validator.Check(json)) return json as T
  const first = validator.Errors(json)[0]
  throw new ProtocolError(first ? `${first.instancePath || '/'} ${first.message}` : 'unexpected shape')
}

/**
 * The Vi datasets endpoints (vi-upstream.md §1), each returning vi-bff's own shapes.
 * Paths use the `{org}_{datasetId}` form; every segment is URL-encoded even though ids are validated.
 */
export function createDatasetsApi (client: UpstreamClient) {
  const org = client.organizationId
  const e = encodeURIComponent
  const root = `/workspaces/${e(org)}/datasets`
  const D = (datasetId: string) => `${root}/${e(`${org}_${datasetId}`)}`
  const notFound = {
    dataset: (id: string) => () => problem(Errors.DatasetNotFound, [id]),
    export: (id: string, exportId: string) => () => problem(Errors.ExportNotFound, [exportId, id])
  }

  function getDeletion (datasetId: string, ctx?: CallContext): Promise<DeletedDataset> {
    return client.json({
      op: 'getDeletion',
      method: 'GET',
      path: `${D(datasetId)}/deleteOperation`,
      notFound: () => problem(Errors.DeletionNotFound, [datasetId]),
      decode: json => deletedDatasetFromWire(check(validators.deletedDataset, json))
    }, ctx)
  }

  return {
    listDatasets (page: PageParams, ctx?: CallContext): Promise<Page<Dataset>> {
      return client.json({
        op: 'listDatasets',
        method: 'GET',
        path: root,
        query: { pageSize: page.pageSize, pageToken: page.pageToken },
        notFound: () => problem(Errors.UpstreamError, [404]),
        decode: json => {
          const w = check<TSchema, { items?: unknown[], nextPage?: string | null }>(validators.datasetPage, json)
          return { items: (w.items ?? []).map(d => datasetFromWire(d as never)), nextPageToken: w.nextPage ?? null }
        }
      }, ctx)
    },

    getDataset (datasetId: string, ctx?: CallContext): Promise<Dataset> {
      return client.json({
        op: 'getDataset',
        method: 'GET',
        path: D(datasetId),
        notFound: notFound.dataset(datasetId),
        decode: json => datasetFromWire(check(validators.dataset, json))
      }, ctx)
    },

    /**
     * A 404 or 409 from a retry after an attempt that may have deleted the dataset is resolved by
     * reading the deletion status: that attempt's deletion, else the original answer.
     */
    async deleteDataset (datasetId: string, ctx?: CallContext): Promise<DeletedDataset> {
      try {
        return await client.json({
          op: 'deleteDataset',
          method: 'DELETE',
          path: D(datasetId),
          notFound: notFound.dataset(datasetId),
          decode: json => deletedDatasetFromWire(check(validators.deletedDataset, json))
        }, ctx)
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode
        if (!followedAmbiguousAttempt(err) || (status !== 404 && status !== 409)) throw err
        try {
          return await getDeletion(datasetId, ctx)
        } catch (readErr) {
          throw (readErr as { statusCode?: number }).statusCode === 404 ? err : readErr
        }
      }
    },

    getDeletion,

    createExport (datasetId: string, settings: ExportSettings, ctx?: CallContext): Promise<ExportRecord> {
      return client.json({
        op: 'createExport',
        method: 'POST',
        path: `${D(datasetId)}/datasetExports`,
        body: exportSpecToWire(settings),
        notFound: notFound.dataset(datasetId),
        decode: json => exportFromWire(check(validators.export, json))
      }, ctx)
    },

    listExports (datasetId: string, page: PageParams, ctx?: CallContext): Promise<Page<ExportRecord>> {
      return client.json({
        op: 'listExports',
        method: 'GET',
        path: `${D(datasetId)}/datasetExports`,
        query: { pageSize: page.pageSize, pageToken: page.pageToken },
        notFound: notFound.dataset(datasetId),
        decode: json => {
          const w = check<TSchema, { items?: unknown[], nextPage?: string | null }>(validators.exportPage, json)
          return { items: (w.items ?? []).map(x => exportFromWire(x as never)), nextPageToken: w.nextPage ?? null }
        }
      }, ctx)
    },

    getExport (datasetId: string, exportId: string, ctx?: CallContext): Promise<ExportRecord> {
      return client.json({
        op: 'getExport',
        method: 'GET',
        path: `${D(datasetId)}/datasetExports/${e(exportId)}`,
        notFound: notFound.export(datasetId, exportId),
        decode: json => exportFromWire(check(validators.export, json))
      }, ctx)
    },

    createAssetDeletion (datasetId: string, spec: AssetDeletionSpec, ctx?: CallContext): Promise<AssetDeletionSession> {
      return client.json({
        op: 'createAssetDeletion',
        method: 'POST',
        path: `${D(datasetId)}/deleteManyAssetsSessions`,
        body: assetDeletionSpecToWire(spec),
        notFound: notFound.dataset(datasetId),
        decode: json => assetDeletionFromWire(check(validators.assetDeletion, json))
      }, ctx)
    },

    getAssetDeletion (datasetId: string, sessionId: string, ctx?: CallContext): Promise<AssetDeletionSession> {
      return client.json({
        op: 'getAssetDeletion',
        method: 'GET',
        path: `${D(datasetId)}/deleteManyAssetsSessions/${e(sessionId)}`,
        notFound: () => problem(Errors.AssetDeletionNotFound, [sessionId, datasetId]),
        decode: json => assetDeletionFromWire(check(validators.assetDeletion, json))
      }, ctx)
    }
  }
}
export type DatasetsApi = ReturnType<typeof createDatasetsApi>
