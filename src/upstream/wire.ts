import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'

/**
 * Upstream wire JSON as the Vi SDK decodes it (vi-upstream.md §4): camelCase, `workspaceId`,
 * integers where the SDK demands integers, unknown keys ignored. A body that fails these checks is a
 * protocol break (502), never a crash and never cached.
 */
const Int = Type.Integer()
const NullableString = Type.Union([Type.String(), Type.Null()])

const Condition = Type.Object({
  condition: Type.String(),
  status: Type.Enum(['Waiting', 'Reached', 'FailedReach']),
  lastTransitionTime: Int,
  reason: Type.Optional(NullableString),
  message: Type.Optional(NullableString)
})
export type WireCondition = Static<typeof Condition>

const Metadata = Type.Object({
  timeCreated: Int,
  lastUpdated: Int,
  generation: Int,
  attributes: Type.Record(Type.String(), Type.String())
})

const User = Type.Object({ workspaceRole: Type.String(), datasets: Type.Record(Type.String(), Type.String()) })

export const WireDataset = Type.Object({
  kind: Type.Optional(Type.Literal('Dataset')),
  datasetId: Type.String(),
  name: Type.String(),
  owner: Type.String(),
  workspaceId: Type.String(),
  type: Type.Enum(['phrase-grounding', 'vqa']),
  content: Type.Enum(['Image']),
  createDate: Int,
  statistic: Type.Object({ assetTotal: Int, annotationTotal: Int, tagsCount: Type.Record(Type.String(), Int), assetAnnotated: Int }),
  users: Type.Record(Type.String(), Type.Union([User, Type.String()])),
  tags: Type.Record(Type.String(), Int),
  cohorts: Type.Array(Type.Unknown()),
  status: Int,
  lastAccessed: Int,
  isLocked: Type.Boolean(),
  access: Type.Object({
    isPublic: Type.Union([Type.Boolean(), Type.Null()]),
    isReadOnly: Type.Union([Type.Boolean(), Type.Null()]),
    isHidden: Type.Optional(Type.Union([Type.Boolean(), Type.Null()]))
  }),
  preference: Type.Record(Type.String(), Type.Union([Type.Boolean(), Type.String()])),
  assetStatuses: Type.Record(Type.String(), Type.Object({
    description: Type.String(),
    color: Type.String(),
    createDate: Type.Optional(Type.Union([Int, Type.Null()]))
  })),
  selfLink: Type.String(),
  etag: Type.String(),
  description: Type.Optional(NullableString)
})
export type WireDataset = Static<typeof WireDataset>

export const WireExport = Type.Object({
  kind: Type.Optional(Type.Literal('DatasetExport')),
  workspaceId: Type.String(),
  datasetId: Type.String(),
  datasetExportId: Type.String(),
  selfLink: Type.String(),
  etag: Type.String(),
  metadata: Metadata,
  spec: Type.Object({
    format: Type.Enum(['ViJsonl', 'ViFull', 'ViTfrecord']),
    options: Type.Object({ normalized: Type.Boolean(), splitRatio: Type.Optional(Type.Union([Type.Number(), Type.Null()])) })
  }),
  status: Type.Object({
    conditions: Type.Array(Condition),
    downloadUrl: Type.Optional(Type.Union([Type.Object({ url: Type.String(), expiresAt: Int }), Type.Null()]))
  })
})
export type WireExport = Static<typeof WireExport>

export const WireDeletedDataset = Type.Object({
  kind: Type.String(),
  user: Type.String(),
  workspaceId: Type.String(),
  datasetId: Type.String(),
  selfLink: Type.String(),
  etag: Type.String(),
  metadata: Metadata,
  status: Type.Object({ conditions: Type.Array(Condition) })
})
export type WireDeletedDataset = Static<typeof WireDeletedDataset>

const Filter = Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown()), Type.Null()])

export const WireAssetDeletion = Type.Object({
  kind: Type.String(),
  workspaceId: Type.String(),
  datasetId: Type.String(),
  deleteManyAssetsSessionId: Type.String(),
  selfLink: Type.String(),
  etag: Type.String(),
  metadata: Metadata,
  spec: Type.Object({
    filter: Type.Optional(Filter),
    metadataQuery: Type.Optional(NullableString),
    ruleQuery: Type.Optional(NullableString),
    strictQuery: Type.Optional(Type.Union([Type.Boolean(), Type.Null()]))
  }),
  status: Type.Object({ conditions: Type.Array(Condition) })
})
export type WireAssetDeletion = Static<typeof WireAssetDeletion>

const page = <T extends typeof WireDataset | typeof WireExport>(item: T) => Type.Object({
  items: Type.Optional(Type.Array(item)),
  nextPage: Type.Optional(NullableString),
  prevPage: Type.Optional(NullableString)
})
export const WireDatasetPage = page(WireDataset)
export const WireExportPage = page(WireExport)

export const validators = {
  dataset: Compile(WireDataset),
  export: Compile(WireExport),
  deletedDataset: Compile(WireDeletedDataset),
  assetDeletion: Compile(WireAssetDeletion),
  datasetPage: Compile(WireDatasetPage),
  exportPage: Compile(WireExportPage)
}
