import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ref, DatasetIdParams, ExportParams, PageQuery } from '../schemas/common.js'
import { CreateExportBody, DatasetExport, DatasetExportList } from '../schemas/exports.js'
import { CachedReadHeaders, IdempotencyRequest, RequestHeaders, WriteHeaders } from '../schemas/headers.js'
import { auditNote } from '../plugins/audit.js'
import { ambiguousWrite } from '../plugins/idempotency.js'
import { absentBodyIsEmpty, IDEMPOTENCY_PROBLEMS, problems, COMMON_PROBLEMS, NotModified, readOptions, sendCached, pageOf } from './http.js'

const CachedReadRequest = Type.Object({ 'If-None-Match': RequestHeaders['If-None-Match'], 'Cache-Control': RequestHeaders['Cache-Control'] })
const NotModifiedCached = { 304: { ...NotModified[304], headers: CachedReadHeaders } }

const routes: FastifyPluginAsyncTypebox = async function (app) {
  const { datasets } = app

  app.post('/v1/datasets/:datasetId/exports', {
    config: { scope: 'exports:write', audit: true, idempotent: true },
    preValidation: absentBodyIsEmpty,
    schema: {
      operationId: 'createExport',
      tags: ['exports'],
      summary: 'Create an export (SDK: datasets.create_export); defaults VI_FULL, normalized, no split',
      description: 'Asks the Vi API to prepare an export of the dataset and answers 202 with it (`status.state: pending`). Poll `Location`, or follow its `/events`, until the state is `ready`; then download `status.downloadUrl.url`. The body is optional: no body means the defaults.',
      params: DatasetIdParams,
      body: ref(CreateExportBody),
      'x-optional-body': true,
      headers: IdempotencyRequest,
      response: { 202: { ...ref(DatasetExport, 'Export accepted; poll Location until status.state is ready or failed'), headers: WriteHeaders }, ...problems(...COMMON_PROBLEMS, 404, 409, 413, 415), ...IDEMPOTENCY_PROBLEMS }
    }
  }, async (request, reply) => {
    const { datasetId } = request.params
    let created
    try {
      created = await datasets.createExport(datasetId, request.body, readOptions(request), request.idempotency?.startedAt)
    } catch (err) {
      throw ambiguousWrite(request, err, `list the dataset's exports (GET /v1/datasets/${encodeURIComponent(datasetId)}/exports) to see whether one with these settings was created`)
    }
    auditNote(request).targets.exportId = created.datasetExportId
    return reply.code(202).header('location', created.selfLink).send(created)
  })

  app.get('/v1/datasets/:datasetId/exports', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'listExports',
      tags: ['exports'],
      summary: 'List a dataset\'s exports (SDK: datasets.list_exports)',
      description: 'A page of the dataset\'s exports, each with its derived `status.state`; follow `nextPageToken` for the next page. Served from vi-bff\'s cache when fresh; revalidate with If-None-Match.',
      params: DatasetIdParams,
      querystring: PageQuery,
      headers: CachedReadRequest,
      response: { 200: { ...ref(DatasetExportList, 'A page of exports'), headers: CachedReadHeaders }, ...NotModifiedCached, ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.listExports(request.params.datasetId, pageOf(request.query), readOptions(request))))

  app.get('/v1/datasets/:datasetId/exports/:exportId', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getExport',
      tags: ['exports'],
      summary: 'Get an export and its derived state (SDK: datasets.get_export)',
      description: 'One export: `status.state` is `pending`, `ready` (then `status.downloadUrl.url` is its archive route on vi-bff) or `failed`. Served from vi-bff\'s cache when fresh; revalidate with If-None-Match.',
      params: ExportParams,
      headers: CachedReadRequest,
      response: { 200: { ...ref(DatasetExport, 'The export'), headers: CachedReadHeaders }, ...NotModifiedCached, ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.getExport(request.params.datasetId, request.params.exportId, readOptions(request))))
}
export default routes
