// Upstream wire JSON (vi-upstream.md §4): camelCase, `workspaceId`, ms-epoch integers,
// conditions newest first. etags are derived from each resource's version so they change
// exactly when the resource does.
import { createHash } from 'node:crypto'
import type { DatasetRec, DeletionRec, ExportRec, OperationRec, SessionRec, SimState } from './state.js'

interface Condition { condition: string; status: 'Waiting' | 'Reached' | 'FailedReach'; lastTransitionTime: number; reason?: string | null; message?: string | null }

const etagOf = (...parts: Array<string | number>): string =>
  createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 22)

export const fullDatasetId = (org: string, id: string): string => `${org}_${id}`

const datasetPath = (state: SimState, org: string, id: string): string =>
  `${state.apiUrl}/workspaces/${encodeURIComponent(org)}/datasets/${encodeURIComponent(fullDatasetId(org, id))}`

const TAG_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0']

export function datasetWire (state: SimState, d: DatasetRec): Record<string, unknown> {
  const fullId = fullDatasetId(d.org, d.id)
  return {
    kind: 'Dataset',
    datasetId: fullId,
    name: d.name,
    owner: d.owner,
    workspaceId: d.org,
    type: d.type,
    content: 'Image',
    createDate: d.createDate,
    statistic: {
      assetTotal: d.assetTotal,
      annotationTotal: d.annotationTotal,
      tagsCount: d.tagsCount,
      assetAnnotated: d.assetAnnotated
    },
    users: { [d.owner]: { workspaceRole: 'Owner', datasets: { [fullId]: 'Owner' } } },
    tags: d.tags,
    tagDetails: Object.fromEntries(Object.keys(d.tags).map((t, i) =>
      [t, { description: `Objects labelled ${t}`, color: TAG_COLOURS[i % TAG_COLOURS.length] as string }])),
    cohorts: [],
    status: d.status,
    lastAccessed: d.lastAccessed,
    isLocked: d.isLocked,
    access: { isPublic: false, isReadOnly: d.isLocked, isHidden: false },
    preference: { autoSave: true, defaultView: 'grid' },
    assetStatuses: {
      none: { description: 'Not annotated yet', color: '#9e9e9e', createDate: d.createDate },
      annotated: { description: 'Annotated', color: '#4caf50', createDate: d.createDate },
      review: { description: 'Needs review', color: '#ff9800', createDate: d.createDate }
    },
    localization: 'Datature/Multi',
    description: d.description,
    isDemoProject: false,
    deleteOp: null,
    bypassQuota: false,
    selfLink: datasetPath(state, d.org, d.id),
    etag: etagOf('dataset', d.org, d.id, d.generation),
    ...d.wireOverrides
  }
}

export function exportWire (state: SimState, e: ExportRec, now: number): Record<string, unknown> {
  const st = state.exportState(e, now)
  const started: Condition = { condition: 'Started', status: 'Reached', lastTransitionTime: e.createdAt }
  let conditions: Condition[] = [started]
  let lastUpdated = e.createdAt
  let downloadUrl: { url: string; expiresAt: number } | null = null
  if (st === 'ready') {
    const at = e.readyAt ?? e.createdAt
    conditions = [{ condition: 'Finished', status: 'Reached', lastTransitionTime: at }, started]
    lastUpdated = at
    const u = state.signedUrl(e, now)
    downloadUrl = { url: u.url, expiresAt: u.expires }
  } else if (st === 'failed') {
    const at = e.failAt ?? e.createdAt
    conditions = [{
      condition: 'Finished',
      status: 'FailedReach',
      lastTransitionTime: at,
      reason: 'ExportFailed',
      message: 'Export failed while packaging assets: an asset could not be read from storage'
    }, started]
    lastUpdated = at
  }
  const generation = conditions.length
  return {
    kind: 'DatasetExport',
    workspaceId: e.org,
    datasetId: fullDatasetId(e.org, e.datasetId),
    datasetExportId: e.id,
    spec: { format: e.format, options: { normalized: e.normalized, splitRatio: e.splitRatio } },
    status: { conditions, downloadUrl },
    metadata: { timeCreated: e.createdAt, lastUpdated, generation, attributes: {} },
    selfLink: `${datasetPath(state, e.org, e.datasetId)}/datasetExports/${encodeURIComponent(e.id)}`,
    etag: etagOf('export', e.org, e.id, generation, downloadUrl?.expiresAt ?? '')
  }
}

function operationStatus (op: OperationRec, now: number): { conditions: Condition[]; generation: number; lastUpdated: number } {
  if (now < op.doneAt) {
    return { conditions: [{ condition: 'Started', status: 'Waiting', lastTransitionTime: op.startedAt }], generation: 1, lastUpdated: op.startedAt }
  }
  return {
    conditions: [
      { condition: 'Finished', status: 'Reached', lastTransitionTime: op.doneAt },
      { condition: 'Started', status: 'Reached', lastTransitionTime: op.doneAt }
    ],
    generation: 2,
    lastUpdated: op.doneAt
  }
}

export function deletionWire (state: SimState, op: DeletionRec, now: number): Record<string, unknown> {
  const s = operationStatus(op, now)
  return {
    kind: 'DatasetDeleteOperation',
    user: op.user,
    workspaceId: op.org,
    datasetId: fullDatasetId(op.org, op.datasetId),
    selfLink: `${datasetPath(state, op.org, op.datasetId)}/deleteOperation`,
    etag: etagOf('deletion', op.org, op.datasetId, op.startedAt, s.generation),
    metadata: { timeCreated: op.startedAt, lastUpdated: s.lastUpdated, generation: s.generation, attributes: {} },
    status: { conditions: s.conditions }
  }
}

export function sessionWire (state: SimState, op: SessionRec, now: number): Record<string, unknown> {
  const s = operationStatus(op, now)
  return {
    kind: 'DeleteManyAssetsSession',
    workspaceId: op.org,
    datasetId: fullDatasetId(op.org, op.datasetId),
    deleteManyAssetsSessionId: op.id,
    selfLink: `${datasetPath(state, op.org, op.datasetId)}/deleteManyAssetsSessions/${encodeURIComponent(op.id)}`,
    etag: etagOf('session', op.org, op.id, s.generation),
    metadata: { timeCreated: op.startedAt, lastUpdated: s.lastUpdated, generation: s.generation, attributes: {} },
    spec: op.spec,
    status: { conditions: s.conditions }
  }
}

/** Wire keys whose values are maps (caller or data keys), not fixed-shape objects; `filter` is the caller's own. */
const MAPS = new Set(['users', 'datasets', 'tags', 'tagsCount', 'tagDetails', 'assetStatuses', 'attributes', 'preference'])
export const UNKNOWN_FIELD = 'simUnknown'

/** A copy of `value` with an unknown field in every fixed-shape object (see SimOptions.unknownFields). */
export function withUnknownFields (value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withUnknownFields(v))
  if (value === null || typeof value !== 'object' || key === 'filter') return value
  const out: Record<string, unknown> = {}
  if (key !== undefined && MAPS.has(key)) {
    for (const [k, v] of Object.entries(value)) out[k] = withUnknownFields(v)
    return out
  }
  for (const [k, v] of Object.entries(value)) out[k] = withUnknownFields(v, k)
  out[UNKNOWN_FIELD] = { note: 'a field from a newer upstream', depth: key ?? 'top' }
  return out
}
