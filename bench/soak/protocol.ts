// Messages between bench/soak.ts and its upstream process (bench/soak/upstream.ts).

/** A sim FaultRule that survives IPC: `path` is a string ("/x/*" matches a prefix). */
export interface WireFault {
  target?: 'api' | 'storage'
  method?: string
  path?: string
  times?: number
  status?: number
  headers?: Record<string, string>
  delayMs?: number
  perform?: boolean
  drop?: 'before-headers' | 'mid-body' | 'reset'
  afterBytes?: number
}

export type UpstreamRequest =
  | { id: number, op: 'fault', rule: WireFault, durationMs?: number }
  | { id: number, op: 'clear' }
  | { id: number, op: 'login', url: string }
  | { id: number, op: 'summary' }

export interface UpstreamReady {
  ready: true
  orgId: string
  env: Record<string, string>
  archives: Array<{ datasetId: string, exportId: string, size: number, sha256: string }>
  disposable: string[]
}

export interface UpstreamSummary {
  t0: number
  perSecond: Record<string, { api: number, storage: number, apiWrites: number }>
  byRoute: Record<string, number>
  closedByClient: number
  writes: {
    exports: Array<{ id: string, datasetId: string, createdAt: number }>
    sessions: Array<{ id: string, datasetId: string, startedAt: number }>
    deletions: Array<{ datasetId: string, startedAt: number }>
  }
}
