import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, SECRET, READ_KEY, apiCalls } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`

describe('GET /v1/datasets', () => {
  it('lists datasets in vi-bff shape and passes pagination upstream', async t => {
    const sim = await startSim(t)
    for (const id of ['ds-a', 'ds-b', 'ds-c']) sim.addDataset(ORG, { id, name: id.toUpperCase() })
    const { app } = await build(t, sim)

    const first = await app.inject({ url: '/v1/datasets?pageSize=2', headers: AUTH })
    assert.equal(first.statusCode, 200)
    const page1 = first.json()
    assert.equal(page1.items.length, 2)
    assert.equal(typeof page1.nextPageToken, 'string')
    for (const d of page1.items) {
      assert.match(d.datasetId, /^ds-[abc]$/)
      assert.equal(d.organizationId, ORG)
      assert.equal(d.selfLink, `/v1/datasets/${d.datasetId}`)
      assert.equal('workspaceId' in d, false)
    }
    const call = sim.requests.find(r => r.target === 'api' && r.path === `/workspaces/${ORG}/datasets`)!
    assert.equal(call.method, 'GET')
    assert.deepEqual(call.query, { pageSize: '2' })
    assert.equal(call.headers.authorization, `Bearer ${SECRET}`)
    assert.equal(call.headers['organization-id'], ORG)
    assert.equal(call.headers.accept, 'application/json')
    assert.match(call.headers['user-agent']!, /^vi-bff\/\d+\.\d+\.\d+/)
    assert.ok(call.headers['x-request-id'])

    const second = await app.inject({ url: `/v1/datasets?pageSize=2&pageToken=${encodeURIComponent(page1.nextPageToken)}`, headers: AUTH })
    assert.equal(second.statusCode, 200)
    const page2 = second.json()
    assert.equal(page2.items.length, 1)
    assert.equal(page2.nextPageToken, null)
    assert.equal(sim.requests.at(-1)!.query.pageToken, page1.nextPageToken)
  })

  it('defaults pageSize to 50', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets', headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { items: [], nextPageToken: null })
    assert.equal(sim.requests.at(-1)!.query.pageSize, '50')
  })

  for (const [query, path] of [['pageSize=0', 'query.pageSize'], ['pageSize=1001', 'query.pageSize'], ['pageSize=abc', 'query.pageSize'], ['pageToken=', 'query.pageToken']]) {
    it(`rejects ${query} with a problem naming ${path}, sending nothing upstream`, async t => {
      const sim = await startSim(t)
      const { app } = await build(t, sim)
      const res = await app.inject({ url: `/v1/datasets?${query}`, headers: AUTH })
      assert.equal(res.statusCode, 400)
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      const body = res.json()
      assert.equal(body.code, 'BFF_VALIDATION_FAILED')
      assert.equal(body.errors[0].path, path)
      assert.equal(apiCalls(sim), 0)
    })
  }

  it('answers 401 without a key', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets' })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'BFF_UNAUTHENTICATED')
    assert.equal(apiCalls(sim), 0)
  })
})

describe('GET /v1/datasets/:datasetId', () => {
  it('returns the dataset with bare ids and vi-bff links', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Shelves', type: 'vqa', assetTotal: 42 })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 200)
    const d = res.json()
    assert.equal(d.datasetId, 'ds1')
    assert.equal(d.name, 'Shelves')
    assert.equal(d.type, 'vqa')
    assert.equal(d.statistic.assetTotal, 42)
    assert.equal(d.organizationId, ORG)
    assert.equal(d.selfLink, '/v1/datasets/ds1')
    assert.ok(res.headers.etag)
    const call = sim.requests.at(-1)!
    assert.equal(call.method, 'GET')
    assert.equal(call.path, D('ds1'))
    assert.equal(call.headers.authorization, `Bearer ${SECRET}`)
  })

  it('maps an upstream 404 to BFF_DATASET_NOT_FOUND', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/missing', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.deepEqual({ ...(res.json() as object), requestId: undefined }, {
      type: 'urn:vi-bff:problem:dataset-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Dataset "missing" was not found',
      instance: '/v1/datasets/missing',
      code: 'BFF_DATASET_NOT_FOUND',
      requestId: undefined
    })
  })

  for (const id of ['org_ds', 'a.b', 'x'.repeat(256), '%2F..%2Fetc']) {
    it(`rejects the id ${JSON.stringify(id.slice(0, 20))} before calling upstream`, async t => {
      const sim = await startSim(t)
      const { app } = await build(t, sim)
      const res = await app.inject({ url: `/v1/datasets/${id}`, headers: AUTH })
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().errors[0].path, 'params.datasetId')
      assert.equal(apiCalls(sim), 0)
    })
  }

  it('accepts X-API-Key and never forwards the caller\'s credentials', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: { 'x-api-key': READ_KEY, cookie: 'session=abc' } })
    assert.equal(res.statusCode, 200)
    const call = sim.requests.at(-1)!
    assert.equal(call.headers.authorization, `Bearer ${SECRET}`)
    assert.equal(call.headers['x-api-key'], undefined)
    assert.equal(call.headers.cookie, undefined)
  })
})

describe('DELETE /v1/datasets/:datasetId', () => {
  it('deletes upstream and answers 202 DeletedDataset with a Location', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 202)
    const body = res.json()
    assert.equal(body.datasetId, 'ds1')
    assert.equal(body.organizationId, ORG)
    assert.equal(body.selfLink, '/v1/datasets/ds1/deletion')
    assert.equal(res.headers.location, '/v1/datasets/ds1/deletion')
    assert.ok(Array.isArray(body.status.conditions))
    const call = sim.requests.at(-1)!
    assert.equal(call.method, 'DELETE')
    assert.equal(call.path, D('ds1'))
    assert.equal(call.body, undefined)
  })

  it('needs the datasets:delete scope', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: { authorization: `Bearer ${READ_KEY}` } })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'BFF_FORBIDDEN')
    assert.equal(apiCalls(sim), 0)
  })

  it('maps upstream 404 and 409', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    assert.equal((await app.inject({ method: 'DELETE', url: '/v1/datasets/nope', headers: AUTH })).json().code, 'BFF_DATASET_NOT_FOUND')
    sim.fault({ method: 'DELETE', path: D('ds1'), status: 409, body: { message: `${ORG}_ds1 is locked` } })
    const res = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'BFF_CONFLICT')
    assert.equal(res.json().detail, 'The Vi API reported a conflict: ds1 is locked')
  })
})

describe('GET /v1/datasets/:datasetId/deletion', () => {
  it('returns the deletion operation until it is done', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', headers: AUTH })
    const res = await app.inject({ url: '/v1/datasets/ds1/deletion', headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().datasetId, 'ds1')
    assert.equal(sim.requests.at(-1)!.path, `${D('ds1')}/deleteOperation`)
  })

  it('answers BFF_DELETION_NOT_FOUND for a dataset never deleted', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/v1/datasets/ds1/deletion', headers: AUTH })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'BFF_DELETION_NOT_FOUND')
  })
})
