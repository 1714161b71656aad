import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, KEY, ORG, READ_KEY, SECRET } from '../helper.js'

interface AuditLine { audit: true, operation: string, caller: { kind: string, id: string } | null, status: number, requestId: string, [k: string]: unknown }

function auditLines (logs: string[]): AuditLine[] {
  return logs.map(l => JSON.parse(l) as Record<string, unknown>).filter(l => l.audit === true) as AuditLine[]
}

/** Neither vi-bff's upstream key, a caller key, a cookie nor a signed URL appears in an audit line. */
function assertNoSecrets (lines: AuditLine[]) {
  for (const line of lines) {
    const text = JSON.stringify(line)
    for (const secret of [SECRET, KEY, READ_KEY, 'Bearer', 'cookie', 'X-Goog', 'http://', 'https://']) assert.equal(text.includes(secret), false, `${secret} in ${text}`)
  }
}

describe('audit trail', () => {
  it('writes one info line per write with caller, operation, targets, status and request id', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    sim.addDataset(ORG, { id: 'ds-2' })
    const { app, logs } = await build(t, sim)
    const exp = await app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, 'x-request-id': 'req-export-1' }, payload: { format: 'VI_JSONL' } })
    assert.equal(exp.statusCode, 202)
    const del = await app.inject({ method: 'POST', url: '/v1/datasets/ds-1/asset-deletions', headers: AUTH, payload: { filter: '{"status": "error"}' } })
    assert.equal(del.statusCode, 202)
    const gone = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-2', headers: AUTH })
    assert.equal(gone.statusCode, 202)
    // Reads are not audited.
    await app.inject({ url: '/v1/datasets/ds-1', headers: AUTH })

    const lines = auditLines(logs)
    assert.equal(lines.length, 3)
    const [a, b, c] = lines as [AuditLine, AuditLine, AuditLine]
    assert.deepEqual({ ...a, time: undefined, pid: undefined, hostname: undefined, reqId: undefined }, {
      level: 30,
      audit: true,
      operation: 'createExport',
      caller: { kind: 'apiKey', id: 'all' },
      datasetId: 'ds-1',
      exportId: exp.json().datasetExportId,
      status: 202,
      method: 'POST',
      requestId: 'req-export-1',
      msg: 'audit',
      time: undefined,
      pid: undefined,
      hostname: undefined,
      reqId: undefined
    })
    assert.equal(b.operation, 'bulkDeleteAssets')
    assert.equal(b.sessionId, del.json().deleteManyAssetsSessionId)
    assert.equal(b.status, 202)
    assert.equal(c.operation, 'deleteDataset')
    assert.equal(c.datasetId, 'ds-2')
    assert.equal(c.requestId, gone.headers['x-request-id'])
    assertNoSecrets(lines)
  })

  it('audits refused writes: 401 (no caller), 403, 412, 404', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app, logs } = await build(t, sim)
    assert.equal((await app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { authorization: 'Bearer not-a-known-key' } })).statusCode, 401)
    assert.equal((await app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { 'x-api-key': READ_KEY } })).statusCode, 403)
    assert.equal((await app.inject({ method: 'DELETE', url: '/v1/datasets/ds-1', headers: { ...AUTH, 'if-match': '"stale"' } })).statusCode, 412)
    assert.equal((await app.inject({ method: 'DELETE', url: '/v1/datasets/nope', headers: AUTH })).statusCode, 404)
    const lines = auditLines(logs)
    assert.deepEqual(lines.map(l => [l.operation, l.status, l.caller]), [
      ['createExport', 401, null],
      ['createExport', 403, { kind: 'apiKey', id: 'reader' }],
      ['deleteDataset', 412, { kind: 'apiKey', id: 'all' }],
      ['deleteDataset', 404, { kind: 'apiKey', id: 'all' }]
    ])
    assertNoSecrets(lines)
    assert.equal(logs.join('').includes('not-a-known-key'), false)
  })

  it('audits replays and idempotency refusals with the caller\'s key', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app, logs } = await build(t, sim)
    const send = (payload: object) => app.inject({ method: 'POST', url: '/v1/datasets/ds-1/exports', headers: { ...AUTH, 'idempotency-key': 'audit-key-1' }, payload })
    assert.equal((await send({})).statusCode, 202)
    assert.equal((await send({})).statusCode, 202)
    assert.equal((await send({ format: 'VI_JSONL' })).statusCode, 422)
    const lines = auditLines(logs)
    assert.deepEqual(lines.map(l => [l.operation, l.status, l.idempotencyKey, l.replayed]), [
      ['createExport', 202, 'audit-key-1', false],
      ['createExport', 202, 'audit-key-1', true],
      ['createExport', 422, 'audit-key-1', false]
    ])
    assert.equal(typeof lines[0]!.exportId, 'string')
    assert.equal(lines[1]!.exportId, lines[0]!.exportId)
    assertNoSecrets(lines)
  })

  it('audits the one-call download only when it creates an export', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds-1' })
    const { app, logs } = await build(t, sim)
    const first = await app.inject({ url: '/v1/datasets/ds-1/archive?wait=0', headers: AUTH })
    assert.equal(first.statusCode, 202)
    const again = await app.inject({ url: '/v1/datasets/ds-1/archive?wait=0', headers: AUTH })
    assert.equal(again.statusCode, 202)
    const lines = auditLines(logs)
    assert.equal(lines.length, 1)
    assert.equal(lines[0]!.operation, 'downloadDataset')
    assert.equal(lines[0]!.exportId, first.json().datasetExportId)
    assert.equal(lines[0]!.status, 202)
    assertNoSecrets(lines)
  })
})
