import fp from 'fastify-plugin'
import { Problem, Condition, Metadata } from './common.js'
import { Dataset, DatasetList, DeletedDataset } from './datasets.js'
import { CreateExportBody, DatasetExport, DatasetExportList } from './exports.js'
import { AssetDeletionSpec, AssetDeletionSession } from './asset-deletions.js'

/** Every shared schema, added once by `$id`: routes `$ref` them and OpenAPI names components after them. */
export const sharedSchemas = [
  Problem, Condition, Metadata,
  Dataset, DatasetList, DeletedDataset,
  CreateExportBody, DatasetExport, DatasetExportList,
  AssetDeletionSpec, AssetDeletionSession
]

export default fp(async function schemas (app) {
  for (const schema of sharedSchemas) app.addSchema(schema)
}, { name: 'schemas' })
