import type { WireAssetDeletion, WireCondition, WireDataset, WireDeletedDataset, WireExport } from './wire.js'
import type { Dataset, DeletedDataset } from '../schemas/datasets.js'
import type { DatasetExport, ExportFormat, ExportState } from '../schemas/exports.js'
import type { AssetDeletionSession, AssetDeletionSpec } from '../schemas/asset-deletions.js'
import type { Condition, Metadata } from '../schemas/common.js'
import { ID_PATTERN } from '../schemas/common.js'

/**
 * Both directions between upstream wire JSON (vi-upstream.md §3-4) and vi-bff JSON (design.md).
 * Upstream links never leave: selfLink becomes vi-bff's own route, and an export's signed URL is kept
 * apart (ExportRecord.archive) for the archive streamer, replaced in the public body by vi-bff's route.
 * Every fixed-shape object is built field by field (maps such as tags, whose keys are data, are kept), so a
 * field a newer upstream adds never reaches a caller.
 */

export class ProtocolError extends Error {}

const ID = new RegExp(ID_PATTERN)

/** The SDK keeps the last `_`-separated piece of an upstream dataset id (`{org}_{id}` → `{id}`). */
export function bareDatasetId (wireId: string): string {
  const id = wireId.slice(wireId.lastIndexOf('_') + 1)
  if (!ID.test(id)) throw new ProtocolError(`datasetId ${JSON.stringify(wireId)} is not of the form {org}_{id}`)
  return id
}

function bareId (kind: string, id: string): string {
  if (!ID.test(id)) throw new ProtocolError(`${kind} ${JSON.stringify(id)} is not a valid id`)
  return id
}

const seg = encodeURIComponent

export const links = {
  dataset: (d: string) => `/v1/datasets/${seg(d)}`,
  deletion: (d: string) => `/v1/datasets/${seg(d)}/deletion`,
  export: (d: string, e: string) => `/v1/datasets/${seg(d)}/exports/${seg(e)}`,
  archive: (d: string, e: string) => `/v1/datasets/${seg(d)}/exports/${seg(e)}/archive`,
  assetDeletion: (d: string, s: string) => `/v1/datasets/${seg(d)}/asset-deletions/${seg(s)}`
}

function condition (c: WireCondition): Condition {
  return {
    condition: c.condition,
    status: c.status as Condition['status'],
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason ?? null,
    message: c.message ?? null
  }
}

function metadata (m: WireExport['metadata']): Metadata {
  return { timeCreated: m.timeCreated, lastUpdated: m.lastUpdated, generation: m.generation, attributes: m.attributes }
}

export function datasetFromWire (w: WireDataset): Dataset {
  const datasetId = bareDatasetId(w.datasetId)
  const users: Dataset['users'] = {}
  for (const [userId, user] of Object.entries(w.users)) {
    users[userId] = typeof user === 'string'
      ? user
      : {
          workspaceRole: user.workspaceRole,
          datasets: Object.fromEntries(Object.entries(user.datasets).map(([k, v]) => [k.slice(k.lastIndexOf('_') + 1), v]))
        }
  }
  const assetStatuses: Dataset['assetStatuses'] = {}
  for (const [name, s] of Object.entries(w.assetStatuses)) {
    assetStatuses[name] = { description: s.description, color: s.color, createDate: s.createDate ?? null }
  }
  return {
    datasetId,
    name: w.name,
    owner: w.owner,
    organizationId: w.workspaceId,
    type: w.type as Dataset['type'],
    content: w.content as Dataset['content'],
    createDate: w.createDate,
    statistic: {
      assetTotal: w.statistic.assetTotal,
      annotationTotal: w.statistic.annotationTotal,
      assetAnnotated: w.statistic.assetAnnotated,
      tagsCount: w.statistic.tagsCount
    },
    users,
    tags: w.tags,
    status: w.status,
    lastAccessed: w.lastAccessed,
    isLocked: w.isLocked,
    access: { isPublic: w.access.isPublic, isReadOnly: w.access.isReadOnly, isHidden: w.access.isHidden ?? null },
    assetStatuses,
    selfLink: links.dataset(datasetId),
    etag: w.etag,
    description: w.description ?? null
  }
}

/** The SDK's readiness rule: failed if any FailedReach; ready if conditions are non-empty, all Reached, and a URL exists. */
export function exportState (conditions: readonly { status: string }[], hasUrl: boolean): ExportState {
  if (conditions.some(c => c.status === 'FailedReach')) return 'failed'
  if (conditions.length > 0 && conditions.every(c => c.status === 'Reached') && hasUrl) return 'ready'
  return 'pending'
}

const FORMAT_FROM_WIRE = { ViFull: 'VI_FULL', ViJsonl: 'VI_JSONL', ViTfrecord: 'VI_TFRECORD' } as const
const FORMAT_TO_WIRE = { VI_FULL: 'ViFull', VI_JSONL: 'ViJsonl' } as const

/** An export as vi-bff keeps it: the public body plus the signed URL, which only the archive streamer reads. */
export interface ExportRecord {
  export: DatasetExport
  archive: { url: string, expiresAt: number } | null
}

/** The protocol does not state the unit of `expiresAt`; a value below 10^12 can only be seconds. */
export function epochMs (value: number): number {
  return value < 1e12 ? value * 1000 : value
}

export function exportFromWire (w: WireExport): ExportRecord {
  const datasetId = bareDatasetId(w.datasetId)
  const exportId = bareId('datasetExportId', w.datasetExportId)
  const wireUrl = w.status.downloadUrl ?? null
  const signed = wireUrl && { url: wireUrl.url, expiresAt: epochMs(wireUrl.expiresAt) }
  if (signed) {
    let url: URL
    try { url = new URL(signed.url) } catch { throw new ProtocolError('status.downloadUrl.url is not an absolute URL') }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ProtocolError('status.downloadUrl.url is not http(s)')
  }
  return {
    export: {
      organizationId: w.workspaceId,
      datasetId,
      datasetExportId: exportId,
      spec: {
        format: FORMAT_FROM_WIRE[w.spec.format as keyof typeof FORMAT_FROM_WIRE],
        options: { normalized: w.spec.options.normalized, splitRatio: w.spec.options.splitRatio ?? null }
      },
      status: {
        state: exportState(w.status.conditions, signed !== null),
        conditions: w.status.conditions.map(condition),
        downloadUrl: signed ? { url: links.archive(datasetId, exportId), expiresAt: signed.expiresAt } : null
      },
      metadata: metadata(w.metadata),
      selfLink: links.export(datasetId, exportId),
      etag: w.etag
    },
    archive: signed
  }
}

export interface ExportSettings { format: ExportFormat, normalized: boolean, splitRatio: number | null }

/** The SDK's create-export body, every key present (msgspec sends unset optionals as null). */
export function exportSpecToWire (s: ExportSettings) {
  return { spec: { format: FORMAT_TO_WIRE[s.format], options: { normalized: s.normalized, splitRatio: s.splitRatio } } }
}

export function deletedDatasetFromWire (w: WireDeletedDataset): DeletedDataset {
  // The SDK keeps DeletedDataset.datasetId raw; vi-bff promises bare ids everywhere.
  const datasetId = bareDatasetId(w.datasetId)
  return {
    kind: w.kind,
    user: w.user,
    organizationId: w.workspaceId,
    datasetId,
    selfLink: links.deletion(datasetId),
    etag: w.etag,
    metadata: metadata(w.metadata),
    status: { conditions: w.status.conditions.map(condition) }
  }
}

export function assetDeletionSpecToWire (s: AssetDeletionSpec) {
  return {
    spec: {
      filter: s.filter ?? null,
      metadataQuery: s.metadataQuery ?? null,
      ruleQuery: s.ruleQuery ?? null,
      strictQuery: s.strictQuery ?? null
    }
  }
}

export function assetDeletionFromWire (w: WireAssetDeletion): AssetDeletionSession {
  const datasetId = bareDatasetId(w.datasetId)
  const sessionId = bareId('deleteManyAssetsSessionId', w.deleteManyAssetsSessionId)
  return {
    kind: w.kind,
    organizationId: w.workspaceId,
    datasetId,
    deleteManyAssetsSessionId: sessionId,
    selfLink: links.assetDeletion(datasetId, sessionId),
    etag: w.etag,
    metadata: metadata(w.metadata),
    spec: {
      filter: w.spec.filter ?? null,
      metadataQuery: w.spec.metadataQuery ?? null,
      ruleQuery: w.spec.ruleQuery ?? null,
      strictQuery: w.spec.strictQuery ?? null
    },
    status: { conditions: w.status.conditions.map(condition) }
  }
}
