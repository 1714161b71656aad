import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref, DatasetIdParams, PageQuery } from '../schemas/common.js'
import { Dataset, DatasetList, DeletedDataset } from '../schemas/datasets.js'
import { problems, COMMON_PROBLEMS, NotModified, readOptions, sendCached, pageOf } from './http.js'

const routes: FastifyPluginAsyncTypebox = async function (app) {
  const { datasets } = app

  app.get('/v1/datasets', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'listDatasets',
      tags: ['datasets'],
      summary: 'List datasets (SDK: datasets.list)',
      querystring: PageQuery,
      response: { 200: ref(DatasetList, 'A page of datasets'), ...NotModified, ...problems(...COMMON_PROBLEMS) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.list(pageOf(request.query), readOptions(request))))

  app.get('/v1/datasets/:datasetId', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getDataset',
      tags: ['datasets'],
      summary: 'Get a dataset (SDK: datasets.get)',
      params: DatasetIdParams,
      response: { 200: ref(Dataset, 'The dataset'), ...NotModified, ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.get(request.params.datasetId, readOptions(request))))

  app.delete('/v1/datasets/:datasetId', {
    config: { scope: 'datasets:delete' },
    schema: {
      operationId: 'deleteDataset',
      tags: ['datasets'],
      summary: 'Delete a dataset (SDK: datasets.delete); poll the deletion route for progress',
      params: DatasetIdParams,
      response: { 202: ref(DeletedDataset, 'Deletion accepted; poll Location for progress'), ...problems(...COMMON_PROBLEMS, 404, 409) }
    }
  }, async (request, reply) => {
    const deleted = await datasets.delete(request.params.datasetId, readOptions(request))
    return reply.code(202).header('location', deleted.selfLink).send(deleted)
  })

  app.get('/v1/datasets/:datasetId/deletion', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getDatasetDeletion',
      tags: ['datasets'],
      summary: 'Get a dataset\'s deletion status (SDK: datasets.get_deletion_operation)',
      params: DatasetIdParams,
      response: { 200: ref(DeletedDataset, 'The deletion operation'), ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async request => datasets.deletion(request.params.datasetId, readOptions(request)))
}
export default routes
