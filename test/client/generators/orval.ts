import { listDatasets, createExport, getExport, getExportArchive } from '../../generated/orval/vi-bff.js'
import { orvalTarget } from './orval-fetch.js'
import type { Drive } from '../generated-drive.js'

/** orval's fetch client (generated into test/generated/orval, with the mutator in orval-fetch.ts). */
export const drive: Drive = async ({ baseUrl, key, datasetId }) => {
  Object.assign(orvalTarget, { baseUrl, headers: { authorization: `Bearer ${key}` } })
  const list = await listDatasets({ pageSize: 10 })
  if (list.status !== 200) throw new Error(`listDatasets: ${list.status}`)
  const created = await createExport(datasetId, { format: 'VI_JSONL', options: { splitRatio: 0.8 } })
  if (created.status !== 202) throw new Error(`createExport: ${created.status}`)
  const exportId = created.data.datasetExportId
  for (let state = created.data.status.state; state === 'pending';) {
    await new Promise(resolve => setTimeout(resolve, 100))
    const got = await getExport(datasetId, exportId, { 'Cache-Control': 'no-cache' })
    if (got.status !== 200) throw new Error(`getExport: ${got.status}`)
    state = got.data.status.state
  }
  const whole = await getExportArchive(datasetId, exportId)
  const part = await getExportArchive(datasetId, exportId, { Range: 'bytes=0-99' })
  if (whole.status !== 200 || part.status !== 206) throw new Error(`archive: ${whole.status} ${part.status}`)
  return {
    names: list.data.items.map(d => d.name),
    exportId,
    archive: new Uint8Array(await whole.data.arrayBuffer()),
    head100: new Uint8Array(await part.data.arrayBuffer())
  }
}
