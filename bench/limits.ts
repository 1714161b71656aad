/**
 * `npm run bench:limits`: the cost of the per-caller rate limiter on a cached GET /v1/datasets/{id}, with the
 * memory and the Redis store, against the same vi-bff with the limiter off (RATE_LIMIT_READS=0).
 * Not a test: prints a table and, with --write, replaces the "## Rate limits (issue 9)" section of bench/RESULTS.md.
 *
 *   npm run bench:limits -- [--duration 10] [--warmup 2] [--connections 50] [--rounds 3] [--write]
 *
 * Same setup as bench/cache.ts: vi-bff from the tsc build, each server alone in a child process
 * (bench/cache-server.mjs, mode "memory" or "redis"), pinned to the last CPU when there are 2+; the limit is set
 * far above what a run can reach (RATE_LIMIT_READS=1000000 per minute), so every request is counted and none refused.
 */
import { type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { ensureRedis } from '../scripts/redis.js'
import { writeResultsSection } from './results.js'
import { ORG, SECRET, PATH, KEY, DATASET, here, cpuCount, autocannon, tsc, serverEnv, forkServer, pinLoader, loadOptions } from './common.js'
import { startSimUpstream } from '../sim/index.js'

type Store = 'memory' | 'redis'
interface Mode { store: Store, limiter: boolean }
const MODES: Mode[] = [{ store: 'memory', limiter: false }, { store: 'memory', limiter: true }, { store: 'redis', limiter: false }, { store: 'redis', limiter: true }]
interface Row { rps: number, p50: number, p99: number, bad: number }
const label = (m: Mode) => `${m.store} store, limiter ${m.limiter ? 'on' : 'off'}`

async function measure (m: Mode, o: { duration: number, warmup: number, connections: number, pin: boolean, simUrl: string, redisUrl?: string }): Promise<Row> {
  const env = serverEnv(o.simUrl, {
    BENCH_MODE: m.store,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_READS: m.limiter ? '1000000' : '0',
    REDIS_KEY_PREFIX: `bench:${randomUUID()}:`,
    ...(m.store === 'redis' ? { REDIS_URL: o.redisUrl } : {})
  })
  const child: ChildProcess = forkServer(join(here, 'cache-server.mjs'), env, o.pin)
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`server exited with ${code}`)))
    child.on('message', (msg: { type: string, port: number }) => { if (msg.type === 'ready') resolve(msg.port) })
  })
  try {
    const load = (duration: number) => autocannon({ url: `http://127.0.0.1:${port}${PATH}`, connections: o.connections, pipelining: 1, duration, headers: { authorization: `Bearer ${KEY}` } })
    await load(o.warmup)
    const r = await load(o.duration)
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts }
  } finally {
    child.removeAllListeners('exit')
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))])
  }
}

async function main () {
  const { values } = parseArgs({ options: loadOptions('3') })
  const rounds = Number(values.rounds)
  const pin = cpuCount >= 2
  tsc()
  if (pin) pinLoader()
  const redis = await ensureRedis()
  const sim = await startSimUpstream({ orgs: [{ id: ORG, secretKey: SECRET }] })
  sim.addDataset(ORG, { id: DATASET, name: 'Benchmark shelves' })
  const o = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections), pin, simUrl: sim.url, redisUrl: redis.url }
  const rows = new Map<Mode, Row[]>(MODES.map(m => [m, []]))
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const m of MODES) {
        const row = await measure(m, o)
        process.stderr.write(`# round ${round}/${rounds}: ${label(m)}: ${Math.round(row.rps)} req/s, p99 ${row.p99} ms\n`)
        rows.get(m)!.push(row)
      }
    }
  } finally {
    redis.stop()
    await sim.close()
  }
  const best = (rs: Row[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a))
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
  const lines = [
    '| vi-bff, cached GET | req/s (best round) | ratio to limiter off | p50 ms | p99 ms | ratio, same round (median) | req/s, every round | non-2xx/errors |',
    '|---|---:|---:|---:|---:|---:|---|---:|'
  ]
  for (const m of MODES) {
    const off = rows.get(MODES.find(x => x.store === m.store && !x.limiter)!)!
    const mine = rows.get(m)!
    const b = best(mine)
    const ratio = (b.rps / best(off).rps).toFixed(2) + 'x'
    const sameRound = median(mine.map((r, i) => r.rps / off[i]!.rps)).toFixed(2) + 'x'
    lines.push(`| ${label(m)} | ${Math.round(b.rps)} | ${ratio} | ${b.p50} | ${b.p99} | ${sameRound} | ${mine.map(r => Math.round(r.rps)).join(', ')} | ${mine.reduce((n, r) => n + r.bad, 0)} |`)
  }
  const machine = `${cpuCount} vCPU (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}/${process.arch}`
  const table = lines.join('\n')
  console.log(table + `\n\n${machine}; pinned: ${pin ? 'yes' : 'no'}`)
  if (!values.write) return
  const marker = '## Rate limits (issue 9)'
  writeResultsSection(marker, `${marker}

The per-caller rate limiter's cost on a cached \`GET /v1/datasets/{id}\` (one caller, every request counted, none refused:
RATE_LIMIT_READS=1000000), against the same vi-bff with the limiter off (RATE_LIMIT_READS=0). Loopback, autocannon,
${o.connections} connections, pipelining 1, ${o.warmup} s warm-up then ${o.duration} s measured, ${rounds} rounds with the four servers
interleaved; best round reported, with the median of the ratios within one round beside it. Same setup as the cache
bench (tsc build, one child process per server${pin ? ', pinned with taskset' : ''}, LOG_LEVEL=warn). Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.

${table}

Reproduce: \`npm run bench:limits -- --write\`.
`)
}

await main()
