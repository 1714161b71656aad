import createClient from 'openapi-fetch'
import type { paths } from '../vi-bff.js'
import type { Drive } from '../generated-drive.js'

/** openapi-typescript types (test/client/vi-bff.d.ts) + openapi-fetch. */
export const drive: Drive = async ({ baseUrl, key, datasetId }) => {
  const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${key}` } })
  const list = await client.GET('/v1/datasets', { params: { query: { pageSize: 10 } } })
  if (!list.data) throw new Error(`listDatasets: ${list.response.status}`)
  const created = await client.POST('/v1/datasets/{datasetId}/exports', { params: { path: { datasetId } }, body: { format: 'VI_JSONL', options: { splitRatio: 0.8 } } })
  if (!created.data) throw new Error(`createExport: ${created.response.status}`)
  const exportId = created.data.datasetExportId
  for (let state = created.data.status.state; state === 'pending';) {
    await new Promise(resolve => setTimeout(resolve, 100))
    const got = await client.GET('/v1/datasets/{datasetId}/exports/{exportId}', { params: { path: { datasetId, exportId }, header: { 'Cache-Control': 'no-cache' } } })
    if (!got.data) throw new Error(`getExport: ${got.response.status}`)
    state = got.data.status.state
  }
  const path = { datasetId, exportId }
  const whole = await client.GET('/v1/datasets/{datasetId}/exports/{exportId}/archive', { params: { path }, parseAs: 'arrayBuffer' })
  const part = await client.GET('/v1/datasets/{datasetId}/exports/{exportId}/archive', { params: { path, header: { Range: 'bytes=0-99' } }, parseAs: 'arrayBuffer' })
  if (!whole.data || whole.response.status !== 200 || !part.data || part.response.status !== 206) throw new Error(`archive: ${whole.response.status} ${part.response.status}`)
  return { names: list.data.items.map(d => d.name), exportId, archive: new Uint8Array(whole.data), head100: new Uint8Array(part.data) }
}
