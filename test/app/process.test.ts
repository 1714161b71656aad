import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import type { SimUpstream } from '../../sim/index.js'
import { prettyTransport, connectionCap } from '../../src/server.js'
import { startSim, testEnv, AUTH, KEY, ORG, OTHER_SECRET, apiCalls, sleep } from '../helper.js'

interface Running {
  child: ChildProcess
  port: number
  logs: () => Array<Record<string, unknown>>
  exited: Promise<{ code: number | null, at: number }>
}

/** vi-bff as production runs it (src/server.ts), against the sim; `shell` may wrap the command (ulimit). */
async function startProcess (t: TestContext, sim: SimUpstream, env: Record<string, string> = {}, shell?: string): Promise<Running> {
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...testEnv(sim), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }
  const args = ['--import', 'tsx', 'src/server.ts']
  const child = shell
    ? spawn('sh', ['-c', `${shell} && exec "${process.execPath}" ${args.join(' ')}`], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  child.stdout!.on('data', chunk => { out += String(chunk) })
  child.stderr!.on('data', chunk => { out += String(chunk) })
  const exited = new Promise<{ code: number | null, at: number }>(resolve => child.once('exit', code => resolve({ code, at: performance.now() })))
  const logs = () => out.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as Record<string, unknown>)
  const started = performance.now()
  while (performance.now() - started < 30_000) {
    const listening = logs().find(l => String(l.msg).startsWith('Server listening at'))
    if (listening) return { child, port: Number(/:(\d+)$/.exec(String(listening.msg))![1]), logs, exited }
    if (child.exitCode !== null) break
    await sleep(50)
  }
  throw new Error(`vi-bff did not start: ${out}`)
}

/** A raw keep-alive connection: write requests, read whole responses (Content-Length framed). */
class Connection {
  readonly socket: Socket
  private buffer = Buffer.alloc(0)
  private waiters: Array<() => void> = []
  closed = false

  constructor (port: number) {
    this.socket = connect({ port, host: '127.0.0.1' })
    this.socket.on('data', chunk => { this.buffer = Buffer.concat([this.buffer, chunk]); this.wake() })
    this.socket.on('close', () => { this.closed = true; this.wake() })
    this.socket.on('error', () => {})
  }

  private wake () { for (const w of this.waiters.splice(0)) w() }

  async response (timeoutMs = 20_000): Promise<{ status: number, headers: Record<string, string>, body: string }> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end !== -1) {
        const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n')
        const headers = Object.fromEntries(lines.map(l => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
        const length = Number(headers['content-length'] ?? 0)
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.subarray(end + 4, end + 4 + length).toString()
          this.buffer = this.buffer.subarray(end + 4 + length)
          return { status: Number(statusLine!.split(' ')[1]), headers, body }
        }
      }
      if (this.closed) throw new Error('connection closed before a complete response')
      if (performance.now() > deadline) throw new Error('no response in time')
      await new Promise<void>(resolve => { this.waiters.push(resolve); setTimeout(resolve, 100) })
    }
  }

  async untilClosed (timeoutMs = 20_000) {
    const deadline = performance.now() + timeoutMs
    while (!this.closed && performance.now() < deadline) await sleep(20)
    return this.closed
  }
}

const get = (path: string, headers: Record<string, string> = {}) =>
  `GET ${path} HTTP/1.1\r\nHost: vi-bff\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`

async function until (condition: () => boolean, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached in time')
    await sleep(20)
  }
}

describe('the process (src/server.ts)', () => {
  it('exits 0 soon after SIGTERM with keep-alive connections open: the idle one closed at once, the busy one after its response', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const grace = 15_000
    const vi = await startProcess(t, sim, { SHUTDOWN_GRACE_MS: String(grace) })
    const idle = new Connection(vi.port)
    const busy = new Connection(vi.port)
    for (const c of [idle, busy]) {
      c.socket.write(get('/v1/datasets/ds1', AUTH))
      assert.equal((await c.response()).status, 200)
    }
    sim.fault({ path: /ds1$/, delayMs: 1000, times: 1 })
    const calls = apiCalls(sim)
    busy.socket.write(get('/v1/datasets/ds1', { ...AUTH, 'cache-control': 'no-cache' }))
    await until(() => apiCalls(sim) > calls)
    const signalled = performance.now()
    vi.child.kill('SIGTERM')
    assert.ok(await idle.untilClosed(2000), 'idle connection still open')
    const last = await busy.response()
    assert.equal(last.status, 200)
    assert.equal(last.headers.connection, 'close')
    assert.ok(await busy.untilClosed(2000), 'busy connection still open after its response')
    const { code, at } = await vi.exited
    assert.equal(code, 0)
    assert.ok(at - signalled < grace / 2, `exited after ${Math.round(at - signalled)} ms`)
  })

  it('drains on SIGTERM: the in-flight request completes with Connection: close, a request arriving on an open connection gets 503, /readyz turns 503, then exit 0', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const vi = await startProcess(t, sim, { SHUTDOWN_GRACE_MS: '15000' })
    const busy = new Connection(vi.port)
    busy.socket.write(get('/v1/datasets/ds1', AUTH))
    assert.equal((await busy.response()).status, 200)
    // Both requests below are still arriving when SIGTERM comes: not idle, so not closed at once.
    const late = new Connection(vi.port)
    const probe = new Connection(vi.port)
    late.socket.write('GET /v1/datasets/ds1 HTTP/1.1\r\nHost: vi-bff\r\n')
    probe.socket.write('GET /readyz HTTP/1.1\r\n')
    sim.fault({ path: /ds1$/, delayMs: 1500, times: 1 })
    const calls = apiCalls(sim)
    busy.socket.write(get('/v1/datasets/ds1', { ...AUTH, 'cache-control': 'no-cache' }))
    await until(() => apiCalls(sim) > calls)
    vi.child.kill('SIGTERM')
    await sleep(300)
    late.socket.write(`Authorization: Bearer ${KEY}\r\n\r\n`)
    probe.socket.write('Host: vi-bff\r\n\r\n')

    const refused = await late.response()
    assert.equal(refused.status, 503)
    assert.equal(refused.headers.connection, 'close')
    assert.equal(refused.headers['retry-after'], '1')
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(JSON.parse(refused.body).code, 'BFF_SHUTTING_DOWN')
    const readiness = await probe.response()
    assert.equal(readiness.status, 503)
    assert.equal(JSON.parse(readiness.body).status, 'draining')

    const inFlight = await busy.response()
    assert.equal(inFlight.status, 200)
    assert.equal(inFlight.headers.connection, 'close')
    assert.equal(JSON.parse(inFlight.body).datasetId, 'ds1')
    assert.equal((await vi.exited).code, 0)
  })

  it('cuts an archive stream still open when SHUTDOWN_GRACE_MS ends, then exits 0 before its own deadline', async t => {
    const sim = await startSim(t, { defaultArchiveSize: 64 * 1024 * 1024 })
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready' })
    const grace = 1500
    const vi = await startProcess(t, sim, { SHUTDOWN_GRACE_MS: String(grace) })
    const reader = new Connection(vi.port)
    reader.socket.write(get(`/v1/datasets/ds1/exports/${exportId}/archive`, AUTH))
    await until(() => apiCalls(sim) > 0 && sim.count({ target: 'storage' }) > 0)
    await sleep(200)
    reader.socket.pause()
    const signalled = performance.now()
    vi.child.kill('SIGTERM')
    const { code, at } = await vi.exited
    assert.equal(code, 0)
    assert.ok(at - signalled >= grace - 100, `exited after ${Math.round(at - signalled)} ms`)
    assert.ok(vi.logs().some(l => String(l.msg).includes('shutdown grace over')))
  })

  it('stays ready with the upstream "down" while the sim is stopped, and lowers MAX_CONNECTIONS under the open-files limit', async t => {
    const sim = await startSim(t)
    const vi = await startProcess(t, sim, {}, 'ulimit -n 512')
    await sim.close()
    const probe = new Connection(vi.port)
    probe.socket.write(get('/readyz'))
    const res = await probe.response()
    assert.equal(res.status, 200)
    assert.deepEqual(JSON.parse(res.body).checks.upstream, 'down')
    const lowered = vi.logs().find(l => l.msg === 'MAX_CONNECTIONS lowered to stay under the open-files limit')
    assert.ok(lowered)
    assert.equal(lowered.maxConnections, 192)
  })

  it('is unready (503, "rejected") when the upstream refuses vi-bff\'s secret key', async t => {
    const sim = await startSim(t)
    const vi = await startProcess(t, sim, { DATATURE_VI_SECRET_KEY: OTHER_SECRET })
    const probe = new Connection(vi.port)
    probe.socket.write(get('/readyz'))
    const res = await probe.response()
    assert.equal(res.status, 503)
    assert.equal(JSON.parse(res.body).checks.upstream, 'rejected')
  })

  it('closes a connection that sends no request within HTTP_HEADERS_TIMEOUT_MS', async t => {
    const sim = await startSim(t)
    const vi = await startProcess(t, sim, { HTTP_HEADERS_TIMEOUT_MS: '500' })
    const silent = new Connection(vi.port)
    assert.ok(await silent.untilClosed(5000), 'still open after 5 s')
  })
})

describe('process settings', () => {
  it('uses pino-pretty only on a terminal and only when it is installed', () => {
    assert.deepEqual(prettyTransport(true), { transport: { target: 'pino-pretty' } })
    assert.deepEqual(prettyTransport(false), {})
    const missing = (id: string): string => { throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' }) }
    assert.deepEqual(prettyTransport(true, missing), {})
  })

  it('keeps MAX_CONNECTIONS well under the open-files limit', () => {
    assert.equal(connectionCap(8192, undefined), 8192)
    assert.equal(connectionCap(8192, 1_048_576), 8192)
    assert.equal(connectionCap(8192, 1024), 448)
    assert.equal(connectionCap(100, 1024), 100)
  })
})
