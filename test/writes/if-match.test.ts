import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`
const deletes = (sim: Awaited<ReturnType<typeof startSim>>) => sim.requests.filter(r => r.target === 'api' && r.method === 'DELETE').length

describe('DELETE /v1/datasets/{id} with If-Match', () => {
  it('deletes when If-Match is the ETag GET gave, after a fresh upstream read', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app } = await build(t, sim)
    const got = await app.inject({ url: '/v1/datasets/ds-1', headers: AUTH })
    const etag = got.headers.etag as string
    assert.match(etag, /^"[^"]+"$/)
    // Served from the cache now: the check must still go upstream.
    await app.inject({ url: '/v1/datasets/ds-1', headers: AUTH })
    sim.clearRequests()
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-1', headers: { ...AUTH, 'if-match': etag } })
    assert.equal(res.statusCode, 202)
    assert.equal(sim.requests.filter(r => r.target === 'api' && r.method === 'GET' && r.path === D('ds-1')).length, 1)
    assert.equal(deletes(sim), 1)
  })

  it('deletes with If-Match: * and with a list containing the ETag', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    sim.addDataset(ORG, { id: 'ds-2' })
    const { app } = await build(t, sim)
    assert.equal((await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-1', headers: { ...AUTH, 'if-match': '*' } })).statusCode, 202)
    const etag = (await app.inject({ url: '/v1/datasets/ds-2', headers: AUTH })).headers.etag as string
    assert.equal((await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-2', headers: { ...AUTH, 'if-match': `"other", ${etag}` } })).statusCode, 202)
    assert.equal(deletes(sim), 2)
  })

  it('refuses a wrong or weak ETag with 412 BFF_PRECONDITION_FAILED and deletes nothing', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app } = await build(t, sim)
    const etag = (await app.inject({ url: '/v1/datasets/ds-1', headers: AUTH })).headers.etag as string
    for (const value of ['"not-it"', `W/${etag}`]) {
      const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-1', headers: { ...AUTH, 'if-match': value } })
      assert.equal(res.statusCode, 412, value)
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.equal(res.json().code, 'BFF_PRECONDITION_FAILED')
    }
    assert.equal(deletes(sim), 0)
    assert.equal((await app.inject({ url: '/v1/datasets/ds-1', headers: { ...AUTH, 'cache-control': 'no-cache' } })).statusCode, 200)
  })

  it('refuses with 412 when the dataset changed upstream between GET and DELETE (the cache still has the old one)', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1', name: 'Before' })
    const { app } = await build(t, sim)
    const etag = (await app.inject({ url: '/v1/datasets/ds-1', headers: AUTH })).headers.etag as string
    sim.addDataset(ORG, { id: 'ds-1', name: 'After' })
    // The cached copy still carries the old ETag.
    assert.equal((await app.inject({ url: '/v1/datasets/ds-1', headers: AUTH })).headers.etag, etag)
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-1', headers: { ...AUTH, 'if-match': etag } })
    assert.equal(res.statusCode, 412)
    assert.equal(deletes(sim), 0)
  })

  it('answers 404 for a missing dataset whatever If-Match says', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/nope', headers: { ...AUTH, 'if-match': '*' } })
    assert.equal(res.statusCode, 404)
    assert.equal(deletes(sim), 0)
  })
})
