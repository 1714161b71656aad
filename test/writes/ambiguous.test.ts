import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, redisUrl, apiCalls, sleep } from '../helper.js'
import type { FaultRule } from '../../sim/index.js'

const EXPORTS = `/workspaces/${ORG}/datasets/${ORG}_ds-1/datasetExports`
const SESSIONS = /deleteManyAssetsSessions$/

type App = Awaited<ReturnType<typeof build>>['app']
const createExport = (app: App, key?: string) =>
  app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, ...(key ? { 'idempotency-key': key } : {}) }, payload: { format: 'VI_JSONL' } })
const deleteAssets = (app: App, key: string) =>
  app.inject({ method: 'POST', url: '/v1/datasets/ds-1/asset-deletions', headers: { ...AUTH, 'idempotency-key': key }, payload: { filter: '{"status": "error"}' } })

for (const backend of ['memory', 'redis'] as const) {
  describe(`keyed writes under ambiguous failures (${backend})`, () => {
    const env = () => (backend === 'redis' ? { REDIS_URL: redisUrl() } : {})

    it('never adopts an export another request created (unkeyed or another key): the ambiguity is answered visibly, not stored (a retry runs)', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      // The keyed creation fails (not performed) slowly; meanwhile two other requests create exports with the same settings.
      sim.fault({ method: 'POST', path: EXPORTS, status: 502, delayMs: 800, times: 1 })
      const keyed = createExport(app, 'mine')
      await sleep(150)
      const [unkeyed, other] = await Promise.all([createExport(app), createExport(app, 'theirs')])
      assert.equal(unkeyed.statusCode, 202)
      assert.equal(other.statusCode, 202)
      const res = await keyed
      assert.equal(res.statusCode, 502, res.body)
      assert.equal(res.json().code, 'BFF_UPSTREAM_ERROR')
      assert.match(res.json().detail, /may or may not have been carried out/)
      assert.equal(sim.writes(ORG).exports.length, 2)
      assert.match(res.json().detail, /A failure does not use up the Idempotency-Key/)
      const retry = await createExport(app, 'mine')
      assert.equal(retry.statusCode, 202, retry.body)
      assert.equal(retry.headers['idempotent-replayed'], undefined)
      assert.equal(apiCalls(sim, 'POST', EXPORTS), 4)
      assert.equal(sim.writes(ORG).exports.length, 3)
      // Its own export, not one of the other two.
      assert.ok(![unkeyed.json().datasetExportId, other.json().datasetExportId].includes(retry.json().datasetExportId))
    })

    it('two keyed creations both ambiguous (performed, answer lost): each adopts its own export, never the same one', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      sim.fault({ method: 'POST', path: EXPORTS, perform: true, status: 502, times: 2 })
      const [a, b] = await Promise.all([createExport(app, 'a'), createExport(app, 'b')])
      assert.equal(a.statusCode, 202, a.body)
      assert.equal(b.statusCode, 202, b.body)
      assert.notEqual(a.json().datasetExportId, b.json().datasetExportId)
      assert.deepEqual(sim.writes(ORG).exports.map(e => e.id).sort(), [a.json().datasetExportId, b.json().datasetExportId].sort())
    })

    // An asset deletion the Vi API carried out but whose answer vi-bff could not use: lost (502, reset) or unreadable
    // (2xx, not JSON). `status`/`code`: what the caller is told where it is known exactly (a lost answer may be 502-504).
    const performedDeletions: Array<{ answer: string, fault: Pick<FaultRule, 'status' | 'drop' | 'body'>, status?: number, code?: string }> = [
      { answer: 'lost (502)', fault: { status: 502 } },
      { answer: 'lost (connection reset)', fault: { drop: 'reset' } },
      { answer: '2xx with an unreadable body', fault: { status: 201, body: 'not json' }, status: 502, code: 'BFF_UPSTREAM_BAD_RESPONSE' }
    ]
    for (const c of performedDeletions) {
      it(`answers an asset deletion performed upstream whose answer was ${c.answer} visibly, saying it may have happened, and does not store it: a retry with the key runs (design.md)`, async t => {
        const sim = await startSim(t)
        sim.addDataset(ORG, { id: 'ds-1' })
        const { app } = await build(t, sim, env())
        sim.fault({ method: 'POST', path: SESSIONS, perform: true, times: 1, ...c.fault })
        const failed = await deleteAssets(app, 'del-amb')
        if (c.status) assert.equal(failed.statusCode, c.status, failed.body)
        else assert.ok(failed.statusCode >= 502 && failed.statusCode <= 504, failed.body)
        if (c.code) assert.equal(failed.json().code, c.code)
        assert.match(failed.json().detail, /may or may not have been carried out/)
        assert.match(failed.json().detail, /GET \/v1\/datasets\/ds-1/)
        assert.equal(failed.headers['retry-after'], undefined)
        const retry = await deleteAssets(app, 'del-amb')
        assert.equal(retry.statusCode, 202, retry.body)
        assert.equal(retry.headers['idempotent-replayed'], undefined)
        // The retry's answer is stored: a third request replays it.
        const again = await deleteAssets(app, 'del-amb')
        assert.equal(again.headers['idempotent-replayed'], 'true')
        assert.equal(again.body, retry.body)
        assert.equal(apiCalls(sim, 'POST', SESSIONS), 2)
        assert.equal(sim.writes(ORG).sessions.length, 2)
      })
    }

    it('reconciles an export creation answered 2xx with an unreadable body to the export it made', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      sim.fault({ method: 'POST', path: EXPORTS, perform: true, status: 201, body: 'not json', times: 1 })
      const res = await createExport(app, 'exp-bad')
      assert.equal(res.statusCode, 202, res.body)
      assert.deepEqual(sim.writes(ORG).exports.map(e => e.id), [res.json().datasetExportId])
    })

    it('frees the key of an asset deletion that certainly did not reach the Vi API (429): the retry runs', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      sim.fault({ method: 'POST', path: SESSIONS, status: 429, headers: { 'retry-after': '100' }, times: 1 })
      assert.equal((await deleteAssets(app, 'del-429')).statusCode, 503)
      const retry = await deleteAssets(app, 'del-429')
      assert.equal(retry.statusCode, 202, retry.body)
      assert.equal(retry.headers['idempotent-replayed'], undefined)
      assert.equal(sim.writes(ORG).sessions.length, 1)
    })
  })
}

describe('keyed writes whose caller left or whose deadline passed mid-write (redis)', () => {
  it('a request deadline passing while an asset deletion is in flight: a 504 saying it may have happened, not stored', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app } = await build(t, sim, { REDIS_URL: redisUrl(), REQUEST_TIMEOUT_MS: '500' })
    sim.fault({ method: 'POST', path: SESSIONS, perform: true, delayMs: 1500, times: 1 })
    const failed = await deleteAssets(app, 'del-slow')
    assert.equal(failed.statusCode, 504, failed.body)
    assert.match(failed.json().detail, /may or may not have been carried out/)
    await sleep(1500)
    assert.equal(sim.writes(ORG).sessions.length, 1, 'the first write landed after its deadline')
    const retry = await deleteAssets(app, 'del-slow')
    assert.equal(retry.statusCode, 202, retry.body)
    assert.equal(retry.headers['idempotent-replayed'], undefined)
    assert.equal(apiCalls(sim, 'POST', SESSIONS), 2)
  })

  it('a caller that leaves while its asset deletion is in flight: the write goes on and its answer is stored, or the key is freed', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app } = await build(t, sim, { REDIS_URL: redisUrl() })
    const origin = await app.listen({ port: 0, host: '127.0.0.1' })
    sim.fault({ method: 'POST', path: SESSIONS, perform: true, delayMs: 800, times: 1 })
    const controller = new AbortController()
    const left = fetch(`${origin}/v1/datasets/ds-1/asset-deletions`, {
      method: 'POST',
      headers: { ...AUTH, 'idempotency-key': 'del-left', 'content-type': 'application/json' },
      body: JSON.stringify({ filter: '{"status": "error"}' }),
      signal: controller.signal
    })
    await sleep(300)
    controller.abort()
    await assert.rejects(left)
    await sleep(1500)
    const retry = await deleteAssets(app, 'del-left')
    // The write went on for the key (its 202 stored and replayed), or was cut after it was sent (nothing stored: the retry ran).
    assert.equal(retry.statusCode, 202, retry.body)
    const replayed = retry.headers['idempotent-replayed'] === 'true'
    assert.equal(apiCalls(sim, 'POST', SESSIONS), replayed ? 1 : 2)
  })
})
