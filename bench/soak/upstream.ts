// The soak's upstream process: the simulated Vi API and storage (sim/) with demo data and large archives, and the
// local OpenID provider (sim/idp.ts). Driven by bench/soak.ts over IPC, so archive generation and fault handling
// never share an event loop with the load generator (whose latencies are the measurement).
import { startSimUpstream, seedDemo, type FaultRule } from '../../sim/index.js'
import { startIdp, DEMO_ROLES_CLAIM, DEMO_ROLE_SCOPES } from '../../sim/idp.js'
import type { UpstreamReady, UpstreamRequest } from './protocol.js'

const publicUrl = process.env.SOAK_PUBLIC_URL!
const ORG = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f'
const SECRET = 'dtvi_' + 'soak'.repeat(24) + 'so'
const MiB = 1024 * 1024
const CLIENT_ID = 'vi-bff-soak'
const CLIENT_SECRET = 'soak-client-secret-not-for-production-0001'

const sim = await startSimUpstream({ orgs: [{ id: ORG, secretKey: SECRET }], exportReadyAfterMs: Number(process.env.SOAK_EXPORT_READY_MS ?? 8000) })
seedDemo(sim, ORG)
// Downloads: ready exports of several sizes, archives generated on first read and kept (sha256 known up front).
const archiveSizes = (process.env.SOAK_ARCHIVE_MIB ?? '4,16,48').split(',').map(Number)
const archives: Array<{ datasetId: string, exportId: string, size: number, sha256: string }> = []
sim.addDataset(ORG, { id: 'soak-archives', name: 'Soak archives' })
for (const mib of archiveSizes) {
  const exportId = sim.addExport(ORG, 'soak-archives', { id: `soak-archive-${mib}mib`, state: 'ready', archiveSize: Math.round(mib * MiB) })
  archives.push({ datasetId: 'soak-archives', exportId, size: sim.archiveSize(ORG, exportId), sha256: sim.archiveSha256(ORG, exportId) })
}
// Writes: exports and asset deletions go to their own datasets; dataset deletions to disposable ones.
sim.addDataset(ORG, { id: 'soak-writes', name: 'Soak writes', assetTotal: 1_000_000, assetAnnotated: 1_000_000 })
const disposable = Array.from({ length: 20 }, (_, i) => `soak-disposable-${i + 1}`)
for (const id of disposable) sim.addDataset(ORG, { id, name: id })

const idp = await startIdp({
  host: '127.0.0.1',
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${publicUrl}/auth/callback`], postLogoutRedirectUris: [`${publicUrl}/`] }]
})

const t0 = Date.now()
let upstreamErrorsLogged = 0
const removers = new Set<() => void>()

function summary () {
  const perSecond: Record<string, { api: number, storage: number, apiWrites: number }> = {}
  const byRoute: Record<string, number> = {}
  let closedByClient = 0
  for (const r of sim.requests) {
    const s = String(Math.floor((r.at - t0) / 1000))
    const slot = perSecond[s] ??= { api: 0, storage: 0, apiWrites: 0 }
    if (r.target === 'storage') slot.storage++
    else {
      slot.api++
      if (r.method !== 'GET') slot.apiWrites++
      const shape = r.path.replace(/^\/workspaces\/[^/]+\/datasets\/?[^/]*/, '/datasets/:id').replace(/\/(datasetExports|deleteManyAssetsSessions)\/[^/]+$/, '/$1/:id')
      byRoute[`${r.method} ${shape}`] = (byRoute[`${r.method} ${shape}`] ?? 0) + 1
    }
    if (r.closedByClient) closedByClient++
  }
  return { t0, perSecond, byRoute, closedByClient, writes: sim.writes(ORG) }
}

process.on('message', (msg: UpstreamRequest) => {
  const reply = (body: unknown) => process.send!({ id: msg.id, body })
  const fail = (err: unknown) => process.send!({ id: msg.id, error: String((err as Error)?.message ?? err) })
  switch (msg.op) {
    case 'fault': {
      const rule = { ...msg.rule } as FaultRule
      const remove = sim.fault(rule)
      removers.add(remove)
      if (msg.durationMs) setTimeout(() => { remove(); removers.delete(remove) }, msg.durationMs).unref()
      reply(true)
      break
    }
    case 'clear':
      for (const r of removers) r()
      removers.clear()
      sim.clearFaults()
      reply(true)
      break
    case 'login':
      idp.login(msg.url, 'demo', 'demo').then(reply, fail)
      break
    case 'summary':
      reply(summary())
      break
    default:
      if (upstreamErrorsLogged++ < 5) process.stderr.write(`soak upstream: unknown op ${JSON.stringify(msg)}\n`)
  }
})
process.on('disconnect', () => { Promise.allSettled([sim.close(), idp.close()]).then(() => process.exit(0)).catch(() => process.exit(1)) })

const ready: UpstreamReady = {
  ready: true,
  orgId: ORG,
  env: {
    DATATURE_VI_SECRET_KEY: SECRET,
    DATATURE_VI_ORGANIZATION_ID: ORG,
    DATATURE_VI_API_ENDPOINT: sim.url,
    ARCHIVE_HOST_ALLOWLIST: new URL(sim.storageUrl).hostname,
    PUBLIC_URL: publicUrl,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    SESSION_SECRET: 'soak-session-secret-not-for-production-0000000000001',
    ROLES_CLAIM: DEMO_ROLES_CLAIM,
    ROLE_SCOPES: DEMO_ROLE_SCOPES
  },
  archives,
  disposable
}
process.send!(ready)
