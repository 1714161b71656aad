/**
 * `npm run bench:traces`: what tracing costs on a cached GET /v1/datasets/{id} (memory store). Three servers:
 *   none: the same sources built with src/telemetry replaced by an inert stub (no telemetry code path at all)
 *   off:  this build, no OTLP endpoint (the default)
 *   on:   this build exporting every span over OTLP/HTTP JSON to a sink on loopback (scripts/otlp-sink.ts)
 * Ratios are to "off", the baseline: "none" shows that tracing off costs nothing, "on" what it costs.
 * Not a test: prints a table and, with --write, replaces the "## Traces (issue 10)" section of bench/RESULTS.md.
 *
 *   npm run bench:traces -- [--duration 10] [--warmup 2] [--connections 50] [--rounds 3] [--no-pin] [--write]
 *
 * Same setup as bench/cache.ts: vi-bff from a tsc build, each server alone in a child process
 * (bench/cache-server.mjs, mode "memory"), pinned to the last CPU when there are 2+, autocannon here.
 */
import { type ChildProcess } from 'node:child_process'
import { cpus, tmpdir } from 'node:os'
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { writeResultsSection } from './results.js'
import { ORG, SECRET, PATH, KEY, DATASET, here, root, cpuCount, autocannon, tsc, serverEnv, forkServer, pinLoader, loadOptions, noPinOption } from './common.js'
import { startSimUpstream } from '../sim/index.js'
import { startOtlpSink } from '../scripts/otlp-sink.js'

type Mode = 'none' | 'off' | 'on'
const MODES: Mode[] = ['none', 'off', 'on']
const LABEL: Record<Mode, string> = {
  none: 'built without the telemetry code path',
  off: 'tracing off (no endpoint: the default)',
  on: 'tracing on, every span exported (OTLP/HTTP JSON to a loopback sink)'
}
interface Row { rps: number, p50: number, p99: number, bad: number, requests: number, spans: number, cpuUs: number }

/** src/telemetry/index.ts for the "none" build: the same exports, doing nothing, importing nothing at run time. */
const STUB = `// Written by bench/traces.ts: vi-bff without its telemetry code path.
import type { Tracer } from '@opentelemetry/api'
import type { FastifyPluginCallback, FastifyServerOptions } from 'fastify'
export interface Telemetry { tracer: Tracer, fastifyPlugin: FastifyPluginCallback, flush: () => Promise<void> }
export const SHUTDOWN_FLUSH_MS = 0
export function telemetry (): Telemetry | undefined { return undefined }
export async function startTelemetry (_config?: unknown): Promise<Telemetry | undefined> { return undefined }
export async function shutdownTelemetry (): Promise<void> {}
export function withTraceIds (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] { return logger }
export async function inSpan<T> (_tracer: Tracer, _name: string, _attributes: Record<string, string>, fn: () => Promise<T>, _describe: (value: T) => Record<string, string>): Promise<T> { return fn() }
`

/** The "none" build: src/ copied with the stub in place of src/telemetry, compiled with tsc beside a copy of the bench server. */
function buildWithoutTelemetry (): string {
  const dir = mkdtempSync(join(tmpdir(), 'vi-bff-notelemetry-'))
  try {
    copyAndCompile(dir)
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return dir
}

function copyAndCompile (dir: string) {
  cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true })
  writeFileSync(join(dir, 'src/telemetry/index.ts'), STUB)
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(root, file), join(dir, file))
  mkdirSync(join(dir, 'bench'))
  cpSync(join(here, 'cache-server.mjs'), join(dir, 'bench/cache-server.mjs'))
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  tsc(join(dir, 'tsconfig.build.json'))
}

async function measure (mode: Mode, o: { duration: number, warmup: number, connections: number, pin: boolean, simUrl: string, sinkUrl: string, noneDir: string }, spansSoFar: () => number): Promise<Row> {
  const env = serverEnv(o.simUrl, {
    BENCH_MODE: 'memory',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_READS: '0',
    REDIS_KEY_PREFIX: `bench:${randomUUID()}:`,
    ...(mode === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: o.sinkUrl } : {})
  })
  const script = mode === 'none' ? join(o.noneDir, 'bench/cache-server.mjs') : join(here, 'cache-server.mjs')
  const child: ChildProcess = forkServer(script, env, o.pin)
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start`)), 30_000)
    child.once('exit', code => reject(new Error(`${mode} server exited with ${code}`)))
    child.on('message', (msg: { type: string, port: number }) => { if (msg.type === 'ready') { clearTimeout(timer); resolve(msg.port) } })
  })
  const stats = () => new Promise<{ userMs: number, systemMs: number }>(resolve => {
    const onMessage = (m: { type: string, userMs: number, systemMs: number }) => {
      if (m.type === 'stats') { child.off('message', onMessage); resolve(m) }
    }
    child.on('message', onMessage)
    child.send({ type: 'stats' })
  })
  try {
    const load = (duration: number) => autocannon({ url: `http://127.0.0.1:${port}${PATH}`, connections: o.connections, pipelining: 1, duration, headers: { authorization: `Bearer ${KEY}` } })
    const before = spansSoFar()
    const warm = await load(o.warmup)
    // The server's own CPU time per request is steadier than throughput when other work shares the machine.
    child.send({ type: 'mark' })
    const r = await load(o.duration)
    const cpu = await stats()
    // The batch processor exports every 5 s (OTEL_BSP_SCHEDULE_DELAY); the last batch arrives by then.
    if (mode === 'on') await new Promise(resolve => setTimeout(resolve, 6_000))
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts, requests: warm.requests.total + r.requests.total, spans: spansSoFar() - before, cpuUs: (cpu.userMs + cpu.systemMs) * 1000 / r.requests.total }
  } finally {
    child.removeAllListeners('exit')
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}

async function main () {
  const { values } = parseArgs({ options: { ...loadOptions('3'), ...noPinOption } })
  const rounds = Number(values.rounds)
  const pin = !values['no-pin'] && cpuCount >= 2
  process.stderr.write('# building dist/ with tsc, and the same sources without src/telemetry in a temporary folder\n')
  tsc()
  const noneDir = buildWithoutTelemetry()
  if (pin) pinLoader()
  const sim = await startSimUpstream({ orgs: [{ id: ORG, secretKey: SECRET }] })
  sim.addDataset(ORG, { id: DATASET, name: 'Benchmark shelves' })
  const sink = await startOtlpSink({ keep: false })
  const o = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections), pin, simUrl: sim.url, sinkUrl: sink.url, noneDir }
  const rows = new Map<Mode, Row[]>(MODES.map(m => [m, []]))
  try {
    for (let round = 1; round <= rounds; round++) {
      // The order rotates every round, so no mode always runs first or after another's load.
      for (const m of MODES.map((_, i) => MODES[(i + round - 1) % MODES.length]!)) {
        const row = await measure(m, o, sink.spanCount)
        process.stderr.write(`# round ${round}/${rounds}: ${m}: ${Math.round(row.rps)} req/s, p99 ${row.p99} ms, ${row.cpuUs.toFixed(0)} µs CPU/req${m === 'on' ? `, ${row.spans} spans for ${row.requests} requests` : ''}\n`)
        rows.get(m)!.push(row)
      }
    }
  } finally {
    await sim.close()
    await sink.close()
    rmSync(noneDir, { recursive: true, force: true })
  }
  const best = (rs: Row[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a))
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
  const off = rows.get('off')!
  const lines = [
    '| vi-bff, cached GET | req/s (best round) | ratio to off | p50 ms | p99 ms | ratio, same round (median) | req/s, every round | server CPU µs/req (median) | CPU ratio to off | spans exported per request | non-2xx/errors |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|'
  ]
  for (const m of MODES) {
    const mine = rows.get(m)!
    const b = best(mine)
    const ratio = (b.rps / best(off).rps).toFixed(2) + 'x'
    const sameRound = median(mine.map((r, i) => r.rps / off[i]!.rps)).toFixed(2) + 'x'
    const spans = m === 'on' ? (mine.reduce((n, r) => n + r.spans, 0) / mine.reduce((n, r) => n + r.requests, 0)).toFixed(2) : '-'
    const cpu = median(mine.map(r => r.cpuUs))
    const cpuRatio = (cpu / median(off.map(r => r.cpuUs))).toFixed(2) + 'x'
    lines.push(`| ${LABEL[m]} | ${Math.round(b.rps)} | ${ratio} | ${b.p50} | ${b.p99} | ${sameRound} | ${mine.map(r => Math.round(r.rps)).join(', ')} | ${cpu.toFixed(0)} | ${cpuRatio} | ${spans} | ${mine.reduce((n, r) => n + r.bad, 0)} |`)
  }
  const machine = `${cpuCount} vCPU (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}/${process.arch}`
  const table = lines.join('\n')
  console.log(table + `\n\n${machine}; pinned: ${pin ? 'yes' : 'no'}`)
  if (!values.write) return
  const marker = '## Traces (issue 10)'
  writeResultsSection(marker, `${marker}

What OpenTelemetry tracing costs on a cached \`GET /v1/datasets/{id}\` (memory store, a hit: a request span and a cache
span, no upstream call). "off" (no OTLP endpoint, the default) is the baseline; "built without" is the same sources with
src/telemetry replaced by an inert stub; "on" exports every span (default sampler, batch processor) over OTLP/HTTP JSON to
a sink on loopback. A cached hit makes 2 spans (request, cache lookup); fewer exported per request means the batch
processor's queue (OTEL_BSP_MAX_QUEUE_SIZE, 2048) overflowed and dropped spans at this rate. Loopback, autocannon,
${o.connections} connections, pipelining 1, ${o.warmup} s warm-up then ${o.duration} s measured, ${rounds} rounds with the servers interleaved;
best round reported, with the median of the ratios within one round beside it, and the server's CPU time per request
(median over rounds), which other load on the machine disturbs less than throughput. The order of the servers rotates every round. Same setup as the cache bench (tsc build,
one child process per server${pin ? ', pinned with taskset' : ''}, LOG_LEVEL=warn). Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.

${table}

Reproduce: \`npm run bench:traces -- --write\`.
`)
}

await main()
