import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, ORG, apiCalls, sleep } from '../helper.js'
import { freePort, startRedisServer } from '../../scripts/redis.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
const DATASETS = new RegExp(`^/workspaces/${ORG}/datasets/${ORG}_ds\\d$`)
const BOUND_MS = 1000

function kill (child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill(signal)
  return signal === 'SIGKILL' || signal === 'SIGTERM' ? exited : Promise.resolve()
}

/** Keeps `concurrency` callers reading datasets until stopped; records every outcome. */
function load (app: FastifyInstance, concurrency: number) {
  const results: Array<{ status: number, ms: number, cacheStatus: string }> = []
  const state = { running: true }
  const workers = Array.from({ length: concurrency }, async (_, w) => {
    for (let i = 0; state.running; i++) {
      const started = performance.now()
      const res = await app.inject({ url: `/v1/datasets/ds${(w + i) % 3}`, headers: AUTH })
      results.push({ status: res.statusCode, ms: performance.now() - started, cacheStatus: String(res.headers['cache-status']) })
      await sleep(5)
    }
  })
  return { results, stop: async () => { state.running = false; await Promise.all(workers) } }
}

async function until (what: string, check: () => Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms
  while (!await check()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`)
    await sleep(50)
  }
}

describe('Redis failure is a miss, not an outage', () => {
  it('keeps answering within a bound while its Redis is killed, reports degraded, and uses the cache again once it is back', async t => {
    const port = await freePort()
    let redis = await startRedisServer(port)
    t.after(() => kill(redis, 'SIGKILL'))
    const sim = await startSim(t)
    for (const id of ['ds0', 'ds1', 'ds2']) sim.addDataset(ORG, { id })
    const { app, logs } = await build(t, sim, { REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'info' })

    const readyz = async () => app.inject({ url: '/readyz' })
    assert.deepEqual((await readyz()).json().checks, { upstream: 'ok', cache: 'ok', cacheKind: 'redis' })

    const traffic = load(app, 5)
    t.after(() => traffic.stop())
    // Cold start (first requests compile serializers and load scripts) is not what this test bounds.
    await until('every dataset to be cached', async () => apiCalls(sim, 'GET', DATASETS) >= 3, 5000)
    const warmedUp = traffic.results.length
    await sleep(300)
    const warm = apiCalls(sim, 'GET', DATASETS)
    assert.equal(warm, 3, 'one upstream read per dataset while Redis is up')

    await kill(redis, 'SIGKILL')
    await sleep(1500)
    const down = await readyz()
    assert.equal(down.statusCode, 200)
    assert.deepEqual(down.json(), { status: 'ready', checks: { upstream: 'ok', cache: 'degraded', cacheKind: 'redis' } })
    assert.match((await app.inject({ url: '/metrics' })).body, /^vibff_cache_degraded 1$/m)
    assert.ok(apiCalls(sim, 'GET', DATASETS) > warm, 'served from upstream while Redis is down')
    const outage = traffic.results.slice(-20)
    assert.ok(outage.every(r => /detail=cache-unavailable/.test(r.cacheStatus)), 'labelled as served without the cache')

    redis = await startRedisServer(port)
    await until('the cache to be used again', async () => {
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      return /; hit;|stored/.test(String(res.headers['cache-status']))
    }, 8000)
    await sleep(300)
    const recovered = apiCalls(sim, 'GET', DATASETS)
    await sleep(500)
    await traffic.stop()
    assert.ok(apiCalls(sim, 'GET', DATASETS) - recovered <= 3, 'upstream reads stop growing once Redis is back')
    assert.deepEqual((await readyz()).json().checks, { upstream: 'ok', cache: 'ok', cacheKind: 'redis' })
    assert.match((await app.inject({ url: '/metrics' })).body, /^vibff_cache_degraded 0$/m)

    assert.ok(traffic.results.length > 100, `${traffic.results.length} requests`)
    const failed = traffic.results.filter(r => r.status !== 200)
    assert.deepEqual(failed, [], 'every request succeeded')
    const slowest = Math.max(...traffic.results.slice(warmedUp).map(r => r.ms))
    assert.ok(slowest < BOUND_MS, `slowest request ${Math.round(slowest)} ms`)
    // One log line per transition, not one per request.
    assert.equal(logs.filter(l => l.includes('redis cache degraded')).length, 1)
    assert.equal(logs.filter(l => l.includes('redis cache recovered')).length, 1)
  })

  it('bounds every request by the command timeout when Redis hangs, then bypasses it', async t => {
    const port = await freePort()
    const redis = await startRedisServer(port)
    t.after(async () => { redis.kill('SIGCONT'); await kill(redis, 'SIGKILL') })
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: '200' })
    await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })

    redis.kill('SIGSTOP')
    const timings: number[] = []
    for (let i = 0; i < 8; i++) {
      const started = performance.now()
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      timings.push(performance.now() - started)
      assert.equal(res.statusCode, 200)
    }
    assert.ok(Math.max(...timings) < 600, `each request within the command timeout plus upstream: ${timings.map(Math.round).join(', ')}`)
    // Once the breaker opens, requests stop waiting on Redis at all.
    assert.ok(timings.slice(-3).every(ms => ms < 150), timings.map(Math.round).join(', '))
    assert.equal((await app.inject({ url: '/readyz' })).json().checks.cache, 'degraded')

    redis.kill('SIGCONT')
    await until('the breaker to close', async () => {
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      return /; hit;|stored/.test(String(res.headers['cache-status']))
    }, 8000)
    assert.equal((await app.inject({ url: '/readyz' })).json().checks.cache, 'ok')
  })

  it('starts and serves when Redis is down at boot, then uses it once it comes up', async t => {
    const port = await freePort()
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const started = Date.now()
    const { app } = await build(t, sim, { REDIS_URL: `redis://127.0.0.1:${port}` })
    assert.ok(Date.now() - started < 2000, 'boot does not hang on Redis')
    assert.deepEqual((await app.inject({ url: '/readyz' })).json(), { status: 'ready', checks: { upstream: 'ok', cache: 'degraded', cacheKind: 'redis' } })
    for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })).statusCode, 200)
    assert.equal((await app.inject({ url: '/readyz' })).json().checks.cache, 'degraded')

    const redis = await startRedisServer(port)
    t.after(() => kill(redis, 'SIGKILL'))
    await until('the cache to be used', async () => {
      const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
      return /; hit;/.test(String(res.headers['cache-status']))
    }, 8000)
    const calls = apiCalls(sim, 'GET', D('ds1'))
    for (let i = 0; i < 5; i++) await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(apiCalls(sim, 'GET', D('ds1')), calls)
  })
})
