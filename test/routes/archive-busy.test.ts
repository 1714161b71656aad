import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { startSim, build, AUTH, ORG } from '../helper.js'
import { listen, fetchArchive, archiveUrl, eventually } from './archive-client.js'

const MiB = 1024 * 1024

describe('storage connections held by slow readers', () => {
  it('answers 503 BFF_STORAGE_BUSY with Retry-After after ARCHIVE_QUEUE_TIMEOUT_MS, and serves again once a connection frees', { timeout: 30_000 }, async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const big = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 256 * MiB })
    const small = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 2 * MiB + 5 })
    const { app } = await build(t, sim, { ARCHIVE_CONNECTIONS: '1', ARCHIVE_QUEUE_TIMEOUT_MS: '300' })
    const base = await listen(app)

    // A reader that takes the headers and then never reads: it holds the only storage connection.
    let held: IncomingMessage | undefined
    const req = httpRequest(archiveUrl(base, big), { headers: AUTH, agent: false }, res => {
      held = res
      res.pause()
      res.on('error', () => {})
    })
    req.on('error', () => {})
    req.end()
    assert.ok(await eventually(() => held !== undefined && sim.openStorageSockets() === 1, 3000))

    const started = Date.now()
    const busy = await fetchArchive(archiveUrl(base, small), { keep: true })
    const took = Date.now() - started
    assert.equal(busy.status, 503)
    assert.match(busy.headers['content-type'] ?? '', /problem\+json/)
    assert.equal(JSON.parse(busy.body.toString()).code, 'BFF_STORAGE_BUSY')
    assert.ok(Number(busy.headers['retry-after']) >= 1, `Retry-After ${busy.headers['retry-after']}`)
    assert.ok(took >= 250 && took < 3000, `answered after ${took} ms`)
    const metrics = await app.inject({ url: '/metrics' })
    assert.match(metrics.body, /vibff_archive_storage_busy_total 1/)

    req.destroy()
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 3000), 'the held download ended')
    const after = await fetchArchive(archiveUrl(base, small))
    assert.equal(after.status, 200)
    assert.equal(after.complete, true)
    assert.equal(after.sha256, sim.archiveSha256(ORG, small))
  })
})
