// In-memory model of the simulated organisations. Time-dependent state (export readiness,
// operation completion, URL expiry) is derived from timestamps on read, so there are no timers.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { Archive } from './archive.js'
import type { DatasetType, SeedDataset, SeedExport, SimOptions, SimOrg } from './types.js'

export type ResolvedOptions = Required<Omit<SimOptions, 'orgs'>>

export type ExportFormat = 'ViFull' | 'ViJsonl'
export type ExportState = 'pending' | 'ready' | 'failed'

export interface DatasetRec {
  org: string;
  id: string;
  name: string;
  type: DatasetType;
  description: string;
  owner: string;
  createDate: number;
  lastAccessed: number;
  isLocked: boolean;
  status: number;
  assetTotal: number;
  assetAnnotated: number;
  annotationTotal: number;
  tags: Record<string, number>;
  tagsCount: Record<string, number>;
  generation: number;
  wireOverrides?: Record<string, unknown>;
}

export interface SignedUrl { url: string; expires: number }

export interface ExportRec {
  org: string;
  datasetId: string;
  id: string;
  seq: number;
  format: ExportFormat;
  normalized: boolean;
  splitRatio: number | null;
  createdAt: number;
  readyAt: number | null;
  failAt: number | null;
  archiveSize: number;
  urlTtlMs: number;
  url?: SignedUrl;
  /** URLs expiring at or before this were revoked by expireUrls(). */
  revokedUpTo: number;
  archive?: Archive;
}

export interface OperationRec { org: string; datasetId: string; startedAt: number; doneAt: number }
export interface DeletionRec extends OperationRec { user: string }
export interface BulkSpec { filter: unknown; metadataQuery: string | null; ruleQuery: string | null; strictQuery: boolean | null }
export interface SessionRec extends OperationRec { id: string; spec: BulkSpec }

export interface OrgState {
  id: string;
  secretKey: string;
  datasets: Map<string, DatasetRec>;
  exports: Map<string, ExportRec>;
  deletions: Map<string, DeletionRec>;
  sessions: Map<string, SessionRec>;
}

export const ID_PATTERN = /^[A-Za-z0-9-]{1,255}$/
const DAY = 86_400_000

export const userIdFor = (seed: string): string =>
  'usr-' + createHash('sha256').update(seed).digest('hex').slice(0, 20)

function nonNegInt (v: number | undefined, fallback: number, what: string): number {
  const n = v ?? fallback
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer, got ${String(v)}`)
  return n
}

export class SimState {
  readonly orgs = new Map<string, OrgState>()
  apiUrl = ''
  storageUrl = ''
  private readonly urlSecret = randomBytes(32)
  private seq = 0

  constructor (readonly opts: ResolvedOptions, orgs: SimOrg[]) {
    if (orgs.length === 0) throw new Error('SimOptions.orgs must list at least one organisation')
    for (const o of orgs) {
      if (!o.id || !o.secretKey) throw new Error('every SimOrg needs a non-empty id and secretKey')
      if (this.orgs.has(o.id)) throw new Error(`duplicate org ${o.id}`)
      this.orgs.set(o.id, { id: o.id, secretKey: o.secretKey, datasets: new Map(), exports: new Map(), deletions: new Map(), sessions: new Map() })
    }
  }

  org (id: string): OrgState {
    const o = this.orgs.get(id)
    if (!o) throw new Error(`unknown sim org ${id}`)
    return o
  }

  authenticate (orgId: string, key: string): OrgState | undefined {
    const o = this.orgs.get(orgId)
    if (!o) return undefined
    const a = Buffer.from(o.secretKey)
    const b = Buffer.from(key)
    return a.length === b.length && timingSafeEqual(a, b) ? o : undefined
  }

  addDataset (orgId: string, d: SeedDataset, now: number): DatasetRec {
    const o = this.org(orgId)
    if (!ID_PATTERN.test(d.id)) throw new Error(`dataset id ${JSON.stringify(d.id)} must match ${String(ID_PATTERN)} (no '_')`)
    const type = d.type ?? 'phrase-grounding'
    const assetTotal = nonNegInt(d.assetTotal, 120, 'assetTotal')
    const assetAnnotated = Math.min(assetTotal, nonNegInt(d.assetAnnotated, Math.floor(assetTotal * 0.8), 'assetAnnotated'))
    const annotationTotal = nonNegInt(d.annotationTotal, assetAnnotated * (type === 'vqa' ? 2 : 3), 'annotationTotal')
    const tags = d.tags ?? (type === 'vqa' ? {} : { person: 0, vehicle: 1, object: 2 })
    const names = Object.keys(tags)
    const tagsCount = d.tagsCount ?? Object.fromEntries(names.map((t, i) =>
      [t, Math.floor(annotationTotal / names.length) + (i < annotationTotal % names.length ? 1 : 0)]))
    const rec: DatasetRec = {
      org: orgId,
      id: d.id,
      name: d.name ?? `Dataset ${d.id}`,
      type,
      description: d.description ?? '',
      owner: d.owner ?? userIdFor(orgId),
      createDate: nonNegInt(d.createDate, Math.floor((now - 30 * DAY) / 1000) * 1000, 'createDate'),
      lastAccessed: nonNegInt(d.lastAccessed, Math.floor((now - DAY / 24) / 1000) * 1000, 'lastAccessed'),
      isLocked: d.isLocked ?? false,
      status: nonNegInt(d.status, 0, 'status'),
      assetTotal,
      assetAnnotated,
      annotationTotal,
      tags,
      tagsCount,
      generation: 1,
      ...(d.wireOverrides ? { wireOverrides: d.wireOverrides } : {})
    }
    o.datasets.set(d.id, rec)
    o.deletions.delete(d.id)
    return rec
  }

  addExport (orgId: string, datasetId: string, e: SeedExport, now: number): ExportRec {
    const o = this.org(orgId)
    if (!o.datasets.has(datasetId)) throw new Error(`unknown dataset ${datasetId} in org ${orgId}`)
    const id = e.id ?? this.newId('exp')
    if (!ID_PATTERN.test(id)) throw new Error(`export id ${JSON.stringify(id)} must match ${String(ID_PATTERN)}`)
    if (o.exports.has(id)) throw new Error(`export ${id} already exists in org ${orgId}`)
    const format = e.format ?? 'ViFull'
    if (format !== 'ViFull' && format !== 'ViJsonl') throw new Error(`bad export format ${String(format)}`)
    const splitRatio = e.splitRatio ?? null
    if (splitRatio !== null && !(splitRatio > 0 && splitRatio < 1)) throw new Error(`splitRatio must be in (0,1) or null, got ${splitRatio}`)
    const archiveSize = e.archiveSize ?? this.opts.defaultArchiveSize
    if (!Number.isSafeInteger(archiveSize) || archiveSize < 1) throw new Error(`archiveSize must be a positive integer, got ${archiveSize}`)
    const after = e.readyAfterMs
    let readyAt: number | null = null
    let failAt: number | null = null
    if (e.state === 'ready') readyAt = now
    else if (e.state === 'failed') failAt = now + (after ?? 0)
    else if (e.state === 'pending') readyAt = after === undefined ? null : now + after
    else readyAt = now + (after ?? this.opts.exportReadyAfterMs)
    const rec: ExportRec = {
      org: orgId,
      datasetId,
      id,
      seq: ++this.seq,
      format,
      normalized: e.normalized ?? true,
      splitRatio,
      createdAt: now,
      readyAt,
      failAt,
      archiveSize,
      urlTtlMs: e.urlTtlMs ?? this.opts.urlTtlMs,
      revokedUpTo: 0
    }
    o.exports.set(id, rec)
    return rec
  }

  newId (prefix: string): string {
    return `${prefix}-${randomBytes(8).toString('hex')}`
  }

  exportsOf (orgId: string, datasetId: string): ExportRec[] {
    return [...this.org(orgId).exports.values()].filter((e) => e.datasetId === datasetId).sort((a, b) => b.seq - a.seq)
  }

  exportState (e: ExportRec, now: number): ExportState {
    if (e.failAt !== null) return now >= e.failAt ? 'failed' : 'pending'
    return e.readyAt !== null && now >= e.readyAt ? 'ready' : 'pending'
  }

  archive (e: ExportRec): Archive {
    const ds = this.org(e.org).datasets.get(e.datasetId)
    e.archive ??= new Archive({
      org: e.org,
      exportId: e.id,
      datasetType: ds?.type ?? 'phrase-grounding',
      format: e.format,
      normalized: e.normalized,
      splitRatio: e.splitRatio,
      size: e.archiveSize
    })
    return e.archive
  }

  static archivePath (org: string, exportId: string): string {
    return `/archives/${encodeURIComponent(org)}/${encodeURIComponent(exportId)}.zip`
  }

  private sign (path: string, expires: number): string {
    return createHmac('sha256', this.urlSecret).update(`${path}\n${expires}`).digest('hex')
  }

  verifySignature (path: string, expires: string, sig: string): boolean {
    const want = Buffer.from(this.sign(path, Number(expires)))
    const got = Buffer.from(sig)
    return want.length === got.length && timingSafeEqual(want, got)
  }

  /** The current signed URL, re-signed on the first read after it expired or was revoked. */
  signedUrl (e: ExportRec, now: number): SignedUrl {
    if (!e.url || e.url.expires <= now) {
      const expires = Math.max(now + e.urlTtlMs, e.revokedUpTo + 1)
      const path = SimState.archivePath(e.org, e.id)
      e.url = { url: `${this.storageUrl}${path}?expires=${expires}&sig=${this.sign(path, expires)}`, expires }
    }
    return e.url
  }

  revokeUrl (e: ExportRec): void {
    if (e.url) e.revokedUpTo = Math.max(e.revokedUpTo, e.url.expires)
    delete e.url
  }

  deleteDataset (ds: DatasetRec, user: string, now: number): DeletionRec {
    const o = this.org(ds.org)
    o.datasets.delete(ds.id)
    for (const [id, e] of o.exports) if (e.datasetId === ds.id) o.exports.delete(id)
    for (const [id, s] of o.sessions) if (s.datasetId === ds.id) o.sessions.delete(id)
    const del: DeletionRec = { org: ds.org, datasetId: ds.id, user, startedAt: now, doneAt: now + this.opts.deletionDoneAfterMs }
    o.deletions.set(ds.id, del)
    return del
  }

  /** Removes min(3, assetTotal) assets at once so callers can observe the dataset change. */
  createSession (ds: DatasetRec, spec: BulkSpec, now: number): SessionRec {
    const removed = Math.min(3, ds.assetTotal)
    ds.assetTotal -= removed
    ds.assetAnnotated = Math.min(ds.assetAnnotated, ds.assetTotal)
    ds.annotationTotal = Math.max(0, ds.annotationTotal - removed)
    ds.generation++
    const s: SessionRec = { org: ds.org, datasetId: ds.id, id: this.newId('dmas'), spec, startedAt: now, doneAt: now + this.opts.deletionDoneAfterMs }
    this.org(ds.org).sessions.set(s.id, s)
    return s
  }
}
