import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** Whether a Redis server answers PING at host:port. */
export function redisAnswers (host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ host, port })
    const done = (ok: boolean) => { socket.destroy(); resolve(ok) }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', data => done(data.toString().startsWith('+PONG')))
  })
}

export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts a throwaway redis-server (no persistence) on `port`, resolving once it answers. */
export async function startRedisServer (port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', err => reject(new Error(`cannot start redis-server (${err.message}); install it or set REDIS_URL`)))
    child.once('exit', code => reject(new Error(`redis-server exited with code ${code}`)))
  })
  for (let i = 0; i < 100; i++) {
    if (await Promise.race([redisAnswers('127.0.0.1', port, 200), failed])) return child
    await sleep(50)
  }
  child.kill()
  throw new Error(`redis-server did not answer on port ${port}`)
}

/**
 * A Redis for tests and benchmarks: REDIS_URL if set, else 127.0.0.1:6379 if it answers, else a
 * redis-server started on a free port. Sets REDIS_URL; `stop()` ends a server started here.
 */
export async function ensureRedis (): Promise<{ url: string, started: boolean, stop: () => void }> {
  const existing = process.env.REDIS_URL
  if (existing) return { url: existing, started: false, stop: () => {} }
  if (await redisAnswers('127.0.0.1', 6379)) {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379'
    return { url: process.env.REDIS_URL, started: false, stop: () => {} }
  }
  const port = await freePort()
  const child = await startRedisServer(port)
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`
  return { url: process.env.REDIS_URL, started: true, stop: () => { child.kill() } }
}
