import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import createClient from 'openapi-fetch'
import type { paths } from '../client/vi-bff.js'
import { openapiDocument, openapiTypes, TYPES_FILE } from '../../scripts/openapi.js'
import { startSim, build, KEY, ORG } from '../helper.js'

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with an operationId and tags on every route, named components and problem responses', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/openapi.json' })
    assert.equal(res.statusCode, 200)
    const doc = res.json()
    assert.equal(doc.openapi, '3.1.0')
    const ops = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
    assert.ok(ops.length >= 11)
    const ids = new Set<string>()
    for (const { path, method, op } of ops) {
      assert.notEqual(method, 'head', `no auto-generated HEAD for ${path}`)
      assert.ok(op.operationId, `${method} ${path} has an operationId`)
      assert.ok(!ids.has(op.operationId as string), 'operationIds are unique')
      ids.add(op.operationId as string)
      assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${method} ${path} has tags`)
      if (path.startsWith('/v1/')) {
        const responses = op.responses as Record<string, { content?: Record<string, { schema: { $ref: string } }> }>
        assert.equal(responses['401']?.content?.['application/problem+json']?.schema.$ref, '#/components/schemas/Problem')
      }
    }
    const schemas = Object.keys(doc.components.schemas)
    for (const name of ['Dataset', 'DatasetList', 'DatasetExport', 'DatasetExportList', 'DeletedDataset', 'BulkAssetDeletionSession', 'Problem']) assert.ok(schemas.includes(name), name)
    assert.equal(JSON.stringify(doc).includes('def-'), false)
    assert.deepEqual(doc.components.schemas.DatasetExport.properties.status.properties.state, { type: 'string', enum: ['pending', 'ready', 'failed'] })
    assert.deepEqual(doc.components.schemas.DatasetExport.properties.status.properties.downloadUrl.anyOf[1], { type: 'null' })
    assert.ok(doc.components.securitySchemes.bearerAuth)
    assert.ok(doc.components.securitySchemes.apiKeyHeader)
    assert.equal((await app.inject({ url: '/docs' })).statusCode < 400, true)
  })

  it('matches the committed generated client types (run `npm run openapi:types` after changing a route)', async () => {
    const fresh = await openapiTypes(await openapiDocument())
    assert.equal(await readFile(TYPES_FILE, 'utf8'), fresh)
  })
})

describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  it('drives the running service end to end', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Generated' })
    const { app } = await build(t, sim)
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
    const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${KEY}` } })

    const list = await client.GET('/v1/datasets', { params: { query: { pageSize: 10 } } })
    assert.equal(list.response.status, 200)
    assert.equal(list.data?.items[0]?.name, 'Generated')

    const one = await client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId: 'ds1' } } })
    assert.equal(one.data?.datasetId, 'ds1')

    const created = await client.POST('/v1/datasets/{datasetId}/exports', { params: { path: { datasetId: 'ds1' } }, body: { format: 'VI_JSONL', options: { splitRatio: 0.8 } } })
    assert.equal(created.response.status, 202)
    const exportId = created.data!.datasetExportId
    assert.equal(created.data?.status.state, 'pending')

    const got = await client.GET('/v1/datasets/{datasetId}/exports/{exportId}', { params: { path: { datasetId: 'ds1', exportId } } })
    assert.equal(got.data?.spec.format, 'VI_JSONL')

    const exports = await client.GET('/v1/datasets/{datasetId}/exports', { params: { path: { datasetId: 'ds1' }, query: {} } })
    assert.ok(exports.data?.items.some(e => e.datasetExportId === exportId))

    const session = await client.POST('/v1/datasets/{datasetId}/asset-deletions', { params: { path: { datasetId: 'ds1' } }, body: { strictQuery: true } })
    assert.equal(session.response.status, 202)

    const missing = await client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId: 'nope' } } })
    assert.equal(missing.response.status, 404)
    assert.equal(missing.error?.code, 'BFF_DATASET_NOT_FOUND')

    const deleted = await client.DELETE('/v1/datasets/{datasetId}', { params: { path: { datasetId: 'ds1' } } })
    assert.equal(deleted.response.status, 202)
    const deletion = await client.GET('/v1/datasets/{datasetId}/deletion', { params: { path: { datasetId: 'ds1' } } })
    assert.equal(deletion.data?.datasetId, 'ds1')
  })
})
