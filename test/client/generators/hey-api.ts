import { createClient, createConfig } from '../../generated/hey-api/client/index.js'
import { listDatasets, createExport, getExport, getExportArchive } from '../../generated/hey-api/index.js'
import type { Drive } from '../generated-drive.js'

/** @hey-api/openapi-ts with its fetch client (generated into test/generated/hey-api). */
export const drive: Drive = async ({ baseUrl, key, datasetId }) => {
  const client = createClient(createConfig({ baseUrl, auth: () => key }))
  const list = await listDatasets({ client, query: { pageSize: 10 } })
  if (!list.data) throw new Error(`listDatasets: ${list.response.status}`)
  const created = await createExport({ client, path: { datasetId }, body: { format: 'VI_JSONL', options: { splitRatio: 0.8 } } })
  if (!created.data) throw new Error(`createExport: ${created.response.status}`)
  const exportId = created.data.datasetExportId
  for (let state = created.data.status.state; state === 'pending';) {
    await new Promise(resolve => setTimeout(resolve, 100))
    const got = await getExport({ client, path: { datasetId, exportId }, headers: { 'Cache-Control': 'no-cache' } })
    if (!got.data) throw new Error(`getExport: ${got.response.status}`)
    state = got.data.status.state
  }
  const whole = await getExportArchive({ client, path: { datasetId, exportId } })
  const part = await getExportArchive({ client, path: { datasetId, exportId }, headers: { Range: 'bytes=0-99' } })
  if (!whole.data || whole.response.status !== 200 || !part.data || part.response.status !== 206) throw new Error(`archive: ${whole.response.status} ${part.response.status}`)
  return {
    names: list.data.items.map(d => d.name),
    exportId,
    archive: new Uint8Array(await whole.data.arrayBuffer()),
    head100: new Uint8Array(await part.data.arrayBuffer())
  }
}
