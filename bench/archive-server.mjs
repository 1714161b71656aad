// One archive relay, in its own process, forked by bench/archive.ts. Plain JavaScript on the tsc build in
// dist/ (as `node dist/server.js` runs in production), so no TypeScript loader is in the measured path.
//
// BENCH_MODE=vibff: vi-bff itself (startServer), settings from the environment.
// BENCH_MODE=relay: the minimal Fastify + undici relay that @fastify/reply-from amounts to: one route,
//   undici request() to storage, status and length copied, reply.send(body). No auth, no logger, no checks.
// BENCH_MODE=onread: the same shape, the storage side a net socket reading into reused buffers
//   (bench/relays/onread-relay.mjs; BENCH_ONREAD_KIB and BENCH_ONREAD_BUFFERS size the pool).
import { loadConfig } from '../dist/config.js'
import { startServer } from '../dist/server.js'

const mode = process.env.BENCH_MODE
let port

if (mode === 'vibff') {
  const app = await startServer(loadConfig(process.env))
  port = app.server.address().port
} else if (mode === 'relay') {
  const { default: Fastify } = await import('fastify')
  const { Agent } = await import('undici')
  const origin = process.env.BENCH_STORAGE_ORIGIN
  // rejectUnauthorized: the relay-tls path reads storage through a TLS front with a throwaway certificate.
  const agent = new Agent({ connections: 256, connect: { rejectUnauthorized: false } })
  const app = Fastify({ logger: false })
  app.get('/*', async (request, reply) => {
    const res = await agent.request({ origin, path: request.url, method: 'GET', headers: request.headers.range ? { range: request.headers.range } : {} })
    reply.code(res.statusCode)
    for (const name of ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag']) {
      if (res.headers[name] !== undefined) reply.header(name, res.headers[name])
    }
    return reply.send(res.body)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = app.server.address().port
} else if (mode === 'onread') {
  const { startOnreadRelay } = await import('./relays/onread-relay.mjs')
  const app = await startOnreadRelay(process.env.BENCH_STORAGE_ORIGIN)
  port = app.server.address().port
  process.on('exit', () => {
    const { reads, pauses, grown } = app.onreadStats
    process.stderr.write(`# onread relay: ${reads} reads, ${pauses} pauses, ${grown} buffers added to the pool\n`)
  })
} else {
  throw new Error(`unknown BENCH_MODE ${mode}`)
}

process.send({ type: 'ready', port })
process.on('message', msg => {
  if (msg.type === 'exit') process.exit(0)
})
