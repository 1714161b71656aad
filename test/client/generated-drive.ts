/** What each generated-client driver (test/client/generators/*.ts) is given and reports back. */
export interface DriveTarget {
  baseUrl: string
  key: string
  datasetId: string
}

export interface Driven {
  /** Names of the datasets listed. */
  names: string[]
  /** The export created (202), once it reported ready. */
  exportId: string
  /** The whole archive (200). */
  archive: Uint8Array
  /** `Range: bytes=0-99` of it (206). */
  head100: Uint8Array
}

export type Drive = (target: DriveTarget) => Promise<Driven>
