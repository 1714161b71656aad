import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSim, build, AUTH, ORG, READ_KEY, redisUrl, apiCalls, sleep } from '../helper.js'
import { createIdempotencyStore, recordKey, fingerprint } from '../../src/idempotency.js'

const EXPORTS = `/workspaces/${ORG}/datasets/${ORG}_ds-1/datasetExports`
const OTHER_KEY = 'test-key-exports-only-0003'
const KEYS = `all:test-key-all-scopes-0001,reader:${READ_KEY}:datasets:read,other:${OTHER_KEY}:exports:write`
const posts = (sim: Awaited<ReturnType<typeof startSim>>) => apiCalls(sim, 'POST', EXPORTS)

function post (app: Awaited<ReturnType<typeof build>>['app'], key: string | undefined, payload: unknown = { format: 'VI_JSONL' }, headers: Record<string, string> = AUTH) {
  return app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { ...headers, ...(key !== undefined ? { 'idempotency-key': key } : {}) }, payload: payload as object })
}

for (const backend of ['memory', 'redis'] as const) {
  describe(`Idempotency-Key (${backend})`, () => {
    const env = () => ({ API_KEYS: KEYS, ...(backend === 'redis' ? { REDIS_URL: redisUrl() } : {}) })

    it('replays the first answer (status, Location, body) with Idempotent-Replayed and no upstream call', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      const first = await post(app, 'key-1')
      assert.equal(first.statusCode, 202)
      assert.equal(first.headers['idempotent-replayed'], undefined)
      // Key order in the body does not matter.
      const again = await post(app, 'key-1', { options: { normalized: true }, format: 'VI_JSONL' })
      assert.equal(again.statusCode, 422, 'a body with other settings is another request')
      const same = await post(app, 'key-1', { format: 'VI_JSONL' })
      assert.equal(same.statusCode, 202)
      assert.equal(same.headers['idempotent-replayed'], 'true')
      assert.equal(same.headers.location, first.headers.location)
      assert.equal(same.headers['content-type'], first.headers['content-type'])
      assert.equal(same.body, first.body)
      const slash = await app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports/', headers: { ...AUTH, 'idempotency-key': 'key-1' }, payload: { format: 'VI_JSONL' } })
      assert.equal(slash.headers['idempotent-replayed'], 'true', 'the same route spelt with a trailing slash')
      assert.equal(posts(sim), 1)
      // Without a key nothing changes: a second export.
      assert.equal((await post(app, undefined)).statusCode, 202)
      assert.equal(posts(sim), 2)
    })

    it('answers 422 BFF_IDEMPOTENCY_MISMATCH for the same key with another body, and 400 for a malformed key', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      assert.equal((await post(app, 'k')).statusCode, 202)
      const other = await post(app, 'k', { format: 'VI_FULL' })
      assert.equal(other.statusCode, 422)
      assert.equal(other.json().code, 'BFF_IDEMPOTENCY_MISMATCH')
      for (const bad of ['', 'x'.repeat(256), 'tab\there', 'é']) {
        const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, 'idempotency-key': bad }, payload: {} })
        assert.equal(res.statusCode, 400, JSON.stringify(bad))
      }
      assert.equal(posts(sim), 1)
    })

    it('keeps callers apart: the same key from two callers creates two exports', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      const a = await post(app, 'shared')
      const b = await post(app, 'shared', undefined, { 'x-api-key': OTHER_KEY })
      assert.equal(a.statusCode, 202)
      assert.equal(b.statusCode, 202)
      assert.equal(b.headers['idempotent-replayed'], undefined)
      assert.notEqual(a.json().datasetExportId, b.json().datasetExportId)
      assert.equal(posts(sim), 2)
    })

    it('does not store a 5xx: a retry with the key runs again', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      // Refused upstream before anything was created: a 5xx that certainly did not land.
      sim.fault({ method: 'POST', path: EXPORTS, status: 503, headers: { 'retry-after': '100' }, times: 1 })
      const failed = await post(app, 'k5')
      assert.equal(failed.statusCode, 502)
      const retried = await post(app, 'k5')
      assert.equal(retried.statusCode, 202)
      assert.equal(retried.headers['idempotent-replayed'], undefined)
      assert.equal(posts(sim), 2)
    })

    it('applies to POST asset-deletions too', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      const send = () => app.inject({ method: 'POST', url: '/v1/datasets/ds-1/asset-deletions', headers: { ...AUTH, 'idempotency-key': 'del-1' }, payload: { filter: '{"status": "error"}' } })
      const first = await send()
      const second = await send()
      assert.equal(first.statusCode, 202)
      assert.equal(second.headers['idempotent-replayed'], 'true')
      assert.equal(second.body, first.body)
      assert.equal(apiCalls(sim, 'POST', /deleteManyAssetsSessions$/), 1)
    })

    for (const fault of [{ status: 502 }, { drop: 'reset' as const }]) {
      it(`reconciles an ambiguous creation (${JSON.stringify(fault)} after the export was made) to that export, and replays it`, async t => {
        const sim = await startSim(t)
        sim.addDataset(ORG, { id: 'ds-1' })
        // An older export with the same settings is not adopted: it was created before this request began.
        const older = sim.addExport(ORG, 'ds-1', { format: 'ViJsonl', normalized: true, state: 'ready' })
        await new Promise(resolve => setTimeout(resolve, 10))
        const { app } = await build(t, sim, env())
        sim.fault({ method: 'POST', path: EXPORTS, perform: true, times: 1, ...fault })
        const res = await post(app, 'amb-1')
        assert.equal(res.statusCode, 202, res.body)
        assert.equal(posts(sim), 1)
        const list = (await app.inject({ url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, 'cache-control': 'no-cache' } })).json()
        assert.equal(list.items.length, 2)
        const created = list.items.find((e: { datasetExportId: string }) => e.datasetExportId !== older)
        assert.equal(res.json().datasetExportId, created.datasetExportId)
        assert.equal(res.headers.location, `/v1/datasets/ds-1/exports/${created.datasetExportId}`)
        const retry = await post(app, 'amb-1')
        assert.equal(retry.statusCode, 202)
        assert.equal(retry.headers['idempotent-replayed'], 'true')
        assert.equal(retry.json().datasetExportId, created.datasetExportId)
        assert.equal(posts(sim), 1)
      })
    }

    it('reconciles a keyed creation whose request deadline passed after the Vi API made the export', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, { ...env(), REQUEST_TIMEOUT_MS: '500' })
      sim.fault({ method: 'POST', path: EXPORTS, perform: true, delayMs: 3000, times: 1 })
      const res = await post(app, 'slow-1')
      assert.equal(res.statusCode, 202, res.body)
      assert.equal(posts(sim), 1)
      const list = (await app.inject({ url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, 'cache-control': 'no-cache' } })).json()
      assert.deepEqual(list.items.map((e: { datasetExportId: string }) => e.datasetExportId), [res.json().datasetExportId])
      const retry = await post(app, 'slow-1')
      assert.equal(retry.headers['idempotent-replayed'], 'true')
      assert.equal(posts(sim), 1)
    })

    it('answers the honest 5xx and stores nothing when an ambiguous creation left no export', async t => {
      const sim = await startSim(t)
      sim.addDataset(ORG, { id: 'ds-1' })
      const { app } = await build(t, sim, env())
      sim.fault({ method: 'POST', path: EXPORTS, status: 502, times: 1 })
      assert.equal((await post(app, 'amb-2')).statusCode, 502)
      const retry = await post(app, 'amb-2')
      assert.equal(retry.statusCode, 202)
      assert.equal(retry.headers['idempotent-replayed'], undefined)
      assert.equal(posts(sim), 2)
    })
  })
}

describe('Idempotency-Key across replicas (real Redis)', () => {
  it('answers 503 BFF_IDEMPOTENCY_UNAVAILABLE for a keyed write while Redis is unreachable, and sends nothing upstream', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app } = await build(t, sim, { API_KEYS: KEYS, REDIS_URL: 'redis://127.0.0.1:1' })
    const started = Date.now()
    const res = await post(app, 'no-redis')
    assert.equal(res.statusCode, 503)
    assert.equal(res.json().code, 'BFF_IDEMPOTENCY_UNAVAILABLE')
    assert.ok(Number(res.headers['retry-after']) >= 1)
    assert.ok(Date.now() - started < 10_000)
    assert.equal(posts(sim), 0)
    // Without a key the write does not depend on Redis.
    assert.equal((await post(app, undefined)).statusCode, 202)
  })

  it('frees a key whose in-flight marker was left by a crashed replica once the marker expires', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app, config } = await build(t, sim, { API_KEYS: KEYS, REDIS_URL: redisUrl(), IDEMPOTENCY_LOCK_S: '1', REQUEST_TIMEOUT_MS: '500' })
    const store = createIdempotencyStore(config)
    t.after(() => store.close())
    const fp = fingerprint('POST', '/v1/datasets/ds-1/exports', { format: 'VI_JSONL' })
    assert.equal(await store.claim(recordKey(config, { kind: 'apiKey', id: 'all' }, 'crashed'), JSON.stringify({ s: 'running', fp, r: 'gone', at: Date.now() }), 1000), null)
    const blocked = await post(app, 'crashed')
    assert.equal(blocked.statusCode, 409)
    assert.equal(blocked.json().code, 'BFF_IDEMPOTENCY_IN_FLIGHT')
    assert.equal(blocked.headers['retry-after'], '1')
    assert.equal(posts(sim), 0)
    await sleep(1200)
    assert.equal((await post(app, 'crashed')).statusCode, 202)
    assert.equal(posts(sim), 1)
  })

  it('10 concurrent requests with one key over two instances: one upstream POST, the others replayed or 409', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const shared = { API_KEYS: KEYS, REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `test:${randomUUID()}:` }
    const a = await build(t, sim, shared)
    const b = await build(t, sim, shared)
    // The upstream takes a while, so the others arrive while the first is in flight.
    sim.fault({ method: 'POST', path: EXPORTS, delayMs: 300, times: 1 })
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 === 0 ? a.app : b.app, 'concurrent-1')))
    assert.equal(posts(sim), 1)
    const created = results.filter(r => r.statusCode === 202 && r.headers['idempotent-replayed'] === undefined)
    assert.equal(created.length, 1)
    for (const r of results) {
      if (r.statusCode === 409) {
        assert.equal(r.json().code, 'BFF_IDEMPOTENCY_IN_FLIGHT')
        assert.ok(Number(r.headers['retry-after']) >= 1)
      } else {
        assert.equal(r.statusCode, 202)
        assert.equal(r.json().datasetExportId, created[0]!.json().datasetExportId)
      }
    }
    // Afterwards, either instance replays it.
    for (const app of [a.app, b.app]) {
      const again = await post(app, 'concurrent-1')
      assert.equal(again.headers['idempotent-replayed'], 'true')
      assert.equal(again.body, created[0]!.body)
    }
    assert.equal(posts(sim), 1)
  })
})
