import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { createInterface } from 'node:readline'
import { startSim, testEnv, AUTH, ORG } from '../helper.js'
import { fetchArchive, archiveBytes, archiveUrl, sha256, eventually } from './archive-client.js'

const MiB = 1024 * 1024

interface Server { base: string, child: ChildProcess, lines: string[] }

/** The real process (src/server.ts), as production runs it, against the given environment. */
async function spawnServer (t: { after: (fn: () => Promise<void> | void) => void }, env: Record<string, string | undefined>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: string[] = []
  child.stderr!.on('data', (c: Buffer) => lines.push(String(c)))
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  })
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 30 s:\n${lines.join('\n')}`)), 30_000)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${lines.join('\n')}`)) })
    createInterface({ input: child.stdout! }).on('line', line => {
      lines.push(line)
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
      if (m) { clearTimeout(timer); resolve(m[1]!) }
    })
  })
  return { base, child, lines }
}

/** Starts a request, then drops the connection once `afterBytes` of body arrived (0: right after the headers). */
function abortMidBody (url: string, afterBytes: number, headers: Record<string, string> = {}): Promise<void> {
  return new Promise(resolve => {
    const req = httpRequest(url, { headers: { ...AUTH, ...headers }, agent: false }, res => {
      let got = 0
      res.on('error', () => {})
      res.on('close', () => resolve())
      if (afterBytes === 0) { req.destroy(); return }
      res.on('data', (c: Buffer) => { got += c.length; if (got >= afterBytes) req.destroy() })
    })
    req.on('error', () => resolve())
    req.end()
  })
}

/** Runs `jobs` with at most `n` at a time. */
async function limited<T> (n: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = []
  let next = 0
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < jobs.length) {
      const i = next++
      results[i] = await jobs[i]!()
    }
  }))
  return results
}

describe('the process under odd archive requests', () => {
  it('survives mismatching validators of every shape and callers that leave, then serves byte-exact', async t => {
    const size = 64 * 1024 + 3
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: size })
    const big = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 32 * MiB, format: 'ViJsonl' })
    const expected = await archiveBytes(sim, exportId)
    const server = await spawnServer(t, testEnv(sim))
    const { base, child } = server

    const head = await fetchArchive(archiveUrl(base, exportId), { method: 'HEAD' })
    assert.equal(head.status, 200)
    const etag = head.headers.etag!
    const lastModified = Date.parse(head.headers['last-modified']!)
    const segments = etag.slice(1, -1).split('.')
    const withLast = (last: string) => `"${[...segments.slice(0, -1), last].join('.')}"`
    const validators: Array<string | undefined> = [
      undefined,
      etag,
      '"not-the-etag"',
      `W/${etag}`,
      withLast('z1'),
      withLast(`z${size}`),
      withLast('eAAAA'),
      `"vi.AAAAAAAAAAAAAAAA.${segments.at(-1)}"`,
      new Date(lastModified).toUTCString(),
      new Date(lastModified - 86_400_000).toUTCString(),
      new Date(lastModified + 86_400_000).toUTCString(),
      'garbage',
      ''
    ]
    const ranges: Array<string | undefined> = [undefined, 'bytes=0-9', 'bytes=5-', 'bytes=-10', 'bytes=0-1,5-9', `bytes=${size}-`, `bytes=${size * 10}-${size * 20}`, 'bytes=9-5', 'bytes=-0', 'items=0-9']
    const urls = [archiveUrl(base, exportId), `${base}/v1/datasets/ds1/archive?wait=0`]

    const jobs: Array<() => Promise<void>> = []
    for (const url of urls) {
      for (const method of ['GET', 'HEAD'] as const) {
        for (const ifRange of validators) {
          for (const range of ranges) {
            jobs.push(async () => {
              const headers: Record<string, string> = {}
              if (ifRange !== undefined) headers['if-range'] = ifRange
              if (range !== undefined) headers.range = range
              const label = `${method} ${url.replace(base, '')} range=${range} if-range=${ifRange}`
              const res = await fetchArchive(url, { method, headers, keep: true })
              assert.ok([200, 206, 416].includes(res.status), `${label}: ${res.status} ${res.body}`)
              if (method === 'HEAD' || res.status === 416) return
              assert.equal(res.complete, true, label)
              if (res.status === 200) {
                assert.equal(res.sha256, sha256(expected), label)
              } else {
                const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers['content-range'] ?? '')
                assert.ok(m, label)
                assert.ok(res.body.equals(expected.subarray(Number(m[1]), Number(m[2]) + 1)), label)
              }
            })
          }
        }
      }
    }
    // Storage that ignores Range (vi-bff cuts the window itself), mixed into the run.
    sim.fault({ target: 'storage', ignoreRange: true, times: 20 })
    await limited(8, jobs).catch(err => {
      // A dead process shows up as refused connections: report why it died instead.
      if (child.exitCode !== null) assert.fail(`the process exited (${child.exitCode}):\n${server.lines.join('\n')}`)
      throw err
    })
    assert.equal(child.exitCode, null, `the process exited:\n${server.lines.join('\n')}`)

    // Callers that leave: right after the headers, mid-body, mid-body of a window cut from a full answer,
    // and during an If-Range restart.
    const aborts: Array<() => Promise<void>> = []
    for (let i = 0; i < 4; i++) {
      aborts.push(() => abortMidBody(archiveUrl(base, big), 0))
      aborts.push(() => abortMidBody(archiveUrl(base, big), 1 * MiB))
      aborts.push(() => abortMidBody(archiveUrl(base, big), 64 * 1024, { range: 'bytes=1000-' }))
      aborts.push(() => abortMidBody(`${base}/v1/datasets/ds1/archive?annotationsOnly=true`, 256 * 1024, { range: 'bytes=0-9', 'if-range': withLast('z1') }))
    }
    sim.fault({ target: 'storage', ignoreRange: true, times: 4 })
    await limited(8, aborts)

    // Sockets of completed transfers idle for the storage agent's keep-alive (4 s, undici's timers tick about once a
    // second) before they close; a leaked one never does. The bound leaves room for a loaded machine.
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 15_000), `${sim.openStorageSockets()} storage sockets left open`)
    assert.equal(child.exitCode, null, `the process exited:\n${server.lines.join('\n')}`)
    const health = await fetch(`${base}/healthz`)
    assert.equal(health.status, 200)
    const whole = await fetchArchive(archiveUrl(base, big))
    assert.equal(whole.status, 200)
    assert.equal(whole.bytes, 32 * MiB)
    assert.equal(whole.sha256, sim.archiveSha256(ORG, big))
    const logs = server.lines.join('\n')
    assert.ok(!/uncaught|"level":(50|60)/.test(logs), logs.split('\n').filter(l => /uncaught|"level":(50|60)/.test(l)).join('\n'))
  })
})
