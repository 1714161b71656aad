// One benchmark server, in its own process, forked by bench/cache.ts. Plain JavaScript on the tsc build
// in dist/ (as `node dist/server.js` runs in production), so no TypeScript loader is in the measured path.
//
// BENCH_MODE: bare | fastify | memory | redis. vi-bff reads its settings from the environment.
import { createServer } from 'node:http'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
// BENCH_DIST: another build of vi-bff (e.g. the code before a change, for same-run before/after rows).
const dist = process.env.BENCH_DIST ?? new URL('../dist/', import.meta.url).pathname
const { loadConfig } = await import(`${dist}/config.js`)
const { startServer } = await import(`${dist}/server.js`)

const mode = process.env.BENCH_MODE
const path = process.env.BENCH_PATH
const auth = { authorization: `Bearer ${process.env.BENCH_KEY}` }

const app = await startServer(loadConfig(process.env))
let port = app.server.address().port
const first = await fetch(`http://127.0.0.1:${port}${path}`, { headers: auth })
if (first.status !== 200) throw new Error(`vi-bff answered ${first.status}`)
const bytes = Buffer.from(await first.arrayBuffer())

if (mode === 'bare') {
  await app.close()
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length })
    res.end(bytes)
  })
  await new Promise(resolve => bare.listen(0, '127.0.0.1', resolve))
  port = bare.address().port
} else if (mode === 'fastify') {
  // Reference: Fastify with one route and nothing else (no logger, hooks, auth or cache).
  await app.close()
  const { default: Fastify } = await import('fastify')
  const hello = Fastify({ logger: false })
  hello.get('/v1/datasets/:datasetId', (_request, reply) => { reply.type('application/json; charset=utf-8').send(bytes) })
  await hello.listen({ port: 0, host: '127.0.0.1' })
  port = hello.server.address().port
}

const session = new Session()
let cpuMark = process.cpuUsage()
// Sampled every RESOLUTION ms; a sample is the interval between two ticks, so the delay is what exceeds it.
const RESOLUTION = 10
const eld = monitorEventLoopDelay({ resolution: RESOLUTION })
process.on('message', msg => {
  if (msg.type === 'mark') {
    // The measured window starts: CPU accounting and, with --cpu-prof, a V8 profile of this window only.
    cpuMark = process.cpuUsage()
    eld.reset()
    eld.enable()
    if (msg.profile) {
      session.connect()
      session.post('Profiler.enable').then(() => session.post('Profiler.start')).catch(fail)
    }
  } else if (msg.type === 'profile-stop') {
    session.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(msg.file, JSON.stringify(profile))
      process.send({ type: 'profiled' })
    }).catch(fail)
  } else if (msg.type === 'stats') {
    const cpu = process.cpuUsage(cpuMark)
    eld.disable()
    const eldP99Ms = Math.max(0, eld.percentile(99) / 1e6 - RESOLUTION)
    const eldMaxMs = Math.max(0, eld.max / 1e6 - RESOLUTION)
    fetch(`http://127.0.0.1:${port}${path}`, { headers: auth }).then(res => {
      process.send({ type: 'stats', cacheStatus: res.headers.get('cache-status') ?? '-', userMs: cpu.user / 1000, systemMs: cpu.system / 1000, eldP99Ms, eldMaxMs })
    }).catch(fail)
  }
})
process.send({ type: 'ready', port })

function fail (err) {
  console.error(err)
  process.exit(1)
}
