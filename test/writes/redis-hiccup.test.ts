import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Redis } from 'ioredis'
import { freePort, startRedisServer } from '../../scripts/redis.js'
import { startSim, build, AUTH, ORG, apiCalls, sleep } from '../helper.js'

const EXPORTS = `/workspaces/${ORG}/datasets/${ORG}_ds-1/datasetExports`
type App = Awaited<ReturnType<typeof build>>['app']
const post = (app: App, key: string) =>
  app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, 'idempotency-key': key }, payload: { format: 'VI_JSONL' } })

/** Retries with the key as a careful client does until it is neither 409 nor 503 (or `ms` pass); returns the last answer. */
async function retryUntilFree (app: App, key: string, ms: number) {
  const until = Date.now() + ms
  for (;;) {
    const res = await post(app, key)
    if ((res.statusCode !== 409 && res.statusCode !== 503) || Date.now() > until) return res
    await sleep(250)
  }
}

describe('Idempotency-Key after a Redis hiccup (own redis-server, CLIENT PAUSE)', () => {
  async function setup (t: import('node:test').TestContext) {
    const port = await freePort()
    const redis = await startRedisServer(port)
    t.after(() => { redis.kill('SIGKILL') })
    const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true })
    await admin.connect()
    t.after(() => admin.disconnect())
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app } = await build(t, sim, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: '1000' })
    // Warm: connections open, scripts loaded.
    assert.equal((await post(app, 'warm')).statusCode, 202)
    return { sim, app, admin }
  }

  it('a marker whose claim landed after its answer timed out (503) is removed once Redis answers: the retry runs, not 409 for IDEMPOTENCY_LOCK_S', async t => {
    const { sim, app, admin } = await setup(t)
    // Commands queue while paused and run afterwards: the claim times out for vi-bff yet lands later.
    await admin.call('CLIENT', 'PAUSE', '2500', 'ALL')
    const failed = await post(app, 'hiccup-claim')
    assert.equal(failed.statusCode, 503, failed.body)
    assert.equal(failed.json().code, 'BFF_IDEMPOTENCY_UNAVAILABLE')
    assert.equal(apiCalls(sim, 'POST', EXPORTS), 1, 'nothing sent upstream')
    const res = await retryUntilFree(app, 'hiccup-claim', 15_000)
    assert.equal(res.statusCode, 202, res.body)
    assert.equal(res.headers['idempotent-replayed'], undefined)
    assert.equal(apiCalls(sim, 'POST', EXPORTS), 2)
  })

  it('a marker whose release failed after a failure that never reached the Vi API is removed once Redis answers', async t => {
    const { sim, app, admin } = await setup(t)
    // The upstream refuses (429: nothing created) while Redis pauses: the release of the marker times out.
    sim.fault({ method: 'POST', path: EXPORTS, status: 429, headers: { 'retry-after': '100' }, delayMs: 400, times: 1 })
    const pending = post(app, 'hiccup-release')
    await sleep(150)
    await admin.call('CLIENT', 'PAUSE', '6000', 'ALL')
    const failed = await pending
    assert.equal(failed.statusCode, 503, failed.body)
    assert.equal(failed.json().code, 'BFF_UPSTREAM_RATE_LIMITED')
    const res = await retryUntilFree(app, 'hiccup-release', 15_000)
    assert.equal(res.statusCode, 202, res.body)
    assert.equal(apiCalls(sim, 'POST', EXPORTS), 3)
  })
})
