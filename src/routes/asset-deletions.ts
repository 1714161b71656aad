import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref, DatasetIdParams, AssetDeletionParams } from '../schemas/common.js'
import { AssetDeletionSpec, AssetDeletionSession } from '../schemas/asset-deletions.js'
import { IdempotencyRequest, WriteHeaders } from '../schemas/headers.js'
import { auditNote } from '../plugins/audit.js'
import { ambiguousWrite } from '../plugins/idempotency.js'
import { absentBodyIsEmpty, IDEMPOTENCY_PROBLEMS, problems, COMMON_PROBLEMS, readOptions } from './http.js'

const routes: FastifyPluginAsyncTypebox = async function (app) {
  const { datasets } = app

  app.post('/v1/datasets/:datasetId/asset-deletions', {
    config: { scope: 'assets:delete', audit: true, idempotent: true },
    preValidation: absentBodyIsEmpty,
    schema: {
      operationId: 'bulkDeleteAssets',
      tags: ['assets'],
      summary: 'Bulk-delete assets matching a filter (SDK: datasets.bulk_delete_assets); poll the session for progress',
      description: 'Starts a deletion session in the Vi API for the assets that match the filter and queries, and answers 202 with it; `Location` is the session to poll. Irreversible.',
      params: DatasetIdParams,
      body: ref(AssetDeletionSpec),
      'x-optional-body': true,
      headers: IdempotencyRequest,
      response: { 202: { ...ref(AssetDeletionSession, 'Deletion session started; poll Location for progress'), headers: WriteHeaders }, ...problems(...COMMON_PROBLEMS, 404, 409, 413, 415), ...IDEMPOTENCY_PROBLEMS }
    }
  }, async (request, reply) => {
    const { datasetId } = request.params
    let session
    try {
      session = await datasets.bulkDeleteAssets(datasetId, request.body, readOptions(request))
    } catch (err) {
      throw ambiguousWrite(request, err, `read the dataset (GET /v1/datasets/${encodeURIComponent(datasetId)}) to see whether the matching assets are being deleted`)
    }
    auditNote(request).targets.sessionId = session.deleteManyAssetsSessionId
    return reply.code(202).header('location', session.selfLink).send(session)
  })

  app.get('/v1/datasets/:datasetId/asset-deletions/:sessionId', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getAssetDeletion',
      tags: ['assets'],
      summary: 'Get a bulk asset deletion session (SDK: datasets.get_bulk_asset_deletion_session)',
      description: 'A bulk asset deletion session with its spec and conditions; its `Finished` condition tells when the deletion is done.',
      params: AssetDeletionParams,
      response: { 200: ref(AssetDeletionSession, 'The session'), ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async request => datasets.assetDeletion(request.params.datasetId, request.params.sessionId, readOptions(request)))
}
export default routes
