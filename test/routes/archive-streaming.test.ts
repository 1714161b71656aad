import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { spawnSync, execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { startSim, build, testEnv, AUTH, KEY, ORG } from '../helper.js'
import { loadConfig } from '../../src/config.js'
import app, { serverOptions } from '../../src/app.js'
import { listen, fetchArchive, archiveUrl, sha256, eventually, storageRequests } from './archive-client.js'

const MiB = 1024 * 1024
const hasCurl = spawnSync('curl', ['--version']).status === 0

describe('archive streaming', () => {
  it('relays a 384 MiB archive byte-exact while RSS stays flat', async t => {
    const size = 384 * MiB
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: size })
    const expected = sim.archiveSha256(ORG, exportId)
    const { app } = await build(t, sim)
    const base = await listen(app)

    // Storage, vi-bff and this client share one process, so RSS covers all three. The bound is generous on
    // purpose: it is about buffering (a buffered archive would add hundreds of MiB), not a timing or a GC
    // detail. Sampled every 20 ms; the peak growth over the baseline is what counts.
    await fetchArchive(archiveUrl(base, exportId), { headers: { range: 'bytes=0-1048575' } }) // warm up sockets and code
    const baseline = process.memoryUsage().rss
    let peak = baseline
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
    const started = performance.now()
    const res = await fetchArchive(archiveUrl(base, exportId))
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    assert.equal(res.status, 200)
    assert.equal(res.complete, true)
    assert.equal(res.bytes, size)
    assert.equal(res.sha256, expected)
    const growth = (peak - baseline) / MiB
    t.diagnostic(`384 MiB in ${seconds.toFixed(2)} s (${(384 / seconds).toFixed(0)} MiB/s, all in one process); peak RSS growth ${growth.toFixed(1)} MiB`)
    // Half the archive: Node 24's V8 keeps more young-generation memory than Node 20's under load.
    assert.ok(growth < 192, `RSS grew ${growth.toFixed(1)} MiB`)
  })

  it('destroys the caller\'s connection when storage fails mid-body: an incomplete transfer, never a short 200', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 4 * MiB })
    const { app, logs } = await build(t, sim)
    const base = await listen(app)
    sim.fault({ target: 'storage', drop: 'mid-body', afterBytes: 1 * MiB, times: 1 })
    const res = await fetchArchive(archiveUrl(base, exportId))
    assert.equal(res.status, 200)
    assert.equal(res.headers['content-length'], String(4 * MiB))
    assert.equal(res.complete, false)
    assert.ok(res.bytes <= 1 * MiB, `${res.bytes} bytes`)
    await assert.rejects(async () => {
      sim.fault({ target: 'storage', drop: 'mid-body', afterBytes: 1000, times: 1 })
      const r = await fetch(archiveUrl(base, exportId), { headers: AUTH })
      await r.arrayBuffer()
    }, 'fetch() sees the transfer fail too')
    assert.ok(await eventually(() => logs.some(l => l.includes('archive storage failed after the headers')), 1000))
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 5000))
  })

  it('resumes a cut download with Range and If-Range to the exact archive', async t => {
    const size = 3 * MiB + 17
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: size })
    const { app } = await build(t, sim)
    const base = await listen(app)
    sim.fault({ target: 'storage', drop: 'mid-body', afterBytes: 1_234_567, times: 1 })
    const cut = await fetchArchive(archiveUrl(base, exportId), { keep: true })
    assert.equal(cut.complete, false)
    const rest = await fetchArchive(archiveUrl(base, exportId), { headers: { range: `bytes=${cut.bytes}-`, 'if-range': cut.headers.etag! }, keep: true })
    assert.equal(rest.status, 206)
    assert.equal(rest.headers['content-range'], `bytes ${cut.bytes}-${size - 1}/${size}`)
    assert.equal(sha256(Buffer.concat([cut.body, rest.body])), sim.archiveSha256(ORG, exportId))
  })

  it('resumes with a plain `curl -C -` after a cut, also when the signed URL expired meanwhile', { skip: !hasCurl && 'curl is not installed' }, async t => {
    const size = 5 * MiB
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: size })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const dir = await mkdtemp(join(tmpdir(), 'vi-bff-resume-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const file = join(dir, 'x.zip')
    const curl = (...args: string[]) => new Promise<number>(resolve => {
      execFile('curl', ['-s', '-o', file, '-H', `Authorization: Bearer ${KEY}`, ...args, archiveUrl(base, exportId)], err => resolve(err ? (err as { code?: number }).code ?? 1 : 0))
    })
    sim.fault({ target: 'storage', drop: 'mid-body', afterBytes: 2 * MiB, times: 1 })
    assert.equal(await curl(), 18, 'curl reports a partial file')
    const partial = (await stat(file)).size
    assert.ok(partial > 0 && partial < size, `${partial} bytes`)
    sim.expireUrls(ORG, exportId)
    assert.equal(await curl('-C', '-'), 0)
    assert.equal(storageRequests(sim).at(-1)!.headers.range, `bytes=${partial}-`)
    assert.equal(sha256(await readFile(file)), sim.archiveSha256(ORG, exportId))
  })

  it('aborts the storage request within a second of the caller leaving, leaving no socket behind', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 256 * MiB })
    const { app, logs } = await build(t, sim)
    const base = await listen(app)
    for (let i = 0; i < 3; i++) {
      const res = await fetchArchive(archiveUrl(base, exportId), { abortAfter: 2 * MiB })
      assert.equal(res.status, 200)
      const left = performance.now()
      assert.ok(await eventually(() => sim.openStorageSockets() === 0, 1000), 'storage saw the abort within 1 s')
      t.diagnostic(`storage socket closed ${(performance.now() - left).toFixed(0)} ms after the caller left`)
    }
    assert.ok(logs.some(l => l.includes('archive caller disconnected')))
  })

  it('leaves no storage socket open after many concurrent aborted downloads', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 1024 * MiB })
    const { app } = await build(t, sim)
    const base = await listen(app)
    let started = 0
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (started < 40) {
        started++
        const res = await fetchArchive(archiveUrl(base, exportId), { abortAfter: 1 * MiB })
        assert.equal(res.status, 200)
      }
    }))
    assert.equal(sim.count({ target: 'storage' }), 40)
    // undici reconnects after an abort (nodejs/undici#5845); vi-bff closes such unused sockets within a second.
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 10_000), `${sim.openStorageSockets()} storage sockets still open`)
  })

  it('aborts the storage request when the caller leaves before storage answered', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 1 * MiB })
    const { app } = await build(t, sim)
    const base = await listen(app)
    sim.fault({ target: 'storage', delayMs: 5000, times: 1 })
    const req = httpRequest(archiveUrl(base, exportId), { headers: AUTH })
    req.on('error', () => {})
    req.end()
    assert.ok(await eventually(() => sim.openStorageSockets() === 1, 2000), 'vi-bff reached storage')
    req.destroy()
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 1000), 'and let go within 1 s')
  })

  it('never cuts a slow but live download; disconnects a caller that stops reading', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const small = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 3 * MiB })
    const big = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 256 * MiB })
    // The server as server.ts builds it, with its timeouts shortened so the test is quick.
    const config = loadConfig(testEnv(sim, { ARCHIVE_IDLE_TIMEOUT_MS: '700' }))
    const server = Fastify({ ...serverOptions(config), requestTimeout: 1000, connectionTimeout: 0, keepAliveTimeout: 500 })
    await server.register(app, { config })
    t.after(() => server.close())
    const base = await listen(server)

    // ~1.2 MiB/s for 2.5 s: longer than requestTimeout and keepAliveTimeout, never idle as long as the idle timeout.
    const slow = await new Promise<{ bytes: number, complete: boolean, sha: string }>((resolve, reject) => {
      const chunks: Buffer[] = []
      const req = httpRequest(archiveUrl(base, small), { headers: AUTH }, res => {
        res.on('data', (c: Buffer) => {
          chunks.push(c)
          res.pause()
          setTimeout(() => res.resume(), 50)
        })
        res.on('close', () => resolve({ bytes: chunks.reduce((n, c) => n + c.length, 0), complete: res.complete, sha: sha256(Buffer.concat(chunks)) }))
      })
      req.on('error', reject)
      req.end()
    })
    assert.equal(slow.complete, true)
    assert.equal(slow.bytes, 3 * MiB)
    assert.equal(slow.sha, sim.archiveSha256(ORG, small))

    // A caller that never reads: once the socket buffers are full nothing moves, and the idle timeout ends it.
    let response: import('node:http').IncomingMessage | undefined
    const req = httpRequest(archiveUrl(base, big), { headers: AUTH }, res => {
      response = res
      res.pause()
      res.on('error', () => {})
    })
    req.on('error', () => {})
    req.end()
    const started = performance.now()
    assert.ok(await eventually(() => response !== undefined && sim.openStorageSockets() === 1, 2000))
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 8000), 'the storage request ended')
    t.diagnostic(`stalled caller cut after ${(performance.now() - started).toFixed(0)} ms (idle timeout 700 ms, plus filling the socket buffers)`)
    const complete = await new Promise<boolean>(resolve => {
      response!.on('close', () => resolve(response!.complete))
      response!.resume()
    })
    assert.equal(complete, false, 'and the caller sees an incomplete transfer')
  })
})
