// `npm run soak`: three vi-bff replicas (node dist/server.js) behind Debian's nginx on loopback, one redis-server,
// the simulated Vi upstream and OpenID provider in their own process; mixed load through nginx for SOAK_SECONDS while
// the upstream fails in scheduled ways, one replica is sent SIGTERM and restarted, and Redis is restarted. Writes
// bench/soak-results.json (raw series), bench/soak.svg (plot) and bench/soak-summary.md; exits non-zero when a
// write happened twice upstream, a replay answered another id, or a completed download was not byte-exact.
// Not a test: it takes minutes and loads the machine. Settings: see SETTINGS below (environment variables).
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, openSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request, type Dispatcher } from 'undici'
import { freePort, startRedisServer } from '../scripts/redis.js'
import { NGINX_BIN, nginxArgs, writeNginxConf } from './soak/nginx.js'
import { renderSvg, type Mark, type Panel } from './soak/plot.js'
import type { UpstreamReady, UpstreamRequest, UpstreamSummary, WireFault } from './soak/protocol.js'

const num = (name: string, def: number) => {
  const v = process.env[name]
  if (v === undefined || v === '') return def
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number (got ${v})`)
  return n
}
const SETTINGS = {
  seconds: num('SOAK_SECONDS', 330),
  /** Caller requests per second through nginx (JSON reads, polls, writes; archives and SSE are on top). */
  rps: num('SOAK_RPS', 250),
  /** API keys sharing the reads. */
  callers: num('SOAK_CALLERS', 8),
  /** Event streams kept open at once. */
  sse: num('SOAK_SSE', 6),
  /** Archive downloads in flight at once, and each one's read rate (a slow-ish client, bytes per second). */
  archives: num('SOAK_ARCHIVES', 2),
  archiveBps: num('SOAK_ARCHIVE_MBPS', 8) * 1024 * 1024,
  /** Export creations per second (Idempotency-Key), asset-deletion sessions per second, sign-ins per second. */
  writeRps: num('SOAK_WRITE_RPS', 1),
  bulkRps: num('SOAK_BULK_RPS', 0.1),
  signInRps: num('SOAK_SIGNIN_RPS', 0.3),
  scrapeMs: num('SOAK_SCRAPE_MS', 3000),
  /** Most caller requests in flight; beyond it the scheduler skips (and counts) instead of piling up. */
  maxInFlight: num('SOAK_MAX_IN_FLIGHT', 400),
  /**
   * Redis restart: "save" (SHUTDOWN SAVE, then the same data back, as a restarted Redis with persistence) or
   * "crash" (SIGKILL: its data is lost, as a Redis without persistence).
   */
  redisRestart: process.env.SOAK_REDIS_RESTART === 'crash' ? 'crash' as const : 'save' as const
}
const ROOT = resolve(import.meta.dirname, '..')
const OUT = { json: join(ROOT, 'bench/soak-results.json'), svg: join(ROOT, 'bench/soak.svg'), md: join(ROOT, 'bench/soak-summary.md') }
const METRICS_TOKEN = 'soak-metrics-token-0123456789'
const REPLICAS = 3

// ---------------------------------------------------------------------------------------------------------
// Processes: every child is tracked and ended on exit, Ctrl-C, SIGTERM and failure.

const children = new Set<ChildProcess>()
function track<T extends ChildProcess> (c: T): T {
  children.add(c)
  c.once('exit', () => children.delete(c))
  return c
}
let nginxProc: ChildProcess | undefined
function killAll () {
  // nginx's master ends its workers on SIGTERM; every other child is ended outright.
  for (const c of children) {
    try { c.kill(c === nginxProc ? 'SIGTERM' : 'SIGKILL') } catch {}
  }
}
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    process.stderr.write(`\nsoak: ${sig}, stopping every process${workDir ? ` (logs in ${workDir})` : ''}\n`)
    killAll()
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1))
  })
}

const t0 = performance.now()
const wallT0 = Date.now()
const now = () => (performance.now() - t0) / 1000
/** Seconds since the load started (negative before): every series and event is on this clock. */
let loadT0 = Infinity
const rel = () => now() - loadT0
const log = (msg: string) => process.stdout.write(`[${now().toFixed(1).padStart(6)} s] ${msg}\n`)

// ---------------------------------------------------------------------------------------------------------
// The upstream process (sim + IdP) and its IPC.

let upstream: ChildProcess
let nextId = 1
const pending = new Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>()
type Distribute<U> = U extends unknown ? Omit<U, 'id'> : never
function ask<T> (msg: Distribute<UpstreamRequest>): Promise<T> {
  const id = nextId++
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    upstream.send({ ...msg, id })
  })
}
async function startUpstream (publicUrl: string): Promise<UpstreamReady> {
  upstream = track(fork(join(ROOT, 'bench/soak/upstream.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SOAK_PUBLIC_URL: publicUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  }))
  return new Promise((resolve, reject) => {
    upstream.once('exit', code => reject(new Error(`the upstream process exited (${code})`)))
    upstream.on('message', (m: any) => {
      if (m.ready) { resolve(m as UpstreamReady); return }
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      if (m.error) p.reject(new Error(m.error))
      else p.resolve(m.body)
    })
  })
}
const fault = (rule: WireFault, durationMs?: number) => ask<boolean>(durationMs === undefined ? { op: 'fault', rule } : { op: 'fault', rule, durationMs })

// ---------------------------------------------------------------------------------------------------------
// Replicas, Redis, nginx.

interface Replica { index: number, port: number, proc?: ChildProcess, incarnation: number, log: string }
const replicas: Replica[] = []
let replicaEnv: Record<string, string> = {}
let redisPort = 0
let redisProc: ChildProcess | undefined
let workDir = ''

async function waitHttp (url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const ok = await request(url).then(r => r.body.dump().then(() => r.statusCode === 200), () => false)
    if (ok) return
    await sleep(100)
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
}

async function startReplica (r: Replica): Promise<void> {
  r.incarnation++
  const out = openSync(r.log, 'a')
  r.proc = track(spawn(process.execPath, ['dist/server.js'], {
    cwd: ROOT,
    env: { ...replicaEnv, PORT: String(r.port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out]
  }))
  await waitHttp(`http://127.0.0.1:${r.port}/healthz`, 30_000)
}

/** redis-server in the work directory, so SHUTDOWN SAVE's dump.rdb lands there and the next start loads it. */
async function startRedis (): Promise<void> {
  const cwd = process.cwd()
  process.chdir(workDir)
  try {
    redisProc = track(await startRedisServer(redisPort))
  } finally {
    process.chdir(cwd)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Measurements.

interface SecondStats { requests: number, ok: number, errors: number, skipped: number, byKind: Record<string, number> }
const seconds: SecondStats[] = []
const sec = (t = rel()) => (seconds[Math.max(0, Math.floor(t))] ??= { requests: 0, ok: 0, errors: 0, skipped: 0, byKind: {} })
const latencies: number[][] = [] // per 10 s bucket, ms, JSON requests
const latencyAt: Array<[number, number]> = [] // (t, ms) of each JSON request
const causes = new Map<string, number>() // "kind status code" -> count, for every non-2xx/3xx answer and transport error
const causesBySecond: Array<Record<string, number>> = []
const events: Array<{ t: number, what: string }> = []
const mark = (what: string) => { events.push({ t: rel(), what }); log(`EVENT ${what}`) }
let inFlight = 0

interface Outcome { status: number, code?: string, transport?: string, ms: number, body?: any, headers: Record<string, string | string[] | undefined> }

/** Statuses each kind of request expects as a normal answer (not an error). */
const EXPECTED: Record<string, number[]> = {
  read: [200, 304],
  poll: [200, 304],
  create: [202],
  replay: [202],
  bulk: [202],
  delete: [202, 404],
  deletedCheck: [404],
  signin: [200, 302],
  sse: [200],
  archive: [200, 206]
}

function record (kind: string, o: Outcome, json = true) {
  if (rel() < 0) return // discovery before the load
  const s = sec()
  s.requests++
  s.byKind[kind] = (s.byKind[kind] ?? 0) + 1
  const expected = EXPECTED[kind] ?? [200]
  const ok = !o.transport && expected.includes(o.status)
  if (ok) s.ok++
  else {
    s.errors++
    const cause = o.transport ? `${kind} transport ${o.transport}` : `${kind} ${o.status}${o.code ? ' ' + o.code : ''}`
    causes.set(cause, (causes.get(cause) ?? 0) + 1)
    const c = causesBySecond[Math.floor(rel())] ??= {}
    c[cause] = (c[cause] ?? 0) + 1
  }
  if (json) {
    ;(latencies[Math.floor(rel() / 10)] ??= []).push(o.ms)
    latencyAt.push([rel(), o.ms])
  }
}

/** A stream (SSE, archive body) that ended with an error after its 200: an error its caller saw. */
function streamCut (cause: string) {
  if (rel() < 0) return
  sec().errors++
  causes.set(cause, (causes.get(cause) ?? 0) + 1)
  const c = causesBySecond[Math.floor(rel())] ??= {}
  c[cause] = (c[cause] ?? 0) + 1
}

let dispatcher: Dispatcher
let base = ''

async function call (method: Dispatcher.HttpMethod, path: string, headers: Record<string, string>, body?: string): Promise<Outcome> {
  const start = performance.now()
  inFlight++
  try {
    const res = await request(base + path, { method, headers, body, dispatcher, headersTimeout: 90_000, bodyTimeout: 90_000 })
    const text = await res.body.text()
    let parsed: any
    try { parsed = text ? JSON.parse(text) : undefined } catch { parsed = undefined }
    return { status: res.statusCode, code: res.statusCode >= 400 ? parsed?.code : undefined, ms: performance.now() - start, body: parsed, headers: res.headers }
  } catch (err) {
    return { status: 0, transport: (err as { code?: string }).code ?? (err as Error).name, ms: performance.now() - start, headers: {} }
  } finally {
    inFlight--
  }
}

// ---------------------------------------------------------------------------------------------------------
// The load.

let keys: string[] = []
const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)]!
const auth = (key: string) => ({ authorization: `Bearer ${key}`, accept: 'application/json' })
let readPaths: string[] = []
const createdExports: Array<{ id: string, at: number }> = []

// Idempotent writes: every attempt of every key, and what the caller was told in the end.
interface KeyRecord { kind: 'create' | 'bulk', key: string, attempts: Array<{ t: number, status: number, code?: string, transport?: string, id?: string, replayed?: boolean }>, ids: Set<string>, final: 'acked' | 'failed' }
const writeKeys: KeyRecord[] = []
let redisRestartAt: number | undefined
let redisBackAt: number | undefined

const CREATE_BODY = JSON.stringify({ format: 'VI_JSONL', options: { splitRatio: 0.8 } })
const BULK_BODY = JSON.stringify({ filter: '{"status":"error"}', strictQuery: true })

async function idempotentWrite (kind: 'create' | 'bulk') {
  const rec: KeyRecord = { kind, key: randomUUID(), attempts: [], ids: new Set(), final: 'failed' }
  writeKeys.push(rec)
  const path = kind === 'create' ? '/v1/datasets/soak-writes/exports' : '/v1/datasets/soak-writes/asset-deletions'
  const headers = { ...auth(keys[0]!), 'content-type': 'application/json', 'idempotency-key': rec.key }
  // A careful client: retries a failed attempt with the same key (backoff 1, 2, 4, 8 s), then gives up visibly.
  for (let attempt = 0; attempt < 5 && !load.stopping; attempt++) {
    if (attempt > 0) await sleep(1000 * 2 ** (attempt - 1))
    const o = await call('POST', path, headers, kind === 'create' ? CREATE_BODY : BULK_BODY)
    record(kind, o)
    const id: string | undefined = kind === 'create' ? o.body?.datasetExportId : o.body?.deleteManyAssetsSessionId
    rec.attempts.push({ t: rel(), status: o.status, code: o.code, transport: o.transport, id: o.status === 202 ? id : undefined, replayed: o.headers['idempotent-replayed'] === 'true' })
    if (o.status === 202 && id) {
      rec.ids.add(id)
      rec.final = 'acked'
      if (kind === 'create') createdExports.push({ id, at: rel() })
      // Some callers send the same request again (a double click, a retry after a lost answer): same answer expected.
      if (Math.random() < 0.25) {
        await sleep(500 + Math.random() * 2500)
        const again = await call('POST', path, headers, kind === 'create' ? CREATE_BODY : BULK_BODY)
        record('replay', again)
        const againId: string | undefined = kind === 'create' ? again.body?.datasetExportId : again.body?.deleteManyAssetsSessionId
        rec.attempts.push({ t: rel(), status: again.status, code: again.code, transport: again.transport, id: again.status === 202 ? againId : undefined, replayed: again.headers['idempotent-replayed'] === 'true' })
        if (again.status === 202 && againId) rec.ids.add(againId)
      }
      return
    }
    // A 4xx other than "in flight" / rate limit will not change on retry.
    if (o.status >= 400 && o.status < 500 && o.status !== 409 && o.status !== 429) return
  }
}

// Dataset deletions: acknowledged ones must stay deleted (never served again from a cache).
const deletions: Array<{ datasetId: string, attempts: Array<{ t: number, status: number, code?: string, transport?: string }>, ackedAt?: number, servedAfterAck: number, checks: number }> = []
async function deleteDataset (datasetId: string) {
  const d: typeof deletions[number] = { datasetId, attempts: [], servedAfterAck: 0, checks: 0 }
  deletions.push(d)
  for (let attempt = 0; attempt < 4 && !load.stopping; attempt++) {
    if (attempt > 0) await sleep(1000 * 2 ** (attempt - 1))
    const o = await call('DELETE', `/v1/datasets/${datasetId}`, auth(keys[0]!))
    record('delete', o)
    d.attempts.push({ t: rel(), status: o.status, code: o.code, transport: o.transport })
    if (o.status === 202 || (o.status === 404 && attempt > 0)) { d.ackedAt = rel(); return }
    if (o.status >= 400 && o.status < 500 && o.status !== 429) return
  }
}
async function checkDeleted () {
  for (const d of deletions) {
    if (d.ackedAt === undefined) continue
    const o = await call('GET', `/v1/datasets/${d.datasetId}`, auth(pick(keys)))
    record('deletedCheck', o)
    d.checks++
    if (o.status === 200) d.servedAfterAck++
  }
}

// SSE: streams on exports the load created, each read to its end (ready) or reopened if cut.
const sse = { opened: 0, ready: 0, problem: 0, cut: 0, events: 0, failedOpen: 0, timeToReadyMs: [] as number[] }
async function sseWorker () {
  while (!load.stopping) {
    const target = createdExports.length > 0 ? createdExports[createdExports.length - 1 - Math.floor(Math.random() * Math.min(10, createdExports.length))]! : undefined
    if (!target) { await sleep(500); continue }
    const start = performance.now()
    inFlight++
    try {
      const res = await request(`${base}/v1/datasets/soak-writes/exports/${target.id}/events`, { headers: { ...auth(pick(keys)), accept: 'text/event-stream' }, dispatcher, bodyTimeout: 60_000 })
      if (res.statusCode !== 200) {
        const text = await res.body.text()
        let code: string | undefined
        try { code = JSON.parse(text).code } catch {}
        record('sse', { status: res.statusCode, code, ms: performance.now() - start, headers: {} }, false)
        sse.failedOpen++
        await sleep(500)
        continue
      }
      record('sse', { status: 200, ms: performance.now() - start, headers: {} }, false)
      sse.opened++
      let buf = ''
      let last = ''
      for await (const chunk of res.body) {
        buf += String(chunk)
        let i
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i)
          buf = buf.slice(i + 2)
          const ev = /^event: (\w+)/m.exec(frame)?.[1]
          if (ev) { sse.events++; last = ev }
        }
        if (load.stopping) break
      }
      if (last === 'ready' || last === 'failed') { sse.ready++; sse.timeToReadyMs.push(performance.now() - start) } else if (last === 'problem') sse.problem++
      else if (!load.stopping) sse.cut++
    } catch (err) {
      if (!load.stopping) {
        sse.cut++
        streamCut(`sse cut ${(err as { code?: string }).code ?? (err as Error).name}`)
      }
    } finally {
      inFlight--
    }
  }
}

// Archive downloads: hashed as they arrive at a bounded rate; some are stopped on purpose and resumed with Range,
// any cut by a fault is resumed the same way. A completed download must match the sim's sha256 and size.
interface ArchiveRun { exportId: string, size: number, ok: boolean, bytes: number, resumes: number, restarts: number, statuses: number[], error?: string, ms: number }
const archiveRuns: ArchiveRun[] = []
async function archiveWorker (archives: UpstreamReady['archives']) {
  while (!load.stopping) {
    const a = pick(archives)
    const run: ArchiveRun = { exportId: a.exportId, size: a.size, ok: false, bytes: 0, resumes: 0, restarts: 0, statuses: [], ms: 0 }
    const start = performance.now()
    let hash = createHash('sha256')
    let have = 0
    let etag: string | undefined
    const stopAt = Math.random() < 0.3 ? Math.floor(a.size * (0.2 + Math.random() * 0.6)) : undefined
    let stoppedOnce = false
    for (let attempt = 0; attempt < 8 && !load.stopping; attempt++) {
      const headers: Record<string, string> = { authorization: `Bearer ${keys[1]}` }
      if (have > 0 && etag) { headers.range = `bytes=${have}-`; headers['if-range'] = etag }
      const t = performance.now()
      inFlight++
      let status = 0
      try {
        const res = await request(`${base}/v1/datasets/${a.datasetId}/exports/${a.exportId}/archive`, { headers, dispatcher, bodyTimeout: 90_000 })
        status = res.statusCode
        run.statuses.push(status)
        if (status === 200 && have > 0) { hash = createHash('sha256'); have = 0; run.restarts++ }
        if (status === 206 && !String(res.headers['content-range']).startsWith(`bytes ${have}-`)) throw new Error(`Content-Range ${String(res.headers['content-range'])} for a resume at ${have}`)
        if (status !== 200 && status !== 206) {
          const text = await res.body.text()
          let code: string | undefined
          try { code = JSON.parse(text).code } catch {}
          record('archive', { status, code, ms: performance.now() - t, headers: {} }, false)
          await sleep(1000)
          continue
        }
        record('archive', { status, ms: performance.now() - t, headers: {} }, false)
        etag = res.headers.etag as string | undefined
        const began = performance.now()
        const startHave = have
        let cutHere = false
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          let c = chunk
          if (stopAt !== undefined && !stoppedOnce && have + c.length >= stopAt) { c = c.subarray(0, stopAt - have); cutHere = true }
          hash.update(c)
          have += c.length
          if (cutHere) break
          // Read no faster than archiveBps: a client on a real network.
          const ahead = ((have - startHave) / SETTINGS.archiveBps) * 1000 - (performance.now() - began)
          if (ahead > 20) await sleep(ahead)
          if (load.stopping) break
        }
        if (cutHere) {
          stoppedOnce = true
          res.body.destroy()
          run.resumes++
          continue
        }
        if (have === a.size) break
        if (!load.stopping) run.resumes++
      } catch (err) {
        if (status === 0) record('archive', { status: 0, transport: (err as { code?: string }).code ?? (err as Error).name, ms: performance.now() - t, headers: {} }, false)
        else {
          streamCut(`archive body cut ${(err as { code?: string }).code ?? (err as Error).message.slice(0, 40)}`)
        }
        run.resumes++
        await sleep(500)
      } finally {
        inFlight--
      }
    }
    run.ms = performance.now() - start
    run.bytes = have
    if (have === a.size) {
      const digest = hash.digest('hex')
      run.ok = digest === a.sha256
      if (!run.ok) run.error = `sha256 ${digest} != ${a.sha256}`
    } else if (!load.stopping) run.error = `incomplete: ${have} of ${a.size} bytes`
    if (!load.stopping || run.ok || run.error) archiveRuns.push(run)
  }
}

// Sign-ins: the browser flow over HTTP (login redirect, the provider's form via the upstream process, callback),
// then /auth/me and a cached read with the session cookie.
const signIns = { ok: 0, failed: 0, causes: {} as Record<string, number> }
function cookiesOf (headers: Record<string, string | string[] | undefined>): string[] {
  const raw = headers['set-cookie']
  return (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map(c => c.split(';')[0]!)
}
async function signIn () {
  const fail = (why: string) => { signIns.failed++; signIns.causes[why] = (signIns.causes[why] ?? 0) + 1 }
  const login = await call('GET', '/auth/login', {})
  record('signin', login)
  if (login.status !== 302) return fail(`login ${login.status || login.transport} ${login.code ?? ''}`.trim())
  const loginCookies = cookiesOf(login.headers)
  let back: URL
  try {
    back = new URL(await ask<string>({ op: 'login', url: String(login.headers.location) }))
  } catch (err) {
    return fail(`provider ${(err as Error).message.slice(0, 60)}`)
  }
  const callback = await call('GET', back.pathname + back.search, { cookie: loginCookies.join('; ') })
  record('signin', callback)
  const session = cookiesOf(callback.headers).find(c => c.includes('vibff_session='))
  if (callback.status !== 302 || !session) return fail(`callback ${callback.status || callback.transport} ${callback.code ?? ''}`.trim())
  const me = await call('GET', '/auth/me', { cookie: session, accept: 'application/json' })
  record('signin', me)
  if (me.status !== 200) return fail(`me ${me.status || me.transport} ${me.code ?? ''}`.trim())
  const read = await call('GET', '/v1/datasets', { cookie: session, accept: 'application/json' })
  record('read', read)
  signIns.ok++
}

// The scheduler: JSON requests at SETTINGS.rps (reads, polls), writes and sign-ins at their own rates.
const load = { stopping: false }
const background = new Set<Promise<unknown>>()
const spawnTask = (p: Promise<unknown>) => { background.add(p); p.finally(() => background.delete(p)).catch(() => {}) }
async function scheduler (durationS: number) {
  const startT = now()
  const acc = { read: 0, poll: 0, create: 0, bulk: 0, signin: 0, deletedCheck: 0 }
  const rates = { read: SETTINGS.rps * 0.88, poll: SETTINGS.rps * 0.12, create: SETTINGS.writeRps, bulk: SETTINGS.bulkRps, signin: SETTINGS.signInRps, deletedCheck: 0.5 }
  let last = now()
  while (now() - startT < durationS) {
    await sleep(10)
    const t = now()
    const dt = t - last
    last = t
    for (const k of Object.keys(acc) as Array<keyof typeof acc>) acc[k] += rates[k] * dt
    while (acc.read >= 1) {
      acc.read--
      if (inFlight >= SETTINGS.maxInFlight) { sec().skipped++; continue }
      const key = pick(keys)
      // Some reads of datasets that will be deleted, so their entries are cached when the deletion comes.
      const path = Math.random() < 0.05 && disposable.length > 0 ? `/v1/datasets/${pick(disposable)}` : pick(readPaths)
      spawnTask(call('GET', path, auth(key)).then(o => record('read', o)))
    }
    while (acc.poll >= 1) {
      acc.poll--
      const recent = createdExports.slice(-20)
      if (recent.length === 0) continue
      if (inFlight >= SETTINGS.maxInFlight) { sec().skipped++; continue }
      spawnTask(call('GET', `/v1/datasets/soak-writes/exports/${pick(recent).id}`, auth(pick(keys))).then(o => record('poll', o)))
    }
    while (acc.create >= 1) { acc.create--; spawnTask(idempotentWrite('create')) }
    while (acc.bulk >= 1) { acc.bulk--; spawnTask(idempotentWrite('bulk')) }
    while (acc.signin >= 1) { acc.signin--; spawnTask(signIn()) }
    while (acc.deletedCheck >= 1) { acc.deletedCheck--; spawnTask(checkDeleted()) }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Metrics scraping: each replica's /metrics directly, tolerant of any metric set.

interface Scrape { t: number, replica: number, incarnation: number, rss?: number, heap?: number, elP99?: number, elMean?: number, up: boolean }
const scrapes: Scrape[] = []
const lastMetrics = new Map<string, Record<string, number>>() // "r2#1" -> metric name -> summed value
function parseProm (text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line)
    if (!m) continue
    const v = Number(m[3])
    if (!Number.isFinite(v)) continue
    // Sum over label sets, except histogram buckets (kept out: the summary reads _sum and _count).
    if (m[1]!.endsWith('_bucket')) continue
    out[m[1]!] = (out[m[1]!] ?? 0) + v
  }
  return out
}
async function scrapeAll () {
  await Promise.all(replicas.map(async r => {
    const t = rel()
    try {
      const res = await request(`http://127.0.0.1:${r.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` }, headersTimeout: 2000, bodyTimeout: 2000 })
      const text = await res.body.text()
      if (res.statusCode !== 200) throw new Error(String(res.statusCode))
      const m = parseProm(text)
      lastMetrics.set(`r${r.index + 1}#${r.incarnation}`, m)
      scrapes.push({ t, replica: r.index, incarnation: r.incarnation, rss: m.process_resident_memory_bytes, heap: m.nodejs_heap_size_used_bytes, elP99: m.nodejs_eventloop_lag_p99_seconds, elMean: m.nodejs_eventloop_lag_mean_seconds, up: true })
    } catch {
      scrapes.push({ t, replica: r.index, incarnation: r.incarnation, up: false })
    }
  }))
}

// ---------------------------------------------------------------------------------------------------------
// Faults, SIGTERM, Redis restart.

async function sigtermReplica (r: Replica) {
  const proc = r.proc!
  const sent = now()
  const exited = new Promise<number | null>(resolve => proc.once('exit', code => resolve(code)))
  proc.kill('SIGTERM')
  const code = await Promise.race([exited, sleep(25_000).then(() => 'timeout' as const)])
  if (code === 'timeout') { proc.kill('SIGKILL'); await exited }
  log(`replica ${r.index + 1} exited with ${String(code)} after ${(now() - sent).toFixed(1)} s`)
  await sleep(2000)
  await startReplica(r)
  mark(`replica ${r.index + 1} back`)
}

async function restartRedis () {
  redisRestartAt = rel()
  const proc = redisProc!
  const exited = new Promise(resolve => proc.once('exit', resolve))
  if (SETTINGS.redisRestart === 'save') spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown', 'save'])
  else proc.kill('SIGKILL')
  await exited
  // A dataset deleted while Redis is down: the deletion's cache invalidation cannot be written.
  const victim = disposable.shift()
  if (victim) spawnTask(deleteDataset(victim))
  await sleep(4000)
  await startRedis()
  redisBackAt = rel()
  mark('Redis back')
}

let disposable: string[] = []

function schedule (durationS: number): Array<{ at: number, name: string, run: () => Promise<unknown> }> {
  const at = (f: number) => f * durationS
  const window = (s: number) => Math.round(Math.min(s, Math.max(3, durationS * 0.03)) * 1000)
  return [
    { at: at(0.1), name: `API 5xx burst (503 for ${window(6) / 1000} s)`, run: () => fault({ target: 'api', status: 503 }, window(6)) },
    { at: at(0.17), name: `API 429 (Retry-After: 1, ${window(6) / 1000} s)`, run: () => fault({ target: 'api', status: 429, headers: { 'retry-after': '1' } }, window(6)) },
    { at: at(0.22), name: 'delete a dataset', run: () => deleteDataset(disposable.shift()!) },
    { at: at(0.26), name: `slow API (+1.5 s per call, ${window(10) / 1000} s)`, run: () => fault({ target: 'api', delayMs: 1500 }, window(10)) },
    {
      at: at(0.34),
      name: 'dropped connections (40 API resets, 4 storage cuts mid-body)',
      run: async () => {
        await fault({ target: 'api', drop: 'reset', times: 40 })
        await fault({ target: 'storage', drop: 'mid-body', afterBytes: 1024 * 1024, times: 4 })
      }
    },
    { at: at(0.45), name: 'SIGTERM replica 2, restart', run: () => sigtermReplica(replicas[1]!) },
    { at: at(0.55), name: 'delete a dataset', run: () => deleteDataset(disposable.shift()!) },
    { at: at(0.62), name: `Redis restart (${SETTINGS.redisRestart === 'save' ? 'SHUTDOWN SAVE: data kept' : 'SIGKILL: data lost'})`, run: () => restartRedis() },
    {
      at: at(0.74),
      name: 'lost write answers (POST carried out, then 502 x3 and reset x3)',
      run: async () => {
        await fault({ target: 'api', method: 'POST', perform: true, status: 502, times: 3 })
        await fault({ target: 'api', method: 'POST', perform: true, drop: 'reset', times: 3 })
      }
    },
    { at: at(0.85), name: `API 5xx burst (500 for ${window(6) / 1000} s)`, run: () => fault({ target: 'api', status: 500 }, window(6)) },
    { at: at(0.9), name: 'delete a dataset', run: () => deleteDataset(disposable.shift()!) }
  ]
}

// ---------------------------------------------------------------------------------------------------------

const pct = (a: number[], p: number) => {
  if (a.length === 0) return null
  const s = [...a].sort((x, y) => x - y)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function main () {
  const dur = SETTINGS.seconds
  if (!existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} not found: apt-get install -y nginx (or set NGINX_BIN)`)
  log(`building (npm run build); soak of ${dur} s at ${SETTINGS.rps} req/s`)
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('npm run build failed')

  workDir = mkdtempSync(join(tmpdir(), 'vi-bff-soak-'))
  const nginxPort = await freePort()
  base = `http://127.0.0.1:${nginxPort}`
  const up = await startUpstream(base)
  disposable = [...up.disposable]
  log(`upstream ready (sim ${up.env.DATATURE_VI_API_ENDPOINT}, IdP ${up.env.OIDC_ISSUER})`)

  redisPort = await freePort()
  await startRedis()
  log(`redis-server on ${redisPort}`)

  keys = Array.from({ length: Math.max(2, SETTINGS.callers) }, (_, i) => `soak-key-${i + 1}-${randomUUID()}`)
  const passthrough: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith('SOAK_ENV_') && v !== undefined) passthrough[k.slice(9)] = v
  replicaEnv = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    MALLOC_TRIM_THRESHOLD_: '67108864',
    ...up.env,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    API_KEYS: keys.map((k, i) => `caller${i + 1}:${k}`).join(','),
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'warn',
    METRICS_TOKEN,
    // Above the load: the soak measures faults, not fair use.
    RATE_LIMIT_READS: '1000000',
    RATE_LIMIT_WRITES: '1000000',
    ARCHIVE_MAX_PER_CALLER: '64',
    EVENTS_MAX_PER_CALLER: '256',
    SHUTDOWN_GRACE_MS: '10000',
    ...passthrough
  }
  for (let i = 0; i < REPLICAS; i++) replicas.push({ index: i, port: await freePort(), incarnation: 0, log: join(workDir, `replica-${i + 1}.log`) })
  await Promise.all(replicas.map(r => startReplica(r)))
  log(`replicas on ${replicas.map(r => r.port).join(', ')} (logs in ${workDir})`)

  const conf = writeNginxConf(join(workDir, 'nginx'), nginxPort, replicas.map(r => r.port))
  const test = spawnSync(NGINX_BIN, nginxArgs(conf, join(workDir, 'nginx'), true), { encoding: 'utf8' })
  if (test.status !== 0) throw new Error(`nginx -t failed: ${test.stderr}`)
  nginxProc = track(spawn(NGINX_BIN, nginxArgs(conf, join(workDir, 'nginx')), { stdio: ['ignore', 'ignore', 'inherit'] }))
  await waitHttp(`${base}/nginx-health`, 10_000)
  log(`nginx on ${nginxPort}`)

  dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000, pipelining: 1 })
  // What there is to read: every dataset, every dataset's exports, each seeded export.
  const list = await call('GET', '/v1/datasets?pageSize=100', auth(keys[0]!))
  if (list.status !== 200) throw new Error(`GET /v1/datasets answered ${list.status}`)
  const ids: string[] = (list.body.items ?? list.body.datasets ?? []).map((d: any) => d.datasetId ?? d.id).filter((id: string) => !id.startsWith('soak-disposable'))
  readPaths = ['/v1/datasets', '/v1/datasets?pageSize=5']
  for (const id of ids) {
    readPaths.push(`/v1/datasets/${id}`, `/v1/datasets/${id}/exports`)
    const ex = await call('GET', `/v1/datasets/${id}/exports`, auth(keys[0]!))
    for (const e of ex.body?.items ?? ex.body?.exports ?? []) readPaths.push(`/v1/datasets/${id}/exports/${e.datasetExportId}`)
  }
  log(`${readPaths.length} read paths over ${ids.length} datasets; ${keys.length} callers`)

  // Load, scraping and the fault schedule all run on the same clock.
  loadT0 = now()
  const scraper = setInterval(() => { scrapeAll().catch(() => {}) }, SETTINGS.scrapeMs)
  scrapeAll().catch(() => {})
  const workers: Array<Promise<void>> = []
  for (let i = 0; i < SETTINGS.sse; i++) workers.push(sseWorker())
  for (let i = 0; i < SETTINGS.archives; i++) workers.push(archiveWorker(up.archives))
  const timeline = schedule(dur).map(async s => {
    await sleep(s.at * 1000)
    if (load.stopping) return
    mark(s.name)
    await s.run().catch(err => log(`fault step "${s.name}" failed: ${(err as Error).message}`))
  })
  const progress = setInterval(() => {
    const last = seconds.slice(-10).filter(Boolean)
    const rps = last.reduce((a, s) => a + s.requests, 0) / Math.max(1, last.length)
    const err = last.reduce((a, s) => a + s.errors, 0) / Math.max(1, last.length)
    log(`${rps.toFixed(0)} req/s, ${err.toFixed(1)} errors/s, in flight ${inFlight}, downloads ${archiveRuns.length}, writes ${writeKeys.length}`)
  }, 15_000)
  await scheduler(dur)
  load.stopping = true
  clearInterval(progress)
  log('load done; waiting for requests in flight and the schedule')
  await Promise.race([Promise.allSettled([...timeline, ...background]), sleep(60_000)])
  await Promise.race([Promise.allSettled(workers), sleep(10_000)])
  clearInterval(scraper)
  await scrapeAll()
  const loadEnd = Math.min(rel(), SETTINGS.seconds)
  await ask<boolean>({ op: 'clear' })
  const summary = await ask<UpstreamSummary>({ op: 'summary' })

  const result = analyse(summary, up, loadEnd)
  writeFileSync(OUT.json, JSON.stringify(result.raw, null, 1))
  writeFileSync(OUT.svg, result.svg)
  writeFileSync(OUT.md, result.md)
  process.stdout.write('\n' + result.md + '\n')
  log(`wrote ${OUT.json}, ${OUT.svg}, ${OUT.md}`)
  await shutdown()
  if (!process.env.SOAK_KEEP_TMP) rmSync(workDir, { recursive: true, force: true })
  else log(`kept ${workDir}`)
  process.exit(result.lossFailed ? 1 : 0)
}

async function shutdown () {
  await (dispatcher as Agent | undefined)?.destroy().catch(() => {})
  const waits = [...children].map(c => new Promise(resolve => { if (c.exitCode !== null || c.signalCode !== null) resolve(null); else c.once('exit', resolve) }))
  for (const r of replicas) r.proc?.kill('SIGTERM')
  nginxProc?.kill('SIGTERM')
  redisProc?.kill('SIGTERM')
  upstream?.disconnect()
  await Promise.race([Promise.all(waits), sleep(15_000)])
  killAll()
}

// ---------------------------------------------------------------------------------------------------------
// Analysis: loss checks, series, plot and summary.

function analyse (summary: UpstreamSummary, up: UpstreamReady, loadEnd: number) {
  const dur = Math.ceil(loadEnd)
  const offset = (summary.t0 - wallT0) / 1000 - loadT0 // the upstream's second 0 on the load's clock

  // Writes: every sim-side export/session on the write dataset is accounted for by exactly one key.
  const checks: Array<{ name: string, ok: boolean, detail: string }> = []
  const findings: string[] = []
  for (const kind of ['create', 'bulk'] as const) {
    const recs = writeKeys.filter(k => k.kind === kind)
    const simIds = new Set((kind === 'create' ? summary.writes.exports : summary.writes.sessions).filter(x => x.datasetId === 'soak-writes').map(x => x.id))
    const acked = recs.filter(r => r.final === 'acked')
    const failed = recs.filter(r => r.final === 'failed')
    const multi = acked.filter(r => r.ids.size > 1)
    // A replay after Redis lost its data is a new request to vi-bff: its record is gone.
    const explained = multi.filter(r => SETTINGS.redisRestart === 'crash' && redisRestartAt !== undefined &&
      r.attempts.some(a => a.id && a.t < redisRestartAt!) && r.attempts.some(a => a.id && a.t >= redisRestartAt!))
    const ackedIds = new Set(acked.flatMap(r => [...r.ids]))
    // Two keys are two requests: each must have created its own resource, never been handed another key's.
    const owners = new Map<string, string[]>()
    for (const r of acked) for (const id of r.ids) owners.set(id, [...(owners.get(id) ?? []), r.key])
    const shared = [...owners].filter(([, ks]) => ks.length > 1)
    const missing = [...ackedIds].filter(id => !simIds.has(id))
    const what = kind === 'create' ? 'export creations' : 'asset-deletion sessions'
    checks.push({ name: `${what}: every acknowledged id exists upstream`, ok: missing.length === 0, detail: `${ackedIds.size} acknowledged ids, ${missing.length} missing upstream` })
    checks.push({ name: `${what}: a replayed key answers the same id`, ok: multi.length - explained.length === 0, detail: `${recs.reduce((a, r) => a + r.attempts.filter(x => x.replayed).length, 0)} replays answered from the record; ${multi.length} keys with two ids${explained.length ? ` (${explained.length} across the Redis restart that lost the records)` : ''}` })
    checks.push({ name: `${what}: each acknowledged id answers one Idempotency-Key`, ok: shared.length === 0, detail: shared.length === 0 ? `${ackedIds.size} ids, one key each` : `${shared.length} ids answered to two or more keys (${shared.slice(0, 3).map(([id, ks]) => `${id}: ${ks.length} keys, first attempts at ${ks.map(k => recs.find(r => r.key === k)!.attempts[0]!.t.toFixed(1)).join(' and ')} s`).join('; ')})` })
    if (shared.length) findings.push(`${shared.length} ${what} acknowledged to a key were another key's: a keyed request whose upstream call ended ambiguously adopted an export with the same settings that a different request created (vi-bff's reconciliation matches on settings and creation time, not on the request). That key's own write never happened upstream, yet its caller was told it had.`)
    // Keys acknowledged only after an attempt that may have been carried out upstream (5xx, transport error).
    const afterAmbiguous = acked.filter(r => r.attempts.findIndex(a => a.status === 202) > 0 &&
      r.attempts.slice(0, r.attempts.findIndex(a => a.status === 202)).some(a => a.status >= 500 || a.status === 0))
    // Each caller request counts: one that failed visibly (a 5xx or a cut connection, not a replay) may have been
    // carried out upstream, and design.md has a retry with the same key run again after it (5xx are not stored).
    const failedRequests = recs.reduce((n, r) => n + r.attempts.filter(a => !a.replayed && (a.status >= 500 || a.status === 0)).length, 0)
    const extra = simIds.size - ackedIds.size
    const ok = simIds.size >= ackedIds.size - explained.length && extra <= failedRequests + explained.length
    checks.push({
      name: `${what}: created upstream = acknowledged + requests that failed visibly (at most)`,
      ok,
      detail: `${simIds.size} upstream; ${acked.length} keys acknowledged (${ackedIds.size} ids), ${failed.length} keys failed visibly to their caller, ${failedRequests} requests failed visibly (5xx or cut), so ${extra} unacknowledged upstream ${extra === 1 ? 'creation' : 'creations'} (allowed: up to ${failedRequests + explained.length}, one per request that failed visibly); ${afterAmbiguous.length} keys acknowledged on a retry after a 5xx or transport error`
    })
    if (!ok && afterAmbiguous.length) findings.push(`${what}: ${extra} upstream creations no caller was told about, with ${afterAmbiguous.length} keys acknowledged on a retry with the same Idempotency-Key after a 5xx or transport error: the failed attempt was carried out upstream, vi-bff released the key, and the retry created it again.`)
    if (explained.length) findings.push(`${explained.length} ${what} answered a second id for the same Idempotency-Key after Redis was restarted without its data: the key records live only in Redis.`)
  }
  const delAcked = deletions.filter(d => d.ackedAt !== undefined)
  const simDeleted = new Set(summary.writes.deletions.map(d => d.datasetId))
  checks.push({ name: 'dataset deletions: every acknowledged deletion happened upstream', ok: delAcked.every(d => simDeleted.has(d.datasetId)), detail: `${delAcked.length} acknowledged, ${deletions.length - delAcked.length} failed visibly, ${simDeleted.size} deleted upstream` })
  const resurrected = delAcked.filter(d => d.servedAfterAck > 0)
  checks.push({ name: 'dataset deletions: never served again after the 202', ok: resurrected.length === 0, detail: `${delAcked.reduce((a, d) => a + d.checks, 0)} reads after acknowledgement, ${resurrected.reduce((a, d) => a + d.servedAfterAck, 0)} answered 200${resurrected.length ? ` (${resurrected.map(d => d.datasetId).join(', ')})` : ''}` })
  const completed = archiveRuns.filter(r => r.bytes === r.size)
  const bad = completed.filter(r => !r.ok)
  checks.push({ name: 'archive downloads: every completed download is byte-exact (sha256)', ok: bad.length === 0 && completed.length > 0, detail: `${completed.length} completed (${(completed.reduce((a, r) => a + r.size, 0) / 2 ** 20).toFixed(0)} MiB), ${bad.length} mismatched, ${archiveRuns.filter(r => r.resumes > 0).length} resumed with Range, ${archiveRuns.filter(r => r.bytes !== r.size).length} incomplete (failed visibly)` })
  const lossFailed = checks.some(c => !c.ok)

  // Series.
  const perSecond = Array.from({ length: dur }, (_, i) => {
    const s = seconds[i]
    const up_ = summary.perSecond[String(i - Math.round(offset))]
    return { t: i, requests: s?.requests ?? 0, ok: s?.ok ?? 0, errors: s?.errors ?? 0, skipped: s?.skipped ?? 0, byKind: s?.byKind ?? {}, causes: causesBySecond[i] ?? {}, upstreamApi: up_?.api ?? 0, upstreamStorage: up_?.storage ?? 0 }
  })
  const buckets = Array.from({ length: Math.ceil(dur / 10) }, (_, b) => {
    const lat = latencies[b] ?? []
    const slice = perSecond.slice(b * 10, b * 10 + 10)
    const callerJson = slice.reduce((a, s) => a + (s.byKind.read ?? 0) + (s.byKind.poll ?? 0) + (s.byKind.create ?? 0) + (s.byKind.replay ?? 0) + (s.byKind.bulk ?? 0) + (s.byKind.delete ?? 0) + (s.byKind.deletedCheck ?? 0), 0)
    const upstreamApi = slice.reduce((a, s) => a + s.upstreamApi, 0)
    const reqs = slice.reduce((a, s) => a + s.requests, 0)
    const errs = slice.reduce((a, s) => a + s.errors, 0)
    return { t: b * 10, n: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), max: lat.length ? Math.max(...lat) : null, requests: reqs, errors: errs, errorRate: reqs ? errs / reqs : 0, callerJson, upstreamApi, upstreamPerRequest: reqs ? upstreamApi / reqs : null, upstreamPerJsonRequest: callerJson ? upstreamApi / callerJson : null }
  })
  const totalReq = perSecond.reduce((a, s) => a + s.requests, 0)
  const totalErr = perSecond.reduce((a, s) => a + s.errors, 0)
  const allLat = latencies.flat()
  const totalUpstream = perSecond.reduce((a, s) => a + s.upstreamApi, 0)
  const callerJsonTotal = buckets.reduce((a, b) => a + b.callerJson, 0)

  // Plot.
  const colors = ['#1f77b4', '#2ca02c', '#9467bd']
  const byReplica = (f: (s: Scrape) => number | undefined) => replicas.map((r, i) => ({
    name: `replica ${i + 1}`,
    color: colors[i]!,
    points: scrapes.filter(s => s.replica === i).map(s => [s.t, s.up && f(s) !== undefined ? f(s)! : null] as [number, number | null])
  }))
  const panels: Panel[] = [
    { title: 'Latency through nginx, JSON requests, per 10 s', unit: 'ms', log: true, series: [{ name: 'p50', color: '#1f77b4', points: buckets.map(b => [b.t + 5, b.p50]) }, { name: 'p99', color: '#d62728', points: buckets.map(b => [b.t + 5, b.p99]) }] },
    { title: 'Caller requests and errors per second', unit: 'req/s', series: [{ name: 'requests', color: '#1f77b4', points: perSecond.map(s => [s.t, s.requests]) }, { name: 'errors', color: '#d62728', points: perSecond.map(s => [s.t, s.errors]) }, { name: 'upstream API calls', color: '#ff7f0e', dashed: true, points: perSecond.map(s => [s.t, s.upstreamApi]) }] },
    { title: 'Resident memory per replica', unit: 'MiB', series: byReplica(s => s.rss === undefined ? undefined : s.rss / 2 ** 20) },
    { title: 'Event-loop delay p99 per replica', unit: 'ms', series: byReplica(s => s.elP99 === undefined ? undefined : s.elP99 * 1000) },
    { title: 'Upstream API calls per caller request, per 10 s', unit: 'ratio', series: [{ name: 'per request', color: '#ff7f0e', points: buckets.map(b => [b.t + 5, b.upstreamPerRequest]) }, { name: 'per JSON request', color: '#8c564b', dashed: true, points: buckets.map(b => [b.t + 5, b.upstreamPerJsonRequest]) }] }
  ]
  const marks: Mark[] = events.map(e => ({ t: e.t, label: e.what }))
  const svg = renderSvg(`vi-bff soak: 3 replicas behind nginx, ${SETTINGS.rps} req/s, ${Math.round(loadEnd)} s, faults marked`, Math.ceil(loadEnd), panels, marks)

  // Summary.
  const f1 = (n: number | null | undefined, d = 1) => n === null || n === undefined ? '-' : n.toFixed(d)
  const rssOf = (i: number) => scrapes.filter(s => s.replica === i && s.rss !== undefined).map(s => s.rss! / 2 ** 20)
  const elOf = (i: number) => scrapes.filter(s => s.replica === i && s.elP99 !== undefined).map(s => s.elP99! * 1000)
  const topCauses = [...causes].sort((a, b) => b[1] - a[1])
  const lines: string[] = []
  lines.push(`### Soak: ${Math.round(loadEnd)} s, three replicas behind nginx, under faults`)
  lines.push('')
  lines.push(`Load through nginx (Debian nginx, deploy/nginx/vi-bff.conf on loopback) to three \`node dist/server.js\` replicas sharing one redis-server, in front of the simulated Vi API; ${SETTINGS.rps} JSON req/s by ${keys.length} API keys (88% cached reads, 12% export polls), ${SETTINGS.sse} SSE streams, ${SETTINGS.archives} archive downloads at ${(SETTINGS.archiveBps / 2 ** 20).toFixed(0)} MiB/s each, ${SETTINGS.writeRps}/s export creations and ${SETTINGS.bulkRps}/s asset deletions with Idempotency-Key, ${SETTINGS.signInRps}/s OIDC sign-ins, ${deletions.length} dataset deletions. Plot: bench/soak.svg; raw series: bench/soak-results.json.`)
  lines.push('')
  lines.push('| | |')
  lines.push('|---|---|')
  lines.push(`| caller requests | ${totalReq} (${(totalReq / (loadEnd)).toFixed(0)}/s), ${perSecond.reduce((a, s) => a + s.skipped, 0)} skipped at the in-flight cap |`)
  lines.push(`| errors (non-expected status or transport) | ${totalErr} (${((100 * totalErr) / Math.max(1, totalReq)).toFixed(2)}%) |`)
  lines.push(`| JSON latency p50 / p99 / max, whole run | ${f1(pct(allLat, 50))} / ${f1(pct(allLat, 99))} / ${f1(allLat.length ? Math.max(...allLat) : null)} ms |`)
  const worst = buckets.filter(b => b.p99 !== null).sort((a, b) => b.p99! - a.p99!)[0]
  lines.push(`| worst 10 s p99 | ${f1(worst?.p99 ?? null)} ms at ${worst ? Math.round(worst.t) : '-'} s |`)
  lines.push(`| upstream API calls per caller request | ${(totalUpstream / Math.max(1, totalReq)).toFixed(3)} overall (${totalUpstream} calls for ${totalReq} requests; per JSON request ${(totalUpstream / Math.max(1, callerJsonTotal)).toFixed(3)}); worst 10 s: ${f1(Math.max(...buckets.map(b => b.upstreamPerRequest ?? 0)), 2)} at ${buckets.reduce((w, b) => (b.upstreamPerRequest ?? 0) > (w.upstreamPerRequest ?? 0) ? b : w, buckets[0]!).t} s |`)
  lines.push(`| archive downloads | ${completed.length} completed byte-exact of ${archiveRuns.length}, ${archiveRuns.reduce((a, r) => a + r.resumes, 0)} Range resumes, ${archiveRuns.reduce((a, r) => a + r.restarts, 0)} restarts from 0 |`)
  lines.push(`| SSE streams | ${sse.opened} opened, ${sse.ready} ended with ready, ${sse.cut} cut (reopened), ${sse.problem} problem, ${sse.failedOpen} refused; median time to ready ${f1((pct(sse.timeToReadyMs, 50) ?? 0) / 1000)} s |`)
  lines.push(`| sign-ins | ${signIns.ok} ok, ${signIns.failed} failed${signIns.failed ? ` (${Object.entries(signIns.causes).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} |`)
  lines.push(`| writes | ${writeKeys.filter(k => k.kind === 'create').length} export keys, ${writeKeys.filter(k => k.kind === 'bulk').length} asset-deletion keys, ${writeKeys.reduce((a, k) => a + k.attempts.length, 0)} attempts |`)
  lines.push('')
  lines.push('Per replica (scraped from each /metrics every ' + (SETTINGS.scrapeMs / 1000) + ' s):')
  lines.push('')
  lines.push('| replica | RSS start / end / max (MiB) | event-loop p99 median / max (ms) | restarts |')
  lines.push('|---|---|---|---|')
  for (const r of replicas) {
    const rss = rssOf(r.index)
    const el = elOf(r.index)
    lines.push(`| ${r.index + 1} | ${f1(rss[0] ?? null, 0)} / ${f1(rss.at(-1) ?? null, 0)} / ${f1(rss.length ? Math.max(...rss) : null, 0)} | ${f1(pct(el, 50))} / ${f1(el.length ? Math.max(...el) : null)} | ${r.incarnation - 1} |`)
  }
  lines.push('')
  lines.push('Errors by cause (request kind, status, problem code):')
  lines.push('')
  lines.push('| cause | count |')
  lines.push('|---|---|')
  for (const [c, n] of topCauses.slice(0, 25)) lines.push(`| ${c} | ${n} |`)
  if (topCauses.length === 0) lines.push('| none | 0 |')
  lines.push('')
  lines.push('Each event and what callers saw until the next one (at most 15 s): errors by cause, upstream API calls per caller request, JSON p99:')
  lines.push('')
  lines.push('| t (s) | event | errors | upstream calls / request | p99 (ms) |')
  lines.push('|---|---|---|---|---|')
  events.forEach((e, i) => {
    const from = Math.floor(e.t)
    const to = Math.min(from + 15, Math.ceil(events[i + 1]?.t ?? loadEnd), dur)
    const win = perSecond.slice(from, Math.max(from + 1, to))
    const errs: Record<string, number> = {}
    for (const s of win) for (const [c, n] of Object.entries(s.causes)) errs[c] = (errs[c] ?? 0) + n
    const reqs = win.reduce((a, s) => a + s.requests, 0)
    const ups = win.reduce((a, s) => a + s.upstreamApi, 0)
    const lat = latencyAt.filter(([t]) => t >= from && t < Math.max(from + 1, to)).map(([, ms]) => ms)
    const errText = Object.entries(errs).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none'
    lines.push(`| ${f1(e.t)} | ${e.what} | ${errText} | ${reqs ? (ups / reqs).toFixed(2) : '-'} | ${f1(pct(lat, 99), 0)} |`)
  })
  lines.push('')
  // Whatever resilience metrics the replicas export (retries, budget, breaker, shedding: names vary by version).
  const resilience: Record<string, number> = {}
  for (const m of lastMetrics.values()) {
    for (const [name, v] of Object.entries(m)) {
      if (/retr|budget|breaker|circuit|shed|pressure|bulkhead|upstream_requests_total|rejected/i.test(name) && !/_sum$|_count$/.test(name)) resilience[name] = (resilience[name] ?? 0) + v
    }
  }
  if (Object.keys(resilience).length) {
    lines.push('Resilience counters, summed over the replicas\' last scrapes (a restarted replica counts from its restart):')
    lines.push('')
    lines.push('| metric | value |')
    lines.push('|---|---|')
    for (const [name, v] of Object.entries(resilience).sort()) lines.push(`| ${name} | ${Number.isInteger(v) ? v : v.toFixed(3)} |`)
    lines.push('')
  }
  lines.push('Nothing lost:')
  lines.push('')
  lines.push('| check | result | detail |')
  lines.push('|---|---|---|')
  for (const c of checks) lines.push(`| ${c.name} | ${c.ok ? 'pass' : '**FAIL**'} | ${c.detail} |`)
  if (findings.length) {
    lines.push('')
    for (const f of findings) lines.push(`- ${f}`)
  }
  lines.push('')

  const raw = {
    settings: SETTINGS,
    loadEnd,
    events,
    perSecond,
    buckets,
    scrapes,
    finalMetrics: Object.fromEntries(lastMetrics),
    upstream: { byRoute: summary.byRoute, closedByClient: summary.closedByClient, total: totalUpstream },
    causes: Object.fromEntries(topCauses),
    writes: writeKeys.map(k => ({ ...k, ids: [...k.ids] })),
    simWrites: { exports: summary.writes.exports.filter(e => e.datasetId === 'soak-writes').length, sessions: summary.writes.sessions.filter(s => s.datasetId === 'soak-writes').length, deletions: summary.writes.deletions },
    deletions,
    archives: archiveRuns,
    archiveSizes: up.archives.map(a => ({ exportId: a.exportId, size: a.size })),
    sse,
    signIns,
    checks,
    redis: { restartAt: redisRestartAt ?? null, backAt: redisBackAt ?? null, mode: SETTINGS.redisRestart }
  }
  return { raw, svg, md: lines.join('\n'), lossFailed }
}

main().catch(async err => {
  process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`)
  if (workDir) process.stderr.write(`logs: ${workDir}\n`)
  killAll()
  process.exit(2)
})
