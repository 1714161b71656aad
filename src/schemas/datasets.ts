import { Type, type Static } from 'typebox'
import { ref, StringEnum, Metadata, Condition } from './common.js'

export const Dataset = Type.Object({
  datasetId: Type.String(),
  name: Type.String(),
  owner: Type.String(),
  organizationId: Type.String(),
  type: StringEnum(['phrase-grounding', 'vqa']),
  content: StringEnum(['Image']),
  createDate: Type.Integer({ description: 'Epoch milliseconds' }),
  statistic: Type.Object({
    assetTotal: Type.Integer(),
    annotationTotal: Type.Integer(),
    assetAnnotated: Type.Integer(),
    tagsCount: Type.Record(Type.String(), Type.Integer())
  }, { additionalProperties: false }),
  users: Type.Record(Type.String(), Type.Union([
    Type.Object({ workspaceRole: Type.String(), datasets: Type.Record(Type.String(), Type.String()) }, { additionalProperties: false }),
    Type.String()
  ])),
  tags: Type.Record(Type.String(), Type.Integer()),
  status: Type.Integer(),
  lastAccessed: Type.Integer({ description: 'Epoch milliseconds' }),
  isLocked: Type.Boolean(),
  access: Type.Object({
    isPublic: Type.Union([Type.Boolean(), Type.Null()]),
    isReadOnly: Type.Union([Type.Boolean(), Type.Null()]),
    isHidden: Type.Union([Type.Boolean(), Type.Null()])
  }, { additionalProperties: false }),
  assetStatuses: Type.Record(Type.String(), Type.Object({
    description: Type.String(),
    color: Type.String(),
    createDate: Type.Union([Type.Integer(), Type.Null()])
  }, { additionalProperties: false })),
  selfLink: Type.String({ description: 'This dataset\'s vi-bff route' }),
  etag: Type.String(),
  description: Type.Union([Type.String(), Type.Null()])
}, { $id: 'Dataset', title: 'Dataset', additionalProperties: false })
export type Dataset = Static<typeof Dataset>

export const DatasetList = Type.Object({
  items: Type.Array(ref(Dataset)),
  nextPageToken: Type.Union([Type.String(), Type.Null()], { description: 'Pass as pageToken for the next page; null on the last page' })
}, { $id: 'DatasetList', title: 'DatasetList', additionalProperties: false })
export type DatasetList = Static<typeof DatasetList>

export const DeletedDataset = Type.Object({
  kind: Type.String(),
  user: Type.String(),
  organizationId: Type.String(),
  datasetId: Type.String(),
  selfLink: Type.String({ description: 'This deletion\'s vi-bff route' }),
  etag: Type.String(),
  metadata: ref(Metadata),
  status: Type.Object({ conditions: Type.Array(ref(Condition)) }, { additionalProperties: false })
}, { $id: 'DeletedDataset', title: 'DeletedDataset', additionalProperties: false })
export type DeletedDataset = Static<typeof DeletedDataset>
