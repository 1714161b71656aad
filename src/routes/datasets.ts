import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ref, DatasetIdParams, PageQuery } from '../schemas/common.js'
import { Dataset, DatasetList, DeletedDataset } from '../schemas/datasets.js'
import { CachedReadHeaders, LocationHeader, RequestHeaders } from '../schemas/headers.js'
import { problems, COMMON_PROBLEMS, NotModified, readOptions, sendCached, pageOf, ifMatchHolds } from './http.js'
import { Errors, problem } from '../errors.js'

const CachedReadRequest = Type.Object({ 'If-None-Match': RequestHeaders['If-None-Match'], 'Cache-Control': RequestHeaders['Cache-Control'] })
const DeleteRequest = Type.Object({
  'If-Match': Type.Optional(Type.String({ description: 'Delete only if the dataset is still this version: its ETag from GET (strong comparison; `*` = any current version). Checked against a fresh Vi API read, not the cache; 412 otherwise, nothing deleted' }))
})
const NotModifiedCached = { 304: { ...NotModified[304], headers: CachedReadHeaders } }

const routes: FastifyPluginAsyncTypebox = async function (app) {
  const { datasets } = app

  app.get('/v1/datasets', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'listDatasets',
      tags: ['datasets'],
      summary: 'List datasets (SDK: datasets.list)',
      description: 'A page of the organisation\'s datasets, newest first as the Vi API orders them; follow `nextPageToken` for the next page. Served from vi-bff\'s cache when fresh; revalidate with If-None-Match.',
      querystring: PageQuery,
      headers: CachedReadRequest,
      response: { 200: { ...ref(DatasetList, 'A page of datasets'), headers: CachedReadHeaders }, ...NotModifiedCached, ...problems(...COMMON_PROBLEMS) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.list(pageOf(request.query), readOptions(request))))

  app.get('/v1/datasets/:datasetId', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getDataset',
      tags: ['datasets'],
      summary: 'Get a dataset (SDK: datasets.get)',
      description: 'One dataset with its statistics, users and asset statuses. Served from vi-bff\'s cache when fresh; revalidate with If-None-Match.',
      params: DatasetIdParams,
      headers: CachedReadRequest,
      response: { 200: { ...ref(Dataset, 'The dataset'), headers: CachedReadHeaders }, ...NotModifiedCached, ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async (request, reply) => sendCached(request, reply, await datasets.get(request.params.datasetId, readOptions(request))))

  app.delete('/v1/datasets/:datasetId', {
    config: { scope: 'datasets:delete', audit: true },
    schema: {
      operationId: 'deleteDataset',
      tags: ['datasets'],
      summary: 'Delete a dataset (SDK: datasets.delete); poll the deletion route for progress',
      description: 'Starts the dataset\'s deletion in the Vi API and answers 202 with the deletion operation; `Location` is the deletion route to poll. Irreversible. With `If-Match`, deletes only if the dataset\'s current ETag (read fresh from the Vi API) matches; else 412 and nothing is deleted.',
      params: DatasetIdParams,
      headers: DeleteRequest,
      response: { 202: { ...ref(DeletedDataset, 'Deletion accepted; poll Location for progress'), headers: LocationHeader }, ...problems(...COMMON_PROBLEMS, 404, 409, 412) }
    }
  }, async (request, reply) => {
    const ifMatch = request.headers['if-match']
    if (ifMatch !== undefined) {
      // A missing dataset stays 404 (RFC 9110 §13.2.1: preconditions apply only where the answer would be 2xx).
      const etag = await datasets.currentEtag(request.params.datasetId, readOptions(request))
      if (!ifMatchHolds(ifMatch, etag)) throw problem(Errors.PreconditionFailed, [request.params.datasetId])
    }
    const deleted = await datasets.delete(request.params.datasetId, readOptions(request))
    return reply.code(202).header('location', deleted.selfLink).send(deleted)
  })

  app.get('/v1/datasets/:datasetId/deletion', {
    config: { scope: 'datasets:read' },
    schema: {
      operationId: 'getDatasetDeletion',
      tags: ['datasets'],
      summary: 'Get a dataset\'s deletion status (SDK: datasets.get_deletion_operation)',
      description: 'The deletion operation of a dataset being (or already) deleted, with its conditions; 404 when there is none.',
      params: DatasetIdParams,
      response: { 200: ref(DeletedDataset, 'The deletion operation'), ...problems(...COMMON_PROBLEMS, 404) }
    }
  }, async request => datasets.deletion(request.params.datasetId, readOptions(request)))
}
export default routes
