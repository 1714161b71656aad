import { describe, it, beforeEach, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { request as httpRequest, type IncomingMessage, type ClientRequest } from 'node:http'
import { Redis } from 'ioredis'
import { startSim, build, AUTH, READ_KEY, ORG, redisUrl, sleep } from '../helper.js'
import { listen, fetchArchive, archiveUrl } from '../routes/archive-client.js'
import { leaseKey } from '../../src/limits/caps.js'

const MiB = 1024 * 1024
const READER = { authorization: `Bearer ${READ_KEY}` }

const held = new Set<ClientRequest>()

/** Opens a GET and stops reading after the headers: the transfer stays open until `close()` (or the test ends). */
function hold (url: string, headers: Record<string, string> = AUTH): Promise<{ res: IncomingMessage, close: () => void }> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest(url, { headers }, res => {
      held.add(req)
      res.pause()
      resolve({ res, close: () => req.destroy() })
    })
    req.on('error', err => { if (!req.destroyed) reject(err) })
    req.end()
  })
}

async function status (url: string, headers: Record<string, string> = AUTH) {
  const res = await fetch(url, { headers })
  // Headers are the answer; an event stream never ends by itself.
  await res.body?.cancel()
  return { status: res.status, retryAfter: res.headers.get('retry-after') }
}

describe('concurrency caps per caller', () => {
  // Before the apps close (after hooks run in registration order), so no held transfer keeps a server open.
  beforeEach(t => { (t as TestContext).after(() => { for (const req of held) req.destroy(); held.clear() }) })

  it('refuses a download over ARCHIVE_MAX_PER_CALLER with 429 and frees the slot when a transfer is aborted or ends', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const big = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 64 * MiB })
    const small = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 64 * 1024 })
    const { app } = await build(t, sim, { ARCHIVE_MAX_PER_CALLER: '2' })
    const base = await listen(app)
    // A capped archive response has one 'close' listener per concern (Node's stream piping, connection tracking, the
    // cap lease, the caller-gone signal), under Node's warning threshold of 10 per emitter.
    const warnings: string[] = []
    const onWarning = (w: Error) => { if (w.name === 'MaxListenersExceededWarning') warnings.push(w.message) }
    process.on('warning', onWarning)
    t.after(() => { process.off('warning', onWarning) })
    const first = await hold(archiveUrl(base, big))
    const second = await hold(archiveUrl(base, big))
    assert.equal(first.res.statusCode, 200)
    assert.equal(second.res.statusCode, 200)
    const refused = await fetch(archiveUrl(base, small), { headers: AUTH })
    assert.equal(refused.status, 429)
    assert.equal(refused.headers.get('retry-after'), '5')
    assert.equal(((await refused.json()) as { code: string }).code, 'BFF_RATE_LIMITED')
    // The one-call route shares the cap; another caller has its own.
    assert.equal((await status(`${base}/v1/datasets/ds1/archive`)).status, 429)
    assert.equal((await status(archiveUrl(base, small), READER)).status, 200)
    // HEAD transfers nothing and takes no slot.
    assert.equal((await fetch(archiveUrl(base, small), { method: 'HEAD', headers: AUTH })).status, 200)

    first.close()
    let after = 0
    for (let i = 0; i < 100 && after !== 200; i++) {
      after = (await fetchArchive(archiveUrl(base, small))).status
      if (after !== 200) await sleep(20)
    }
    assert.equal(after, 200, 'an aborted download frees its slot')
    // That completed download freed its slot too: with `second` still held, one more fits, then none.
    const third = await hold(archiveUrl(base, big))
    assert.equal(third.res.statusCode, 200)
    assert.equal((await status(archiveUrl(base, small))).status, 429)
    second.close()
    third.close()
    await sleep(50)
    assert.deepEqual(warnings, [])
  })

  it('caps event streams with EVENTS_MAX_PER_CALLER and frees them when the caller goes away', async t => {
    const sim = await startSim(t, { exportReadyAfterMs: 600_000 })
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'pending' })
    const { app } = await build(t, sim, { EVENTS_MAX_PER_CALLER: '1' })
    const base = await listen(app)
    const url = `${base}/v1/datasets/ds1/exports/${exportId}/events`
    const stream = await hold(url)
    assert.equal(stream.res.statusCode, 200)
    const refused = await status(url)
    assert.equal(refused.status, 429)
    assert.equal(refused.retryAfter, '5')
    stream.close()
    let again: Awaited<ReturnType<typeof hold>> | undefined
    for (let i = 0; i < 100; i++) {
      again = await hold(url)
      if (again.res.statusCode === 200) break
      again.close()
      await sleep(20)
    }
    assert.equal(again?.res.statusCode, 200)
  })

  it('holds the cap across two replicas sharing Redis, and a lease left by a replica that is gone expires', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const big = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 64 * MiB })
    const small = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 64 * 1024 })
    const prefix = `test:${randomUUID()}:`
    const env = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix, ARCHIVE_MAX_PER_CALLER: '1', LIMITS_LEASE_TTL_MS: '1000' }
    const a = await listen((await build(t, sim, env)).app)
    const b = await listen((await build(t, sim, env)).app)

    const held = await hold(archiveUrl(a, big))
    assert.equal(held.res.statusCode, 200)
    assert.equal((await status(archiveUrl(b, small))).status, 429)
    // Renewed while the transfer runs: still held after several lease lifetimes.
    await sleep(2500)
    assert.equal((await status(archiveUrl(b, small))).status, 429)
    held.close()
    assert.ok(await eventuallyAsync(async () => (await status(archiveUrl(b, small))).status === 200, 3000), 'freed across replicas')

    // A replica that died mid-download left its lease behind, scored with an expiry it no longer renews.
    const redis = new Redis(redisUrl())
    t.after(() => redis.disconnect())
    const [seconds] = await redis.time()
    await redis.zadd(leaseKey(`${prefix}limits:${ORG}:`, 'archives', 'apiKey:all'), Number(seconds) * 1000 + 1500, 'lease-of-a-dead-replica')
    assert.equal((await status(archiveUrl(b, small))).status, 429)
    assert.ok(await eventuallyAsync(async () => (await status(archiveUrl(a, small))).status === 200, 4000), 'the dead lease lapsed')
  })
})

async function eventuallyAsync (check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await sleep(50)
  }
  return false
}
