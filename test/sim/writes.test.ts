import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { startSimUpstream } from '../../sim/index.js'

const ORG = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b'
const KEY = 'dtvi_' + 'c'.repeat(98)
const HEADERS = { authorization: `Bearer ${KEY}`, 'organization-id': ORG, accept: 'application/json', 'content-type': 'application/json' }

describe('sim writes()', () => {
  it('lists what writes created, including a write whose answer was lost, and what deletions removed', async (t) => {
    const sim = await startSimUpstream({ orgs: [{ id: ORG, secretKey: KEY }] })
    t.after(() => sim.close())
    sim.addDataset(ORG, { id: 'a' })
    sim.addDataset(ORG, { id: 'b' })
    const seeded = sim.addExport(ORG, 'a', { state: 'ready' })
    const base = `${sim.url}/workspaces/${ORG}/datasets/${ORG}_`
    const exportBody = JSON.stringify({ spec: { format: 'ViFull', options: { normalized: true, splitRatio: null } } })

    const created = await fetch(`${base}a/datasetExports`, { method: 'POST', headers: HEADERS, body: exportBody })
    assert.equal(created.status, 201)
    const id = await created.json() as { datasetExportId?: string, id?: string }
    // The operation happens, then the connection is reset: the caller never learns the id.
    sim.fault({ method: 'POST', path: '*', perform: true, drop: 'reset', times: 1 })
    await assert.rejects(fetch(`${base}a/datasetExports`, { method: 'POST', headers: HEADERS, body: exportBody }))
    const session = await fetch(`${base}b/deleteManyAssetsSessions`, {
      method: 'POST', headers: HEADERS, body: JSON.stringify({ spec: { filter: null, metadataQuery: null, ruleQuery: null, strictQuery: null } })
    })
    assert.equal(session.status, 201)
    await session.arrayBuffer()

    let w = sim.writes(ORG)
    assert.equal(w.exports.length, 3, 'the seeded one, the answered one and the one whose answer was lost')
    assert.ok(w.exports.some(e => e.id === seeded && e.datasetId === 'a'))
    assert.ok(w.exports.some(e => JSON.stringify(id).includes(e.id) && e.id !== seeded))
    assert.equal(w.sessions.length, 1)
    assert.equal(w.sessions[0]!.datasetId, 'b')
    assert.deepEqual(w.deletions, [])

    const del = await fetch(`${base}a`, { method: 'DELETE', headers: HEADERS })
    assert.equal(del.status, 202)
    await del.arrayBuffer()
    w = sim.writes(ORG)
    assert.deepEqual(w.deletions.map(d => d.datasetId), ['a'])
    assert.equal(w.exports.length, 0, 'a deleted dataset takes its exports with it')
    assert.equal(w.sessions.length, 1)
  })
})
