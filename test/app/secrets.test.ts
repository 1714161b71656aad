import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, KEY, ORG, SECRET } from '../helper.js'

describe('secrets', () => {
  it('never puts the Vi secret key, a caller key or a signed URL in a response or a log line', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready' })
    const { app, logs } = await build(t, sim)
    const responses: string[] = []
    const record = (r: { body: string, headers: Record<string, unknown> }) => responses.push(r.body, JSON.stringify(r.headers))

    record(await app.inject({ url: '/v1/datasets', headers: AUTH }))
    record(await app.inject({ url: '/v1/datasets/ds1', headers: AUTH }))
    record(await app.inject({ url: `/v1/datasets/ds1/exports/${exportId}`, headers: AUTH }))
    record(await app.inject({ url: '/v1/datasets/ds1/exports', headers: AUTH }))
    record(await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: AUTH, payload: {} }))
    record(await app.inject({ url: '/v1/datasets/ds1', headers: { authorization: 'Bearer not-a-key' } }))
    // Upstream failures of every kind, including ones that echo the request.
    sim.fault({ path: /./, status: 401, body: { message: `bad key ${SECRET}` }, times: 1 })
    record(await app.inject({ url: '/v1/datasets/ds2', headers: AUTH }))
    sim.fault({ path: /./, status: 500, times: 3 })
    record(await app.inject({ url: '/v1/datasets/ds3', headers: AUTH }))
    record(await app.inject({ url: '/openapi.json' }))
    record(await app.inject({ url: '/readyz' }))
    record(await app.inject({ url: '/metrics' }))

    const signed = new URL(sim.storageUrl).host
    const all = responses.join('\n')
    assert.equal(all.includes(SECRET), false, 'secret key in a response')
    assert.equal(all.includes(signed), false, 'storage host in a response')
    assert.equal(all.includes('sig='), false, 'signature in a response')
    const logText = logs.join('')
    assert.ok(logText.length > 0)
    assert.equal(logText.includes(SECRET), false, 'secret key in the logs')
    assert.equal(logText.includes(KEY), false, 'caller key in the logs')
    assert.equal(logText.includes('sig='), false, 'signed URL in the logs')
  })
})

describe('request log', () => {
  it('writes one line per request with the path (not censored by the signed-URL redaction)', async t => {
    const sim = await startSim(t)
    const { app, logs } = await build(t, sim)
    await app.inject({ url: '/v1/datasets?pageSize=5', headers: AUTH })
    const lines = logs.filter(l => l.includes('"msg":"request"')).map(l => JSON.parse(l))
    assert.equal(lines.length, 1)
    assert.equal(lines[0].path, '/v1/datasets?pageSize=5')
    assert.equal(lines[0].status, 200)
    assert.deepEqual(lines[0].caller, { kind: 'apiKey', id: 'all' })
  })
})
