// Strict real-HTTP simulation of the Vi datasets API (one server) and its signed-URL
// storage (a second server). Used by tests and the demo; never imported by src/.
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { createApiHandler } from './api.js'
import type { SimContext } from './context.js'
import { FaultTable, pathMatches } from './faults.js'
import { Sleeper } from './http.js'
import { SimState, type ExportRec } from './state.js'
import { createStorageHandler } from './storage.js'
import type { RecordedRequest, SimOptions, SimUpstream } from './types.js'
import { datasetWire } from './wire.js'

export type {
  FaultRule, RecordedRequest, SeedDataset, SeedExport, SimOptions, SimOrg, SimUpstream, SimWrites
} from './types.js'
export { seedDemo } from './demo-data.js'

const DEFAULT_ARCHIVE_SIZE = 64 * 1024

interface Tracked { server: Server; sockets: Set<Socket> }

function track (server: Server): Tracked {
  const sockets = new Set<Socket>()
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  // Malformed requests from a fuzzing client must not take the process down.
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    else socket.destroy()
  })
  server.keepAliveTimeout = 10_000
  server.headersTimeout = 15_000
  return { server, sockets }
}

function listen (server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      server.off('error', reject)
      const addr = server.address()
      if (addr === null || typeof addr === 'string') reject(new Error('unexpected server address'))
      else resolve(addr.port)
    })
  })
}

const hostForUrl = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h)

function closeServer ({ server, sockets }: Tracked): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    for (const s of sockets) s.destroy()
  })
}

export async function startSimUpstream (opts: SimOptions): Promise<SimUpstream> {
  const host = opts.host ?? '127.0.0.1'
  const state = new SimState({
    host,
    storageHost: opts.storageHost ?? '127.0.0.1',
    exportReadyAfterMs: opts.exportReadyAfterMs ?? 1500,
    urlTtlMs: opts.urlTtlMs ?? 15 * 60_000,
    defaultArchiveSize: opts.defaultArchiveSize ?? DEFAULT_ARCHIVE_SIZE,
    deletionDoneAfterMs: opts.deletionDoneAfterMs ?? 1000,
    defaultPageSize: opts.defaultPageSize ?? 10,
    unknownFields: opts.unknownFields ?? false
  }, opts.orgs)
  const requests: RecordedRequest[] = []
  const faults = new FaultTable()
  const sleeper = new Sleeper()
  const ctx: SimContext = {
    state,
    faults,
    sleeper,
    record: (r) => { requests.push(r) },
    now: () => Date.now()
  }
  const api = track(createServer(createApiHandler(ctx)))
  const storage = track(createServer(createStorageHandler(ctx)))
  let apiPort: number
  let storagePort: number
  try {
    apiPort = await listen(api.server, host)
    storagePort = await listen(storage.server, host)
  } catch (err) {
    await Promise.all([closeServer(api), closeServer(storage)])
    throw err
  }
  state.apiUrl = `http://${hostForUrl(host)}:${apiPort}`
  state.storageUrl = `http://${hostForUrl(state.opts.storageHost)}:${storagePort}`

  const exportOf = (orgId: string, exportId: string): ExportRec => {
    const e = state.org(orgId).exports.get(exportId)
    if (!e) throw new Error(`unknown export ${exportId} in org ${orgId}`)
    return e
  }
  let closing: Promise<void> | undefined

  const sim: SimUpstream = {
    url: state.apiUrl,
    storageUrl: state.storageUrl,
    requests,
    clearRequests: () => { requests.length = 0 },
    count: (f) => requests.filter((r) =>
      (f.target === undefined || r.target === f.target) &&
      (f.method === undefined || r.method.toUpperCase() === f.method.toUpperCase()) &&
      pathMatches(f.path, r.path)).length,
    addDataset: (orgId, d) => { state.addDataset(orgId, d, ctx.now()) },
    addExport: (orgId, datasetId, e) => state.addExport(orgId, datasetId, e, ctx.now()).id,
    getDatasetWire: (orgId, datasetId) => {
      const d = state.org(orgId).datasets.get(datasetId)
      return d ? datasetWire(state, d) : undefined
    },
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    openStorageSockets: () => storage.sockets.size,
    expireUrls: (orgId, exportId) => {
      const targets = exportId === undefined ? [...state.org(orgId).exports.values()] : [exportOf(orgId, exportId)]
      for (const e of targets) state.revokeUrl(e)
    },
    archiveSha256: (orgId, exportId) => state.archive(exportOf(orgId, exportId)).sha256(),
    archiveSize: (orgId, exportId) => state.archive(exportOf(orgId, exportId)).size,
    writes: (orgId) => {
      const o = state.org(orgId)
      return {
        exports: [...o.exports.values()].map((e) => ({ id: e.id, datasetId: e.datasetId, createdAt: e.createdAt })),
        sessions: [...o.sessions.values()].map((x) => ({ id: x.id, datasetId: x.datasetId, startedAt: x.startedAt })),
        deletions: [...o.deletions.values()].map((d) => ({ datasetId: d.datasetId, startedAt: d.startedAt }))
      }
    },
    close: () => {
      closing ??= (async () => {
        sleeper.clear()
        faults.clear()
        await Promise.all([closeServer(api), closeServer(storage)])
      })()
      return closing
    }
  }
  return sim
}
