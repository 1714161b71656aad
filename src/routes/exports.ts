import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref, DatasetIdParams, ExportParams, PageQuery } from '../schemas/common.js'
import { CreateExportBody, DatasetExport, DatasetExportList } from '../schemas/exports.js'
import { absentBodyIsEmpty, problems, COMMON_PROBLEMS, NotModified, readOptions, sendCached, pageOf } from './http.js'

const routes: FastifyPluginAsyncTypebox = async function (app) {
  const { datasets } = app

  app.post('/v1/datasets/:datasetId/exports', {
    config: { scope: 'exports:write' },
    preValidation: absentBodyIsEmpty,
    schema: {
      operationId: 'createExport',
      tags: ['exports'],
      summary: 'Create an export (SDK: datasets.create_export); defaults VI_FULL, normalized, no split',
      params: DatasetIdParams,
      body: ref(CreateExportBody),
      'x-optional-body': true,
      response: { 202: ref(DatasetExport, 'Export accepted; poll Location until status.state is ready or failed'), ...problems(...COMMON_PROBLEMS, 404, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const created = await datasets.createExport(request.params.datasetId, request.body, readOptions(request))
    return reply.code(202).header('location', created.selfLink).send(created)
  })

  app.get('/v1/datasets/:datasetId/exports', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'listExports',
      tags: ['exports'],
      summary: 'List a dataset\'s exports (SDK: datasets.list_exports)',
      params: DatasetIdParams,
      querystring: PageQuery,
      response: { 200: ref(DatasetExportList, 'A page of exports'), ...NotModified, ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.listExports(request.params.datasetId, pageOf(request.query), readOptions(request))))

  app.get('/v1/datasets/:datasetId/exports/:exportId', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getExport',
      tags: ['exports'],
      summary: 'Get an export and its derived state (SDK: datasets.get_export)',
      params: ExportParams,
      response: { 200: ref(DatasetExport, 'The export'), ...NotModified, ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.getExport(request.params.datasetId, request.params.exportId, readOptions(request))))
}
export default routes
