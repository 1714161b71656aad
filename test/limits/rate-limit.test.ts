import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSim, build, AUTH, READ_KEY, ORG, apiCalls, redisUrl } from '../helper.js'
import { freePort } from '../../scripts/redis.js'

const READER = { authorization: `Bearer ${READ_KEY}` }
const NO_CACHE = { ...AUTH, 'cache-control': 'no-cache' }

describe('rate limits per caller', () => {
  it('puts RateLimit-Policy and RateLimit on every response of a limited route, none on public routes', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    // The defaults (the helper turns limits off for other tests).
    const { app } = await build(t, sim, { RATE_LIMIT_READS: undefined, RATE_LIMIT_WRITES: undefined })
    const first = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(first.statusCode, 200)
    assert.equal(first.headers['ratelimit-policy'], '"reads";q=600;w=60')
    assert.match(String(first.headers.ratelimit), /^"reads";r=599;t=(60|59)$/)
    const second = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.match(String(second.headers.ratelimit), /^"reads";r=598;t=\d+$/)
    const notFound = await app.inject({ url: '/v1/datasets/nope', headers: AUTH })
    assert.equal(notFound.statusCode, 404)
    assert.match(String(notFound.headers.ratelimit), /^"reads";r=597;t=\d+$/)
    const write = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(write.statusCode, 202)
    assert.equal(write.headers['ratelimit-policy'], '"writes";q=60;w=60')
    assert.match(String(write.headers.ratelimit), /^"writes";r=59;t=\d+$/)
    for (const url of ['/healthz', '/readyz', '/openapi.json']) {
      const res = await app.inject({ url, headers: AUTH })
      assert.equal(res.headers['ratelimit-policy'], undefined, url)
      assert.equal(res.headers.ratelimit, undefined, url)
    }
  })

  it('shares one budget across two replicas on one Redis, refuses with 429 and no upstream call, and leaves another caller alone', async t => {
    const sim = await startSim(t)
    for (const id of ['ds1', 'ds2']) sim.addDataset(ORG, { id })
    const env = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `test:${randomUUID()}:`, RATE_LIMIT_READS: '4' }
    const a = (await build(t, sim, env)).app
    const b = (await build(t, sim, env)).app
    for (const app of [a, b, a, b]) assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    const before = apiCalls(sim)
    const limited = await a.inject({ url: '/v1/datasets/ds2', headers: AUTH })
    assert.equal(limited.statusCode, 429)
    assert.match(String(limited.headers['content-type']), /^application\/problem\+json/)
    assert.equal(limited.json().code, 'BFF_RATE_LIMITED')
    assert.equal(limited.json().status, 429)
    const retryAfter = Number(limited.headers['retry-after'])
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
    assert.equal(limited.headers['ratelimit-policy'], '"reads";q=4;w=60')
    assert.match(String(limited.headers.ratelimit), /^"reads";r=0;t=\d+$/)
    assert.equal((await b.inject({ url: '/v1/datasets/ds2', headers: AUTH })).statusCode, 429)
    assert.equal(apiCalls(sim), before, 'a limited request reaches no upstream')
    const other = await b.inject({ url: '/v1/datasets/ds2', headers: READER })
    assert.equal(other.statusCode, 200)
    assert.match(String(other.headers.ratelimit), /^"reads";r=3;t=\d+$/)
  })

  it('keeps reads and writes apart and charges a cache-bypassing read as a write', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { RATE_LIMIT_READS: '3', RATE_LIMIT_WRITES: '2' })
    const bypass = await app.inject({ url: '/v1/datasets/ds1', headers: NO_CACHE })
    assert.equal(bypass.statusCode, 200)
    assert.equal(bypass.headers['ratelimit-policy'], '"writes";q=2;w=60')
    const pragma = await app.inject({ url: '/v1/datasets', headers: { ...AUTH, pragma: 'no-cache' } })
    assert.match(String(pragma.headers.ratelimit), /^"writes";r=0;t=\d+$/)
    const before = apiCalls(sim)
    const post = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} })
    assert.equal(post.statusCode, 429)
    const maxAge0 = await app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, 'cache-control': 'max-age=0' } })
    assert.equal(maxAge0.statusCode, 429)
    assert.equal(apiCalls(sim), before)
    // Cached reads still have their own budget.
    const read = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(read.statusCode, 200)
    assert.match(String(read.headers.ratelimit), /^"reads";r=2;t=\d+$/)
    // A route that takes no Cache-Control (the deletion status) reads with no-cache as a plain read.
    const deletion = await app.inject({ url: '/v1/datasets/ds1/deletion', headers: NO_CACHE })
    assert.match(String(deletion.headers.ratelimit), /^"reads";r=1;t=\d+$/)
  })

  it('0 disables a limit', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { RATE_LIMIT_READS: '0', RATE_LIMIT_WRITES: '1' })
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers.ratelimit, undefined)
    }
    assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: NO_CACHE })).statusCode, 200)
    assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: NO_CACHE })).statusCode, 429)
  })

  it('falls back to per-replica memory counters when Redis is down: still limits, without refusing everyone', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const env = { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, RATE_LIMIT_READS: '3', LOG_LEVEL: 'info' }
    const a = await build(t, sim, env)
    const b = await build(t, sim, env)
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const res = await a.app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      assert.equal(res.statusCode, 200)
      assert.ok(performance.now() - started < 2000)
    }
    const limited = await a.app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(limited.statusCode, 429)
    assert.equal(limited.json().code, 'BFF_RATE_LIMITED')
    // Each replica counts for itself while Redis is away.
    assert.equal((await b.app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    assert.equal((await a.app.inject({ url: '/v1/datasets/ds1', headers: READER })).statusCode, 200)
    assert.ok(a.logs.some(l => l.includes('limits fall back to per-replica memory counters')))
  })
})
