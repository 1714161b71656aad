/**
 * `npm run bench:archive`: export archive downloads on loopback, in one run:
 *   direct       curl ← simulated storage (the ceiling: no relay at all)
 *   vibff        curl ← vi-bff (GET /v1/datasets/{id}/exports/{id}/archive: auth, cache, allowlist, ranges) ← storage
 *   relay        curl ← minimal Fastify + undici relay (reply.send(undici body): what @fastify/reply-from does) ← storage
 *   nginx        curl ← nginx proxy_pass, `proxy_buffering off`, 64 KiB buffer (streams as the relays do) ← storage
 *   nginx-buf    curl ← nginx proxy_pass, default `proxy_buffering on` buffers, temp files off ← storage
 *   onread       curl ← the relay's shape, storage read by a net socket into 4 reused 64 KiB buffers (`onread`,
 *                bench/relays/onread-relay.mjs; issue 11): no buffer allocated per read, no copy through undici
 *   onread-256k  the same with 4 x 256 KiB buffers (fewer, larger socket reads)
 *   relay-tls    the relay reading storage over TLS: an nginx TLS front (self-signed, openssl) before storage
 *   onread-tls   the onread relay over the same TLS front (tls.connect with `onread`)
 *   onread-tls-cork  the same with 16 x 16 KiB buffers (TLS hands out 16 KiB at a time), the caller's socket
 *                corked for one event-loop turn per batch of reads (one writev instead of a write per 16 KiB)
 *   vibff-glibc  vi-bff again, without the Dockerfile's MALLOC_TRIM_THRESHOLD_ (glibc's defaults; see the notes)
 * then, on vi-bff alone: peak RSS growth for one big transfer and for 16 concurrent ones, and the storage
 * sockets left 5 s after 100 downloads aborted by their callers.
 *
 *   npm run bench:archive -- [--size-mib 2048] [--rounds 3] [--concurrent 16] [--concurrent-mib 256]
 *                            [--aborts 100]
 *                            [--only direct,vibff,relay,nginx,nginx-buf,vibff-glibc,onread,onread-256k,relay-tls,onread-tls,onread-tls-cork]
 *                            [--pin] [--cpu-prof] [--json FILE] [--write]
 *
 * Every relay runs in its own process; the client is curl (a separate process, writing to /dev/null); the
 * simulated storage runs here. vi-bff and the relay run from the tsc build (dist/) with the Dockerfile's
 * environment, as in production, and start afresh every round (one warm-up transfer each); nginx runs one
 * worker. Paths are interleaved over --rounds rounds and the median round of each is reported, with the
 * relay's CPU seconds per GiB (user + system, from /proc) and minor page faults per GiB, steadier than
 * MB/s on a shared machine. By default everything shares all CPUs, as on a small production host; --pin
 * puts each relay alone on the last CPU (taskset) and storage and curl on the others.
 * With --write, replaces the "## Archive streaming (issues 4 and 11)" section of bench/RESULTS.md.
 */
import { fork, execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpus, availableParallelism, tmpdir, loadavg } from 'node:os'
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { createServer } from 'node:net'
import { writeResultsSection, benchNotes } from './results.js'
import { startSimUpstream, type SimUpstream } from '../sim/index.js'

const run = promisify(execFile)
type Target = 'direct' | 'vibff' | 'relay' | 'nginx' | 'nginx-buf' | 'vibff-glibc' | 'onread' | 'onread-256k' | 'relay-tls' | 'onread-tls' | 'onread-tls-cork'
const TARGETS: Target[] = ['direct', 'vibff', 'relay', 'nginx', 'nginx-buf', 'vibff-glibc', 'onread', 'onread-256k', 'relay-tls', 'onread-tls', 'onread-tls-cork']
/** The default set: the onread prototypes (issue 11) run only when asked for with --only. */
const DEFAULT_TARGETS = TARGETS.filter(t => !t.startsWith('onread') && !t.endsWith('-tls'))
/** Node relays that start afresh every round. */
const NODE_RELAYS = new Set<Target>(['vibff', 'relay', 'vibff-glibc', 'onread', 'onread-256k', 'relay-tls', 'onread-tls', 'onread-tls-cork'])
/** The environment of a relay path's process (bench/archive-server.mjs, bench/relays/onread-relay.mjs). */
function relayEnv (t: Target, tlsOrigin: string): Record<string, string> {
  const tls: Record<string, string> = t.endsWith('-tls') || t === 'onread-tls-cork' ? { BENCH_STORAGE_ORIGIN: tlsOrigin } : {}
  if (t === 'onread-256k') return { BENCH_ONREAD_KIB: '256' }
  if (t === 'onread-tls-cork') return { ...tls, BENCH_ONREAD_KIB: '16', BENCH_ONREAD_BUFFERS: '16', BENCH_ONREAD_CORK: '1' }
  return tls
}
/** Paths that need the nginx process (the TLS ones use its TLS front before storage). */
const NEEDS_NGINX = new Set<Target>(['nginx', 'nginx-buf', 'relay-tls', 'onread-tls', 'onread-tls-cork'])
const LABEL: Record<Target, string> = {
  direct: 'direct from storage (ceiling)',
  vibff: 'vi-bff',
  'vibff-glibc': 'vi-bff without MALLOC_TRIM_THRESHOLD_ (glibc defaults)',
  relay: 'minimal Fastify + undici relay',
  nginx: 'nginx proxy_pass, proxy_buffering off',
  'nginx-buf': 'nginx proxy_pass, proxy_buffering on',
  onread: 'minimal Fastify + net onread relay, 4 x 64 KiB reused buffers',
  'onread-256k': 'minimal Fastify + net onread relay, 4 x 256 KiB reused buffers',
  'relay-tls': 'minimal Fastify + undici relay, storage over TLS (nginx TLS front)',
  'onread-tls': 'minimal Fastify + tls onread relay, 4 x 64 KiB, storage over TLS (nginx TLS front)',
  'onread-tls-cork': 'minimal Fastify + tls onread relay, 16 x 16 KiB, writes corked per batch, storage over TLS'
}
const ORG = 'b0000000-0000-4000-8000-0000000000ae'
const SECRET = 'dtvi_' + 'B3nchK3y0'.repeat(10) + 'abcdefgh'
const KEY = 'bench-key-0000000000000002'
const DATASET = 'ds-bench'
const MiB = 1024 * 1024
const here = dirname(fileURLToPath(import.meta.url))
const root = dirname(here)
const cpuCount = availableParallelism()
const relayCpu = cpuCount - 1
const TICK = 100 // USER_HZ of /proc/<pid>/stat on Linux
/** The Node processes run with the Dockerfile's malloc setting (see the notes); vibff-glibc runs without it. */
const PRODUCTION_MALLOC = { MALLOC_TRIM_THRESHOLD_: '67108864' }

interface Options { pin: boolean, cpuProf: boolean }
interface Endpoint { url: (exportId: string) => string, pids: () => number[], stop: () => Promise<void> }
interface Transfer { bytes: number, seconds: number, mbs: number, cpuPerGiB: number | null, userShare: number | null, faultsPerGiB: number | null, status: number }

// ---- process plumbing -------------------------------------------------------------------------------

/** [user CPU s, system CPU s, minor page faults] of a process so far. */
function cpuTimes (pid: number): [number, number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return [Number(fields[11]) / TICK, Number(fields[12]) / TICK, Number(fields[7])]
}

function rssBytes (pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) * 1024 : 0
}

function socketCount (pid: number): number {
  let n = 0
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try { if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++ } catch {}
  }
  return n
}

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

function forkServer (mode: 'vibff' | 'relay' | 'onread', env: Record<string, string | undefined>, o: Options): Promise<{ child: ChildProcess, port: number }> {
  const script = join(here, 'archive-server.mjs')
  const profDir = join(here, 'profiles')
  const execArgv = o.cpuProf && mode === 'vibff' ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-name=archive-vibff.cpuprofile'] : []
  const fullEnv = { PATH: process.env.PATH, BENCH_MODE: mode, ...env }
  const child = o.pin
    ? fork(script, [], { env: fullEnv, execPath: 'taskset', execArgv: ['-c', String(relayCpu), process.execPath, ...execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    : fork(script, [], { env: fullEnv, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} did not start`)), 20_000)
    child.once('exit', code => reject(new Error(`${mode} exited with ${code}`)))
    child.on('message', (msg: { type: string, port: number }) => {
      if (msg.type === 'ready') { clearTimeout(timer); resolve({ child, port: msg.port }) }
    })
  })
}

async function stopChild (child: ChildProcess) {
  child.removeAllListeners('exit')
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.send({ type: 'exit' })
  await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))])
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

// ---- the relays ---------------------------------------------------------------------------------------

async function startVibff (sim: SimUpstream, o: Options, malloc: Record<string, string> = PRODUCTION_MALLOC): Promise<Endpoint & { pid: number }> {
  const { child, port } = await forkServer('vibff', {
    ...malloc,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATATURE_VI_SECRET_KEY: SECRET,
    DATATURE_VI_ORGANIZATION_ID: ORG,
    DATATURE_VI_API_ENDPOINT: sim.url,
    API_KEYS: `bench:${KEY}`,
    ARCHIVE_HOST_ALLOWLIST: new URL(sim.storageUrl).hostname,
    // One bench key opens many downloads at once: the per-caller limits would refuse most of them.
    RATE_LIMIT_READS: '0',
    ARCHIVE_MAX_PER_CALLER: '0'
  }, o)
  return {
    pid: child.pid!,
    url: exportId => `http://127.0.0.1:${port}/v1/datasets/${DATASET}/exports/${exportId}/archive`,
    pids: () => [child.pid!],
    stop: () => stopChild(child)
  }
}

async function startRelay (sim: SimUpstream, signedPath: (exportId: string) => string, o: Options, mode: 'relay' | 'onread' = 'relay', env: Record<string, string> = {}): Promise<Endpoint> {
  const { child, port } = await forkServer(mode, { ...PRODUCTION_MALLOC, BENCH_STORAGE_ORIGIN: sim.storageUrl, ...env }, o)
  return {
    url: exportId => `http://127.0.0.1:${port}${signedPath(exportId)}`,
    pids: () => [child.pid!],
    stop: () => stopChild(child)
  }
}

function nginxAvailable (): string | null {
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' })
  if (r.error) return null
  return (r.stderr || r.stdout).trim().replace(/^nginx version: /, '')
}

async function startNginx (sim: SimUpstream, signedPath: (exportId: string) => string, o: Options): Promise<Endpoint & { tlsOrigin: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'vi-bff-bench-nginx-'))
  const port = await freePort()
  const tlsPort = await freePort()
  const storage = new URL(sim.storageUrl)
  // A throwaway certificate for the TLS front before storage (the relay-tls and onread-tls paths).
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'),
    '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' })
  // One worker, like the single-threaded relays; access log off, as the relays log nothing per request.
  const conf = `
worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root root;' : ''}
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream storage { server ${storage.host}; keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location /buffered/ {
      proxy_pass http://storage/;
      proxy_max_temp_file_size 0;
    }
    location / {
      proxy_pass http://storage;
      proxy_buffering off;
      proxy_buffer_size 64k;
      proxy_buffers 4 64k;
    }
  }
  # Storage over TLS, as in production (https signed URLs): only the Node relays' TLS paths use it.
  server {
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location / {
      proxy_pass http://storage;
      proxy_buffering off;
      proxy_buffer_size 64k;
      proxy_buffers 4 64k;
    }
  }
}
`
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const args = ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')]
  // No NGINX variable in its environment: nginx would take it for inherited listening sockets.
  const env = { PATH: process.env.PATH }
  const child = o.pin ? spawn('taskset', ['-c', String(relayCpu), 'nginx', ...args], { stdio: 'ignore', env }) : spawn('nginx', args, { stdio: 'ignore', env })
  const killOnExit = () => { child.kill('SIGTERM') } // the master stops its worker; SIGKILL would orphan it
  process.once('exit', killOnExit)
  const deadline = Date.now() + 10_000
  let workers: number[] = []
  while (Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 100))
    try {
      const master = Number(readFileSync(join(dir, 'nginx.pid'), 'utf8'))
      workers = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
      if (workers.length > 0) break
    } catch {}
  }
  if (workers.length === 0) {
    child.kill('SIGKILL')
    throw new Error(`nginx did not start: ${readFileSync(join(dir, 'error.log'), 'utf8').trim()}`)
  }
  return {
    tlsOrigin: `https://127.0.0.1:${tlsPort}`,
    url: exportId => `http://127.0.0.1:${port}${signedPath(exportId)}`,
    pids: () => workers,
    stop: async () => {
      process.off('exit', killOnExit)
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGQUIT')
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

// ---- measurements -------------------------------------------------------------------------------------

/** One download with curl, in its own process; the relay's CPU is read around it. */
async function curl (url: string, pids: number[], o: Options): Promise<Transfer> {
  const before = pids.map(cpuTimes)
  const args = ['-s', '-o', '/dev/null', '-H', `Authorization: Bearer ${KEY}`, '-w', '%{http_code} %{size_download} %{time_total}', url]
  const { stdout } = o.pin ? await run('taskset', ['-c', relayCpu === 0 ? '0' : `0-${relayCpu - 1}`, 'curl', ...args]) : await run('curl', args)
  const [status, bytes, seconds] = stdout.trim().split(' ').map(Number) as [number, number, number]
  const after = pids.map(cpuTimes)
  const user = after.reduce((n, [u], i) => n + u - before[i]![0], 0)
  const system = after.reduce((n, [, sy], i) => n + sy - before[i]![1], 0)
  const faults = after.reduce((n, [, , f], i) => n + f - before[i]![2], 0)
  const measured = pids.length > 0 && user + system > 0
  return {
    status,
    bytes,
    seconds,
    mbs: bytes / seconds / 1e6,
    cpuPerGiB: measured ? (user + system) / (bytes / 1024 ** 3) : null,
    userShare: measured ? user / (user + system) : null,
    faultsPerGiB: measured ? faults / (bytes / 1024 ** 3) : null
  }
}

/** Samples a process's RSS every 10 ms while `work` runs; the peak minus the baseline taken just before. */
async function peakRssGrowth<T> (pid: number, work: () => Promise<T>): Promise<{ result: T, baseline: number, peak: number }> {
  const baseline = rssBytes(pid)
  let peak = baseline
  const timer = setInterval(() => { peak = Math.max(peak, rssBytes(pid)) }, 10)
  try {
    const result = await work()
    peak = Math.max(peak, rssBytes(pid))
    return { result, baseline, peak }
  } finally {
    clearInterval(timer)
  }
}

/** Starts `n` downloads, lets each read at least 1 MiB, then drops it. */
async function abortedDownloads (url: string, n: number, parallel = 10): Promise<number> {
  let started = 0
  let aborted = 0
  async function one () {
    await new Promise<void>(resolve => {
      const req = httpRequest(url, { headers: { authorization: `Bearer ${KEY}` }, agent: false }, res => {
        let got = 0
        res.on('data', (c: Buffer) => {
          got += c.length
          if (got >= MiB) { aborted++; req.destroy(); resolve() }
        })
        res.on('error', () => {})
        res.on('end', () => resolve())
      })
      req.on('error', () => resolve())
      req.end()
    })
  }
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (started < n) { started++; await one() }
  }))
  return aborted
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const fmt = (n: number, d = 0) => n.toFixed(d)

async function main () {
  const { values } = parseArgs({
    options: {
      'size-mib': { type: 'string', default: '2048' },
      rounds: { type: 'string', default: '3' },
      concurrent: { type: 'string', default: '16' },
      'concurrent-mib': { type: 'string', default: '256' },
      aborts: { type: 'string', default: '100' },
      only: { type: 'string', default: DEFAULT_TARGETS.join(',') },
      json: { type: 'string' },
      pin: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      write: { type: 'boolean', default: false }
    }
  })
  const size = Number(values['size-mib']) * MiB
  const rounds = Number(values.rounds)
  const concurrent = Number(values.concurrent)
  const concurrentSize = Number(values['concurrent-mib']) * MiB
  const aborts = Number(values.aborts)
  const o: Options = { pin: values.pin && cpuCount >= 2, cpuProf: values['cpu-prof'] }
  let targets = values.only.split(',').map(s => s.trim()) as Target[]
  if (targets.some(t => !TARGETS.includes(t))) throw new Error(`--only takes ${TARGETS.join(',')}`)
  const nginxVersion = nginxAvailable()
  if (!nginxVersion && targets.some(t => NEEDS_NGINX.has(t))) {
    process.stderr.write('# nginx is not installed (apt-get install -y nginx): the nginx and TLS rows are skipped\n')
    targets = targets.filter(t => !NEEDS_NGINX.has(t))
  }
  const log = (s: string) => process.stderr.write(`# ${s}\n`)
  const load = loadavg().map(l => l.toFixed(2)).join(' ')
  log(`load average before the run: ${load}`)

  log('building dist/ with tsc (vi-bff and the relay run as in production: plain node on dist/)')
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
  if (o.pin) execFileSync('taskset', ['-a', '-cp', relayCpu === 0 ? '0' : `0-${relayCpu - 1}`, String(process.pid)], { stdio: 'ignore' })
  if (o.cpuProf) mkdirSync(join(here, 'profiles'), { recursive: true })

  const sim = await startSimUpstream({ orgs: [{ id: ORG, secretKey: SECRET }], urlTtlMs: 3_600_000 })
  sim.addDataset(ORG, { id: DATASET })
  const big = sim.addExport(ORG, DATASET, { state: 'ready', archiveSize: size })
  const small = sim.addExport(ORG, DATASET, { state: 'ready', archiveSize: concurrentSize })
  log(`hashing the ${values['size-mib']} MiB archive once (the storage blocks meanwhile, before any measurement)`)
  const expected = sim.archiveSha256(ORG, big)
  const signed = new Map<string, string>()
  for (const id of [big, small]) {
    const res = await fetch(`${sim.url}/workspaces/${ORG}/datasets/${ORG}_${DATASET}/datasetExports/${id}`, { headers: { authorization: `Bearer ${SECRET}`, 'organization-id': ORG } })
    signed.set(id, ((await res.json()) as { status: { downloadUrl: { url: string } } }).status.downloadUrl.url)
  }
  const signedPath = (id: string) => { const u = new URL(signed.get(id)!); return u.pathname + u.search }

  // nginx starts once (one worker, deterministic); the Node relays start afresh every round: a Node
  // process settles into a good or a bad malloc pattern for its lifetime (see the notes), so one process
  // per path would make the comparison a coin toss. Each fresh process gets one warm-up transfer first.
  const started: Endpoint[] = []
  const nginxFor = new Map<Target, Endpoint>()
  let tlsOrigin = ''
  const results = new Map<Target, Transfer[]>(targets.map(t => [t, []]))
  let vibffRss = { baseline: 0, peak: 0, pid: 0 }
  const coldRss = new Map<number, number>()
  const warmRss = new Map<number, number>()
  let exact = false
  const exactOf = new Map<Target, boolean>()
  const rssGrowthOf = new Map<Target, number[]>()
  try {
    if (targets.some(t => NEEDS_NGINX.has(t))) {
      const nginx = await startNginx(sim, signedPath, o)
      started.push(nginx)
      tlsOrigin = nginx.tlsOrigin
      nginxFor.set('nginx', nginx)
      nginxFor.set('nginx-buf', { ...nginx, url: id => nginx.url(id).replace(/(:\d+)\//, '$1/buffered/') })
    }
    const open = async (t: Target): Promise<Endpoint & { pid?: number }> => {
      if (t === 'direct') return { url: id => signed.get(id)!, pids: () => [], stop: async () => {} }
      if (t === 'nginx' || t === 'nginx-buf') return nginxFor.get(t)!
      const relayMode = t === 'relay' || t === 'relay-tls' ? 'relay' : 'onread'
      const e = t === 'vibff' || t === 'vibff-glibc'
        ? await startVibff(sim, o, t === 'vibff' ? PRODUCTION_MALLOC : {})
        : await startRelay(sim, signedPath, o, relayMode, relayEnv(t, tlsOrigin))
      const pid = e.pids()[0]!
      coldRss.set(pid, rssBytes(pid))
      await curl(e.url(small), e.pids(), o) // warm-up: JIT, connection pools
      warmRss.set(pid, rssBytes(pid))
      return e
    }

    for (let round = 1; round <= rounds; round++) {
      for (const t of targets) {
        const e = await open(t)
        try {
          if ((t === 'vibff' || t.startsWith('onread')) && round === 1) {
            // Byte-exactness through vi-bff (and the onread prototypes), once, outside the timed runs.
            const { stdout: hashed } = await run('sh', ['-c', `curl -s -H 'Authorization: Bearer ${KEY}' '${e.url(big)}' | sha256sum`], { maxBuffer: 1024 })
            exactOf.set(t, hashed.split(' ')[0] === expected)
            if (t === 'vibff') exact = exactOf.get(t)!
            log(`sha256 through ${LABEL[t]} ${exactOf.get(t) ? 'matches' : 'DOES NOT match'} the archive`)
          }
          const measure = () => curl(e.url(big), e.pids(), o)
          let r: Transfer
          if (NODE_RELAYS.has(t)) {
            const m = await peakRssGrowth(e.pids()[0]!, measure)
            r = m.result
            rssGrowthOf.set(t, [...rssGrowthOf.get(t) ?? [], m.peak - m.baseline])
            if (t === 'vibff' && m.peak - m.baseline >= vibffRss.peak - vibffRss.baseline) vibffRss = { ...m, pid: e.pids()[0]! }
          } else {
            r = await measure()
          }
          if (r.status !== 200 || r.bytes !== size) throw new Error(`${t}: HTTP ${r.status}, ${r.bytes} bytes`)
          const rss = rssGrowthOf.get(t)?.at(round - 1)
          log(`round ${round}/${rounds} ${LABEL[t]}: ${fmt(r.mbs)} MB/s${r.cpuPerGiB === null ? '' : `, ${fmt(r.cpuPerGiB, 2)} CPU s/GiB (${fmt(100 * r.userShare!)}% user), ${fmt(r.faultsPerGiB!)} page faults/GiB`}${rss === undefined ? '' : `, peak RSS growth ${fmt(rss / MiB, 1)} MiB`}`)
          results.get(t)!.push(r)
        } finally {
          if (NODE_RELAYS.has(t)) await e.stop()
        }
      }
    }
    for (const e of started.splice(0)) await e.stop()

    // The onread prototype: a caller going away must close its storage socket.
    let onreadAborts = ''
    if (targets.includes('onread')) {
      const e = await startRelay(sim, signedPath, o, 'onread')
      try {
        const before = sim.openStorageSockets()
        const n = await abortedDownloads(e.url(big), 20)
        await new Promise(resolve => setTimeout(resolve, 1000))
        onreadAborts = `${n}/20 downloads through the onread relay aborted; storage sockets ${before} before, ${sim.openStorageSockets()} 1 s after`
        log(onreadAborts)
      } finally {
        await e.stop()
      }
    }

    // vi-bff alone from here: 16 concurrent 256 MiB downloads, then 100 aborted ones.
    const vibff = await open('vibff')
    started.push(vibff)
    const pid = vibff.pids()[0]!
    const concurrentRun = await peakRssGrowth(pid, async () => {
      const t0 = performance.now()
      const all = await Promise.all(Array.from({ length: concurrent }, () => curl(vibff.url(small), [], o)))
      return { all, seconds: (performance.now() - t0) / 1000 }
    })
    const concurrentOk = concurrentRun.result.all.every(r => r.status === 200 && r.bytes === concurrentSize)
    const concurrentMbs = concurrent * concurrentSize / concurrentRun.result.seconds / 1e6
    log(`${concurrent} concurrent x ${values['concurrent-mib']} MiB through vi-bff: ${fmt(concurrentMbs)} MB/s in all, peak RSS growth ${fmt((concurrentRun.peak - concurrentRun.baseline) / MiB, 1)} MiB`)

    await new Promise(resolve => setTimeout(resolve, 5000)) // let the keep-alive sockets of the runs above lapse
    const socketsBefore = socketCount(pid)
    const storageBefore = sim.openStorageSockets()
    const abortRun = await peakRssGrowth(pid, () => abortedDownloads(vibff.url(big), aborts))
    const openRightAfter = sim.openStorageSockets()
    await new Promise(resolve => setTimeout(resolve, 5000))
    const storageAfter = sim.openStorageSockets()
    const socketsAfter = socketCount(pid)
    log(`${abortRun.result}/${aborts} downloads aborted; storage sockets: ${storageBefore} before, ${openRightAfter} right after, ${storageAfter} 5 s later; vi-bff sockets ${socketsBefore} → ${socketsAfter}`)

    // Report.
    const med = new Map([...results].map(([t, rs]) => [t, {
      mbs: median(rs.map(r => r.mbs)),
      cpu: rs[0]?.cpuPerGiB === null ? null : median(rs.map(r => r.cpuPerGiB!)),
      user: rs[0]?.userShare === null ? null : median(rs.map(r => r.userShare!)),
      faults: rs[0]?.faultsPerGiB === null ? null : median(rs.map(r => r.faultsPerGiB!)),
      all: rs.map(r => fmt(r.mbs)).join(', '),
      allCpu: rs[0]?.cpuPerGiB === null ? '' : rs.map(r => fmt(r.cpuPerGiB!, 2)).join(', ')
    }]))
    const direct = med.get('direct')?.mbs
    const v = med.get('vibff')
    const lines = [
      '| path | MB/s (median) | ratio to direct | vi-bff ratio to it | relay CPU s/GiB (median; user share) | page faults/GiB | all rounds: MB/s; CPU s/GiB |',
      '|---|---:|---:|---:|---:|---:|---|'
    ]
    for (const [t, m] of med) {
      const ratio = !v || t === 'vibff' || t === 'direct' || t === 'vibff-glibc' ? '' : fmt(v.mbs / m.mbs, 2) + 'x'
      const cpu = m.cpu === null ? '' : `${fmt(m.cpu, 2)} (${fmt(100 * m.user!)}% user)`
      lines.push(`| ${LABEL[t]} | ${fmt(m.mbs)} | ${direct ? fmt(m.mbs / direct, 2) + 'x' : '-'} | ${ratio} | ${cpu} | ${m.faults === null ? '' : fmt(m.faults)} | ${m.all}${m.allCpu ? `; ${m.allCpu}` : ''} |`)
    }
    const rssGrowth = (vibffRss.peak - vibffRss.baseline) / MiB
    const concurrentGrowth = (concurrentRun.peak - concurrentRun.baseline) / MiB
    const extra = [
      '',
      '| vi-bff, memory and sockets | figure | aim |',
      '|---|---:|---|',
      `| peak RSS growth, one ${values['size-mib']} MiB transfer (largest of ${rounds}) | ${fmt(rssGrowth, 1)} MiB (baseline ${fmt(vibffRss.baseline / MiB, 0)} MiB; that process had ${fmt((coldRss.get(vibffRss.pid) ?? 0) / MiB, 0)} MiB after start, ${fmt((warmRss.get(vibffRss.pid) ?? 0) / MiB, 0)} MiB after its ${values['concurrent-mib']} MiB warm-up) | < 32 MiB |`,
      `| peak RSS growth, ${concurrent} concurrent ${values['concurrent-mib']} MiB transfers | ${fmt(concurrentGrowth, 1)} MiB (baseline ${fmt(concurrentRun.baseline / MiB, 0)} MiB), ${fmt(concurrentMbs)} MB/s in all${concurrentOk ? '' : ', SOME FAILED'} | < 64 MiB |`,
      `| storage sockets open 5 s after ${aborts} aborted downloads | ${storageAfter} (${storageBefore} before, ${openRightAfter} right after the last abort; vi-bff's own sockets ${socketsBefore} before, ${socketsAfter} after) | 0 |`,
      `| sha256 of one ${values['size-mib']} MiB transfer through vi-bff | ${exact ? 'matches' : 'MISMATCH'} | byte-exact |`
    ]
    const machine = `${cpuCount} vCPU (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${nginxVersion ?? 'no nginx'}, ${execFileSync('curl', ['--version'], { encoding: 'utf8' }).split('\n')[0]?.split(' ').slice(0, 2).join(' ')}`
    const table = lines.join('\n') + '\n' + extra.join('\n')
    console.log(table)
    console.log(`\n${machine}; load average before the run ${load}; pinned: ${o.pin ? `relays on CPU ${relayCpu}, storage and curl on the others` : 'no'}`)
    for (const [t, xs] of rssGrowthOf) console.log(`peak RSS growth per ${values['size-mib']} MiB transfer, ${LABEL[t]}: ${xs.map(x => fmt(x / MiB, 1)).join(', ')} MiB`)
    for (const [t, ok] of exactOf) console.log(`sha256 through ${LABEL[t]}: ${ok ? 'matches' : 'MISMATCH'}`)
    if (onreadAborts) console.log(onreadAborts)
    if (values.json) {
      writeFileSync(values.json, JSON.stringify({
        at: new Date().toISOString(),
        load,
        loadAfter: loadavg().map(l => l.toFixed(2)).join(' '),
        sizeMib: Number(values['size-mib']),
        rounds,
        results: Object.fromEntries(results),
        rssGrowth: Object.fromEntries(rssGrowthOf),
        exact: Object.fromEntries(exactOf),
        onreadAborts
      }, null, 2) + '\n')
    }
    if (values.write) writeSection(table, machine, load, o, rounds, values['size-mib'])
  } finally {
    for (const e of started) await e.stop().catch(() => {})
    await sim.close()
  }
}

function writeSection (table: string, machine: string, load: string, o: Options, rounds: number, sizeMib: string) {
  const marker = '## Archive streaming (issues 4 and 11)'
  const notes = benchNotes('archive')
  const section = `${marker}

One ${sizeMib} MiB export archive downloaded with curl (to /dev/null) on loopback from the simulated storage:
directly, through vi-bff, through minimal Fastify relays (undici, as vi-bff; and net onread into reused buffers) and through nginx; ${rounds} rounds with the
paths interleaved, the median round of each reported. Measured ${new Date().toISOString().slice(0, 10)} on ${machine};
load average before the run: ${load}. ${o.pin ? `Each relay is pinned to one CPU (taskset) with storage and curl on the other${cpuCount > 2 ? 's' : ''}` : 'Storage, relay and curl share all CPUs (no pinning)'}.
vi-bff and the minimal relay run from the tsc build with the Dockerfile's \`MALLOC_TRIM_THRESHOLD_=67108864\`, each in a
fresh process per round after one 256 MiB warm-up transfer (LOG_LEVEL=info for vi-bff, its stdout discarded; the relays have no logger);
nginx runs one worker, access log off.

${table}

Reproduce: \`npm run bench:archive -- --write\` (\`--pin\` for one CPU per relay; \`--cpu-prof\` writes vi-bff's V8
profile to bench/profiles/archive-vibff.cpuprofile; \`--size-mib\`, \`--rounds\`, \`--only\`).
${notes}`
  writeResultsSection(marker, section)
}

await main()
