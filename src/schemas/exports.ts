import { Type, type Static } from 'typebox'
import { ref, StringEnum, Metadata, Condition } from './common.js'

export const ExportFormat = StringEnum(['VI_FULL', 'VI_JSONL'], { description: 'VI_FULL: assets and annotations; VI_JSONL: annotations only' })
export type ExportFormat = Static<typeof ExportFormat>

const SplitRatio = Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Training fraction, e.g. 0.8 for an 80/20 split', examples: [0.8] })

export const CreateExportBody = Type.Object({
  format: Type.Optional(ExportFormat),
  options: Type.Optional(Type.Object({
    normalized: Type.Optional(Type.Boolean({ description: 'Normalise coordinates; default true' })),
    splitRatio: Type.Optional(Type.Union([SplitRatio, Type.Null()]))
  }, { additionalProperties: false }))
}, { $id: 'CreateExportRequest', title: 'CreateExportRequest', additionalProperties: false })
export type CreateExportBody = Static<typeof CreateExportBody>

export const ExportState = StringEnum(['pending', 'ready', 'failed'])
export type ExportState = Static<typeof ExportState>

export const DatasetExport = Type.Object({
  organizationId: Type.String(),
  datasetId: Type.String(),
  datasetExportId: Type.String(),
  spec: Type.Object({
    format: StringEnum(['VI_FULL', 'VI_JSONL', 'VI_TFRECORD']),
    options: Type.Object({
      normalized: Type.Boolean(),
      splitRatio: Type.Union([Type.Number(), Type.Null()])
    }, { additionalProperties: false })
  }, { additionalProperties: false }),
  status: Type.Object({
    state: ExportState,
    conditions: Type.Array(ref(Condition)),
    downloadUrl: Type.Union([Type.Object({
      url: Type.String({ description: 'vi-bff\'s archive route for this export (never the signed storage URL)' }),
      expiresAt: Type.Integer({ description: 'Expiry of the current upstream signed URL, epoch ms; vi-bff refreshes it transparently' })
    }, { additionalProperties: false }), Type.Null()])
  }, { additionalProperties: false }),
  metadata: ref(Metadata),
  selfLink: Type.String({ description: 'This export\'s vi-bff route' }),
  etag: Type.String()
}, { $id: 'DatasetExport', title: 'DatasetExport', additionalProperties: false })
export type DatasetExport = Static<typeof DatasetExport>

export const DatasetExportList = Type.Object({
  items: Type.Array(ref(DatasetExport)),
  nextPageToken: Type.Union([Type.String(), Type.Null()])
}, { $id: 'DatasetExportList', title: 'DatasetExportList', additionalProperties: false })
export type DatasetExportList = Static<typeof DatasetExportList>
