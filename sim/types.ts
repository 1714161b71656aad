// Public types of the simulated Vi upstream. Re-exported unchanged by sim/index.ts.

export interface SimOrg { id: string; secretKey: string }

export interface SimOptions {
  orgs: SimOrg[];
  host?: string;
  storageHost?: string;
  exportReadyAfterMs?: number;
  urlTtlMs?: number;
  defaultArchiveSize?: number;
  deletionDoneAfterMs?: number;
  defaultPageSize?: number;
  /**
   * Adds a field no protocol version defines (`simUnknown`) to every fixed-shape object of every 2xx
   * JSON body (top level, status, metadata, spec, conditions, statistic...; maps such as tags are left
   * alone), as a newer upstream might: a client must ignore it.
   */
  unknownFields?: boolean;
}

export interface RecordedRequest {
  target: 'api' | 'storage';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  at: number;
  /** When the client closed the connection before any answer (a hang or delay it gave up on). */
  closedByClient?: number;
}

export interface FaultRule {
  target?: 'api' | 'storage';
  method?: string;
  path?: string | RegExp;
  times?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Never answer; the request ends only when the client gives up (see RecordedRequest.closedByClient). */
  hang?: boolean;
  /** API only: carry out the operation first, then answer with this fault instead (status, drop). */
  perform?: boolean;
  /** 'reset': close the connection with a TCP RST instead of answering. */
  drop?: 'before-headers' | 'mid-body' | 'reset';
  afterBytes?: number;
  ignoreRange?: boolean;
}

export type DatasetType = 'phrase-grounding' | 'vqa'

export interface SeedDataset {
  id: string;
  name?: string;
  type?: DatasetType;
  description?: string;
  owner?: string;
  assetTotal?: number;
  assetAnnotated?: number;
  annotationTotal?: number;
  /** tag name -> tag index (wire `tags`); `statistic.tagsCount` is derived unless given. */
  tags?: Record<string, number>;
  tagsCount?: Record<string, number>;
  createDate?: number;
  lastAccessed?: number;
  isLocked?: boolean;
  status?: number;
  /** Shallow-merged over the generated wire JSON, e.g. to feed a client malformed fields. */
  wireOverrides?: Record<string, unknown>;
}

export interface SeedExport {
  id?: string;
  format?: 'ViFull' | 'ViJsonl';
  normalized?: boolean;
  splitRatio?: number | null;
  /**
   * Absent: becomes ready after `readyAfterMs` (default: the sim's exportReadyAfterMs).
   * 'ready': ready now. 'pending': pending forever unless `readyAfterMs` is given.
   * 'failed': fails after `readyAfterMs` (default: already failed).
   */
  state?: 'pending' | 'ready' | 'failed';
  readyAfterMs?: number;
  archiveSize?: number;
  urlTtlMs?: number;
}

/** What an organisation's writes left behind (SimUpstream.writes): each created thing once, by id. */
export interface SimWrites {
  exports: Array<{ id: string; datasetId: string; createdAt: number }>;
  sessions: Array<{ id: string; datasetId: string; startedAt: number }>;
  deletions: Array<{ datasetId: string; startedAt: number }>;
}

export interface SimUpstream {
  url: string;
  storageUrl: string;
  requests: RecordedRequest[];
  clearRequests(): void;
  count(filter: { target?: 'api' | 'storage'; method?: string; path?: string | RegExp }): number;
  addDataset(orgId: string, d: SeedDataset): void;
  addExport(orgId: string, datasetId: string, e: SeedExport): string;
  getDatasetWire(orgId: string, datasetId: string): unknown;
  fault(rule: FaultRule): () => void;
  clearFaults(): void;
  openStorageSockets(): number;
  expireUrls(orgId: string, exportId?: string): void;
  archiveSha256(orgId: string, exportId: string): string;
  archiveSize(orgId: string, exportId: string): number;
  /** The exports, bulk asset-deletion sessions and dataset deletions the organisation holds now (seeded ones included). */
  writes(orgId: string): SimWrites;
  close(): Promise<void>;
}
