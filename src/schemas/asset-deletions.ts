import { Type, type Static } from 'typebox'
import { ref, Metadata, Condition } from './common.js'

const Filter = Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'Filter criteria, as a string or an object (SDK: filter_criteria), e.g. `{"status": "error"}`' })

export const AssetDeletionSpec = Type.Object({
  filter: Type.Optional(Filter),
  metadataQuery: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  ruleQuery: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  strictQuery: Type.Optional(Type.Union([Type.Boolean(), Type.Null()]))
}, {
  $id: 'BulkAssetDeletionRequest',
  title: 'BulkAssetDeletionRequest',
  additionalProperties: false,
  // The SDK's own example; without it Swagger UI would offer to delete whatever matches the filter "string".
  examples: [{ filter: '{"status": "error"}', strictQuery: true }]
})
export type AssetDeletionSpec = Static<typeof AssetDeletionSpec>

export const AssetDeletionSession = Type.Object({
  kind: Type.String(),
  organizationId: Type.String(),
  datasetId: Type.String(),
  deleteManyAssetsSessionId: Type.String(),
  selfLink: Type.String({ description: 'This session\'s vi-bff route' }),
  etag: Type.String(),
  metadata: ref(Metadata),
  spec: Type.Object({
    filter: Filter,
    metadataQuery: Type.Union([Type.String(), Type.Null()]),
    ruleQuery: Type.Union([Type.String(), Type.Null()]),
    strictQuery: Type.Union([Type.Boolean(), Type.Null()])
  }, { additionalProperties: false }),
  status: Type.Object({ conditions: Type.Array(ref(Condition)) }, { additionalProperties: false })
}, { $id: 'BulkAssetDeletionSession', title: 'BulkAssetDeletionSession', additionalProperties: false })
export type AssetDeletionSession = Static<typeof AssetDeletionSession>
