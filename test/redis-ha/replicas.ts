import { it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, ORG, OTHER_ORG, OTHER_SECRET, apiCalls } from '../helper.js'
import { startTestIdp, signIn, signInEnv } from '../auth/setup.js'
import type { SimUpstream } from '../../sim/index.js'

export const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
export const cacheStatus = (res: { headers: Record<string, unknown> }) => String(res.headers['cache-status'])

/** Two app replicas on one Redis topology (same REDIS_* settings and key prefix) and one sim upstream. */
export async function twoReplicas (t: TestContext, redis: Record<string, string>, extra: Record<string, string> = {}, sim?: SimUpstream) {
  sim ??= await startSim(t)
  const env = { ...redis, REDIS_KEY_PREFIX: `test:${randomUUID()}:`, ...extra }
  const [a, b] = await Promise.all([build(t, sim, env), build(t, sim, env)])
  return { sim, env, a: a.app, b: b.app }
}

/**
 * The cross-replica guarantees, run against a topology's REDIS_URL/REDIS_MODE/REDIS_NODES/REDIS_SENTINEL_NAME.
 * Each case is an `it` of the caller's describe.
 */
export function crossReplicaGuarantees (redis: () => Record<string, string>) {
  it('single flight: 100 concurrent cold GETs over two replicas make one upstream call', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    sim.fault({ path: D('ds1'), delayMs: 300 })
    const { a, b } = await twoReplicas(t, redis(), {}, sim)
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).inject({ url: '/v1/datasets/ds1', headers: AUTH })))
    assert.ok(responses.every(r => r.statusCode === 200))
    assert.equal(new Set(responses.map(r => r.body)).size, 1)
    assert.equal(apiCalls(sim, 'GET', D('ds1')), 1)
    assert.match(cacheStatus(await b.inject({ url: '/v1/datasets/ds1', headers: AUTH })), /; hit;/)
  })

  it('invalidation: a DELETE on A is seen by B at once; an export created on A is listed by B', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    sim.addDataset(ORG, { id: 'ds2' })
    const { a, b } = await twoReplicas(t, redis(), {}, sim)
    for (const app of [b, b]) assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    assert.match(cacheStatus(await b.inject({ url: '/v1/datasets/ds1', headers: AUTH })), /; hit;/)
    assert.deepEqual((await b.inject({ url: '/v1/datasets/ds2/exports', headers: AUTH })).json().items, [])
    assert.equal((await a.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 202)
    assert.equal((await b.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 404)
    const created = await a.inject({ method: 'POST', url: '/v1/datasets/ds2/exports', headers: AUTH, payload: {} })
    assert.equal(created.statusCode, 202)
    const listed = (await b.inject({ url: '/v1/datasets/ds2/exports', headers: AUTH })).json().items.map((e: { datasetExportId: string }) => e.datasetExportId)
    assert.deepEqual(listed, [created.json().datasetExportId])
  })

  it('isolation: two organisations sharing the Redis never read each other\'s entries', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Ours' })
    sim.addDataset(OTHER_ORG, { id: 'ds1', name: 'Theirs' })
    const { a, env } = await twoReplicas(t, redis(), {}, sim)
    const other = (await build(t, sim, { ...env, DATATURE_VI_ORGANIZATION_ID: OTHER_ORG, DATATURE_VI_SECRET_KEY: OTHER_SECRET })).app
    for (let i = 0; i < 2; i++) {
      assert.equal((await a.inject({ url: '/v1/datasets/ds1', headers: AUTH })).json().name, 'Ours')
      assert.equal((await other.inject({ url: '/v1/datasets/ds1', headers: AUTH })).json().name, 'Theirs')
    }
    assert.match(cacheStatus(await other.inject({ url: '/v1/datasets/ds1', headers: AUTH })), /; hit;/)
  })

  it('sessions: a session signed in through A is read by B', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const idp = await startTestIdp(t)
    const { a, b } = await twoReplicas(t, redis(), signInEnv(idp) as Record<string, string>, sim)
    const s = await signIn(a, idp)
    assert.equal((await b.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).statusCode, 200)
    assert.equal((await b.inject({ url: '/v1/datasets/ds1', cookies: { [s.name]: s.value } })).statusCode, 200)
  })

  it('rate limits: one budget shared by both replicas', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { a, b } = await twoReplicas(t, redis(), { RATE_LIMIT_READS: '4', LIMITS_REDIS_TIMEOUT_MS: '1000' }, sim)
    for (const app of [a, b, a, b]) assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    const limited = await b.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(limited.statusCode, 429)
    assert.equal(limited.json().code, 'BFF_RATE_LIMITED')
  })

  it('idempotency: a POST with Idempotency-Key on A is replayed by B without a second upstream call', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { a, b } = await twoReplicas(t, redis(), {}, sim)
    const post = (app: FastifyInstance) => app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'idempotency-key': 'ha-1' }, payload: { format: 'VI_JSONL' } })
    const first = await post(a)
    assert.equal(first.statusCode, 202)
    const again = await post(b)
    assert.equal(again.statusCode, 202)
    assert.equal(again.headers['idempotent-replayed'], 'true')
    assert.equal(again.body, first.body)
    assert.equal(apiCalls(sim, 'POST', `${D('ds1')}/datasetExports`), 1)
  })
}
