import { createHash } from 'node:crypto'

/**
 * Cache keys: prefix + schema version + upstream organisation + kind + id/page, so deployments for two
 * organisations sharing one Redis never read each other's entries. Per-dataset keys share the hash tag
 * `{org:dataset}` so an entry and its generation live in one Cluster slot (one MGET reads both).
 */
export function createKeys (prefix: string, organizationId: string) {
  const root = `${prefix}v1:`
  const org = `${root}{${organizationId}}`
  const ds = (datasetId: string) => `${root}{${organizationId}:${datasetId}}`
  const token = (pageToken: string | undefined) => pageToken ? createHash('sha256').update(pageToken).digest('base64url').slice(0, 22) : '-'

  const gens = {
    datasetList: `${org}:g:datasetlist`,
    dataset: (d: string) => `${ds(d)}:g:dataset`,
    exports: (d: string) => `${ds(d)}:g:exports`,
    exportList: (d: string) => `${ds(d)}:g:exportlist`
  }

  return {
    datasetList: (pageSize: number, pageToken?: string) => ({ key: `${org}:datasetlist:${pageSize}:${token(pageToken)}`, genKey: gens.datasetList }),
    dataset: (d: string) => ({ key: `${ds(d)}:dataset`, genKey: gens.dataset(d) }),
    export: (d: string, e: string) => ({ key: `${ds(d)}:export:${e}`, genKey: gens.exports(d) }),
    exportList: (d: string, pageSize: number, pageToken?: string) => ({ key: `${ds(d)}:exportlist:${pageSize}:${token(pageToken)}`, genKey: gens.exportList(d) }),
    /** The one-call download's note of the export it created for some settings, and the lock around creating it. */
    download: (d: string, settings: string) => ({ key: `${ds(d)}:download:${settings}`, lockKey: `${ds(d)}:download:${settings}:lock` }),
    /** What each write invalidates. */
    invalidates: {
      datasetDeleted: (d: string) => [gens.dataset(d), gens.exports(d), gens.exportList(d), gens.datasetList],
      exportCreated: (d: string) => [gens.exportList(d)],
      assetsDeleted: (d: string) => [gens.dataset(d), gens.datasetList]
    }
  }
}
export type Keys = ReturnType<typeof createKeys>
