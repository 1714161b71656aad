import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bareDatasetId, exportFromWire, exportState, ProtocolError, exportSpecToWire, assetDeletionSpecToWire, datasetFromWire, deletedDatasetFromWire, assetDeletionFromWire } from '../../src/upstream/codec.js'
import type { WireAssetDeletion, WireDataset, WireDeletedDataset, WireExport } from '../../src/upstream/wire.js'
import { withUnknownFields, UNKNOWN_FIELD } from '../../sim/wire.js'

const wireExport = (over: Partial<WireExport['status']> = {}): WireExport => ({
  kind: 'DatasetExport',
  workspaceId: 'org',
  datasetId: 'org_ds1',
  datasetExportId: 'exp1',
  spec: { format: 'ViJsonl', options: { normalized: true, splitRatio: 0.8 } },
  status: {
    conditions: [{ condition: 'Finished', status: 'Reached', lastTransitionTime: 2 }, { condition: 'Started', status: 'Reached', lastTransitionTime: 1 }],
    downloadUrl: { url: 'https://storage.example/exp1.zip?sig=x', expiresAt: 1718003600000 },
    ...over
  },
  metadata: { timeCreated: 1, lastUpdated: 2, generation: 2, attributes: {} },
  selfLink: '/x',
  etag: 'e'
})

describe('codec', () => {
  it('keeps the last _-separated piece of a dataset id, as the SDK does', () => {
    assert.equal(bareDatasetId('5f0c-org_ds8f3k2'), 'ds8f3k2')
    assert.equal(bareDatasetId('ds1'), 'ds1')
    assert.throws(() => bareDatasetId('org_'), ProtocolError)
    assert.throws(() => bareDatasetId('org_a/b'), ProtocolError)
  })

  it('turns vi-upstream.md\'s sample export into vi-bff\'s shape, keeping the signed URL apart', () => {
    const { export: e, archive } = exportFromWire(wireExport())
    assert.deepEqual(e, {
      organizationId: 'org',
      datasetId: 'ds1',
      datasetExportId: 'exp1',
      spec: { format: 'VI_JSONL', options: { normalized: true, splitRatio: 0.8 } },
      status: {
        state: 'ready',
        conditions: [
          { condition: 'Finished', status: 'Reached', lastTransitionTime: 2, reason: null, message: null },
          { condition: 'Started', status: 'Reached', lastTransitionTime: 1, reason: null, message: null }
        ],
        downloadUrl: { url: '/v1/datasets/ds1/exports/exp1/archive', expiresAt: 1718003600000 }
      },
      metadata: { timeCreated: 1, lastUpdated: 2, generation: 2, attributes: {} },
      selfLink: '/v1/datasets/ds1/exports/exp1',
      etag: 'e'
    })
    assert.deepEqual(archive, { url: 'https://storage.example/exp1.zip?sig=x', expiresAt: 1718003600000 })
  })

  it('reads an expiresAt in seconds as seconds', () => {
    const { export: e, archive } = exportFromWire(wireExport({ downloadUrl: { url: 'https://s.example/a', expiresAt: 1718003600 } }))
    assert.equal(archive?.expiresAt, 1718003600000)
    assert.equal(e.status.downloadUrl?.expiresAt, 1718003600000)
  })

  it('derives the state by the SDK\'s rule', () => {
    assert.equal(exportState([], false), 'pending')
    assert.equal(exportState([], true), 'pending')
    assert.equal(exportState([{ status: 'Reached' }], false), 'pending')
    assert.equal(exportState([{ status: 'Reached' }, { status: 'Waiting' }], true), 'pending')
    assert.equal(exportState([{ status: 'Reached' }], true), 'ready')
    assert.equal(exportState([{ status: 'Reached' }, { status: 'FailedReach' }], true), 'failed')
  })

  it('rejects a signed URL that is not http(s)', () => {
    assert.throws(() => exportFromWire(wireExport({ downloadUrl: { url: 'file:///etc/passwd', expiresAt: 1 } })), ProtocolError)
    assert.throws(() => exportFromWire(wireExport({ downloadUrl: { url: 'not a url', expiresAt: 1 } })), ProtocolError)
  })

  it('writes request bodies with every key, as msgspec does', () => {
    assert.deepEqual(exportSpecToWire({ format: 'VI_FULL', normalized: true, splitRatio: null }), { spec: { format: 'ViFull', options: { normalized: true, splitRatio: null } } })
    assert.deepEqual(assetDeletionSpecToWire({}), { spec: { filter: null, metadataQuery: null, ruleQuery: null, strictQuery: null } })
  })

  it('keeps no field the protocol does not define, at any depth', () => {
    const metadata = { timeCreated: 1, lastUpdated: 2, generation: 2, attributes: { team: 'vision' } }
    const conditions = [{ condition: 'Finished', status: 'Reached' as const, lastTransitionTime: 2 }]
    const dataset: WireDataset = {
      kind: 'Dataset',
      datasetId: 'org_ds1',
      name: 'n',
      owner: 'u1',
      workspaceId: 'org',
      type: 'vqa',
      content: 'Image',
      createDate: 1,
      statistic: { assetTotal: 3, annotationTotal: 4, tagsCount: { cat: 2 }, assetAnnotated: 1 },
      users: { u1: { workspaceRole: 'Owner', datasets: { org_ds1: 'Owner' } }, u2: 'Viewer' },
      tags: { cat: 0 },
      cohorts: [],
      status: 0,
      lastAccessed: 1,
      isLocked: false,
      access: { isPublic: false, isReadOnly: false, isHidden: null },
      preference: {},
      assetStatuses: { none: { description: 'd', color: '#fff', createDate: 1 } },
      selfLink: '/x',
      etag: 'e',
      description: null
    }
    const deleted: WireDeletedDataset = { kind: 'DatasetDeleteOperation', user: 'u1', workspaceId: 'org', datasetId: 'org_ds1', selfLink: '/x', etag: 'e', metadata, status: { conditions } }
    const session: WireAssetDeletion = {
      kind: 'DeleteManyAssetsSession',
      workspaceId: 'org',
      datasetId: 'org_ds1',
      deleteManyAssetsSessionId: 's1',
      selfLink: '/x',
      etag: 'e',
      metadata,
      spec: { filter: { 'metadata.annotations.total': 0 }, metadataQuery: null, ruleQuery: null, strictQuery: true },
      status: { conditions }
    }
    const cases: Array<[string, (w: never) => unknown, unknown]> = [
      ['dataset', datasetFromWire, dataset],
      ['export', exportFromWire, wireExport()],
      ['deleted dataset', deletedDatasetFromWire, deleted],
      ['asset deletion', assetDeletionFromWire, session]
    ]
    for (const [what, decode, wire] of cases) {
      const extended = withUnknownFields(wire)
      assert.ok(JSON.stringify(extended).split(UNKNOWN_FIELD).length > 3, `${what}: unknown fields at several depths`)
      const decoded = decode(extended as never)
      assert.ok(!JSON.stringify(decoded).includes(UNKNOWN_FIELD), `${what}: ${JSON.stringify(decoded)}`)
      assert.deepEqual(decoded, decode(wire as never), what)
    }
  })
})
