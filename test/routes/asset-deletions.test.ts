import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, READ_KEY, apiCalls } from '../helper.js'

const D = (id: string) => `/workspaces/${ORG}/datasets/${ORG}_${id}`

describe('POST /v1/datasets/:datasetId/asset-deletions', () => {
  it('sends all four spec keys and answers 202 with the session', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { filter: '{"status": "error"}', strictQuery: true } })
    assert.equal(res.statusCode, 202)
    const call = sim.requests.at(-1)!
    assert.equal(call.method, 'POST')
    assert.equal(call.path, `${D('ds1')}/deleteManyAssetsSessions`)
    assert.deepEqual(call.body, { spec: { filter: '{"status": "error"}', metadataQuery: null, ruleQuery: null, strictQuery: true } })
    const session = res.json()
    assert.equal(session.datasetId, 'ds1')
    assert.equal(session.organizationId, ORG)
    assert.deepEqual(session.spec, { filter: '{"status": "error"}', metadataQuery: null, ruleQuery: null, strictQuery: true })
    assert.equal(session.selfLink, `/v1/datasets/ds1/asset-deletions/${session.deleteManyAssetsSessionId}`)
    assert.equal(res.headers.location, session.selfLink)
  })

  it('accepts an object filter', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { filter: { 'metadata.annotations.total': 0 } } })
    assert.equal(res.statusCode, 202)
    assert.deepEqual((sim.requests.at(-1)!.body as { spec: unknown }).spec, { filter: { 'metadata.annotations.total': 0 }, metadataQuery: null, ruleQuery: null, strictQuery: null })
  })

  for (const [payload, path] of [[{ strictQuery: 'yes' }, 'body.strictQuery'], [{ filter: 5 }, 'body.filter'], [{ metadata_query: 'x' }, 'body.metadata_query']] as const) {
    it(`rejects ${JSON.stringify(payload)} naming ${path}`, async t => {
      const sim = await startSim(t)
      const { app } = await build(t, sim)
      const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload })
      assert.equal(res.statusCode, 400)
      assert.ok(res.json().errors.some((e: { path: string }) => e.path === path), res.body)
      assert.equal(apiCalls(sim), 0)
    })
  }

  it('needs the assets:delete scope', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: { 'x-api-key': READ_KEY }, payload: {} })
    assert.equal(res.statusCode, 403)
  })
})

describe('GET /v1/datasets/:datasetId/asset-deletions/:sessionId', () => {
  it('returns the session and maps 404', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    const created = (await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { ruleQuery: 'tag:blurry' } })).json()
    const res = await app.inject({ url: `/v1/datasets/ds1/asset-deletions/${created.deleteManyAssetsSessionId}`, headers: AUTH })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().deleteManyAssetsSessionId, created.deleteManyAssetsSessionId)
    assert.equal(sim.requests.at(-1)!.path, `${D('ds1')}/deleteManyAssetsSessions/${created.deleteManyAssetsSessionId}`)
    const missing = await app.inject({ url: '/v1/datasets/ds1/asset-deletions/nope', headers: AUTH })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'BFF_ASSET_DELETION_NOT_FOUND')
  })
})
