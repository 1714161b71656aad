import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Ajv } from 'ajv'
import { startSim, build, AUTH, ORG, redisUrl } from '../helper.js'
import { sharedSchemas } from '../../src/schemas/index.js'
import { Dataset, DatasetList, DeletedDataset } from '../../src/schemas/datasets.js'
import { DatasetExport, DatasetExportList } from '../../src/schemas/exports.js'
import { AssetDeletionSession } from '../../src/schemas/asset-deletions.js'
import { UNKNOWN_FIELD } from '../../sim/wire.js'

// Validators of the public schemas (additionalProperties false all the way down), shared schemas by $ref.
const ajv = new Ajv({ allErrors: true, strict: false })
for (const schema of sharedSchemas) ajv.addSchema(schema)
const strict = (schema: object) => ajv.getSchema((schema as { $id: string }).$id) as ReturnType<Ajv['compile']>
const validators = {
  dataset: strict(Dataset),
  datasets: strict(DatasetList),
  export: strict(DatasetExport),
  exports: strict(DatasetExportList),
  deleted: strict(DeletedDataset),
  session: strict(AssetDeletionSession)
}

function exact (what: keyof typeof validators, body: string) {
  assert.ok(!body.includes(UNKNOWN_FIELD), `${what}: an unknown upstream field reached the caller: ${body}`)
  const value = JSON.parse(body)
  const validate = validators[what]
  assert.ok(validate(value), `${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
}

describe('exact response shapes: unknown upstream fields never reach a caller', () => {
  for (const store of ['memory', 'redis'] as const) {
    it(`reads, first and cached, are the schema's shape and byte-identical (${store} store)`, async t => {
      const sim = await startSim(t, { unknownFields: true })
      sim.addDataset(ORG, { id: 'ds1', tags: { cat: 0, dog: 1 } })
      const ready = sim.addExport(ORG, 'ds1', { state: 'ready', splitRatio: 0.8 })
      sim.addExport(ORG, 'ds1', { state: 'failed' })
      sim.addExport(ORG, 'ds1', { state: 'pending' })
      const { app } = await build(t, sim, store === 'redis' ? { REDIS_URL: redisUrl() } : {})

      const reads: Array<[keyof typeof validators, string]> = [
        ['dataset', '/v1/datasets/ds1'],
        ['datasets', '/v1/datasets'],
        ['exports', '/v1/datasets/ds1/exports'],
        ['export', `/v1/datasets/ds1/exports/${ready}`]
      ]
      for (const [what, url] of reads) {
        const first = await app.inject({ url, headers: AUTH })
        assert.equal(first.statusCode, 200, url)
        assert.match(String(first.headers['cache-status']), /fwd=miss; stored/, url)
        exact(what, first.body)
        const cached = await app.inject({ url, headers: AUTH })
        assert.match(String(cached.headers['cache-status']), /; hit;/, url)
        assert.equal(cached.body, first.body, `${url}: the cached body is byte-identical`)
        assert.equal(cached.headers.etag, first.headers.etag)
        assert.equal(cached.headers['content-type'], first.headers['content-type'])
      }
    })
  }

  it('write responses and uncached reads are the schema\'s shape', async t => {
    const sim = await startSim(t, { unknownFields: true, deletionDoneAfterMs: 0 })
    sim.addDataset(ORG, { id: 'ds1' })
    sim.addDataset(ORG, { id: 'ds2' })
    const { app } = await build(t, sim, { REDIS_URL: redisUrl() })

    const created = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: { options: { splitRatio: 0.5 } } })
    assert.equal(created.statusCode, 202)
    exact('export', created.body)
    // Primed from the create response: the first read is a hit of what the codec and serializer kept.
    const primed = await app.inject({ url: created.json().selfLink, headers: AUTH })
    assert.match(String(primed.headers['cache-status']), /; hit;/)
    exact('export', primed.body)

    const session = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: { filter: { 'metadata.annotations.total': 0 } } })
    assert.equal(session.statusCode, 202)
    exact('session', session.body)
    assert.deepEqual(session.json().spec.filter, { 'metadata.annotations.total': 0 }, 'the caller\'s own filter is kept as is')
    const polled = await app.inject({ url: session.json().selfLink, headers: AUTH })
    assert.equal(polled.statusCode, 200)
    exact('session', polled.body)

    const deleted = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds2', headers: AUTH })
    assert.equal(deleted.statusCode, 202)
    exact('deleted', deleted.body)
    const deletion = await app.inject({ url: '/v1/datasets/ds2/deletion', headers: AUTH })
    assert.equal(deletion.statusCode, 200)
    exact('deleted', deletion.body)

    const fresh = await app.inject({ url: '/v1/datasets/ds1', headers: { ...AUTH, 'cache-control': 'no-cache' } })
    assert.equal(fresh.statusCode, 200)
    exact('dataset', fresh.body)
  })
})
