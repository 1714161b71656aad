import fp from 'fastify-plugin'
import { Counter } from 'prom-client'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { createKeys } from '../cache/keys.js'
import { createStorageClient } from '../archive/storage-client.js'
import { createArchiveStream } from '../archive/stream.js'
import { createOneCall } from '../archive/one-call.js'
import { createExportEvents } from '../archive/events.js'

export type { ArchiveReply, ArchiveRequest } from '../archive/stream.js'
export type { DownloadOptions, DownloadOutcome } from '../archive/one-call.js'
export type { ExportListener } from '../archive/events.js'

declare module 'fastify' {
  interface FastifyInstance { archives: ReturnType<typeof createArchivesService> }
}

function createArchivesService (app: FastifyInstance, config: Config, userAgent: string) {
  const { datasets, cache, metrics } = app
  const busy = new Counter({
    name: 'vibff_archive_storage_busy_total',
    help: 'Downloads refused with 503 BFF_STORAGE_BUSY: no storage connection free within ARCHIVE_QUEUE_TIMEOUT_MS',
    registers: [metrics.registry]
  })
  const storage = createStorageClient({
    allowedHosts: config.archiveHosts,
    connections: config.ARCHIVE_CONNECTIONS,
    connectTimeoutMs: config.ARCHIVE_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.ARCHIVE_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.ARCHIVE_BODY_TIMEOUT_MS,
    queueTimeoutMs: config.ARCHIVE_QUEUE_TIMEOUT_MS,
    userAgent,
    onBusy: () => busy.inc()
  })
  const closing = new AbortController()
  const stream = createArchiveStream({ organizationId: config.DATATURE_VI_ORGANIZATION_ID, datasets, storage })
  const oneCall = createOneCall({
    datasets,
    store: cache.store,
    keys: createKeys(config.REDIS_KEY_PREFIX, config.DATATURE_VI_ORGANIZATION_ID),
    stream,
    closing: closing.signal,
    log: app.log.child({ component: 'download' })
  })
  const events = createExportEvents({ datasets, log: app.log, closing: closing.signal })

  return {
    /** ARCHIVE_MAX_WAIT_S and ARCHIVE_IDLE_TIMEOUT_MS, for the routes. */
    limits: { maxWaitS: config.ARCHIVE_MAX_WAIT_S, idleTimeoutMs: config.ARCHIVE_IDLE_TIMEOUT_MS },
    open: stream.open,
    download: oneCall.download,
    peek: oneCall.peek,
    current: events.current,
    subscribe: events.subscribe,
    pollerCount: events.pollerCount,
    countBytes: (n: number) => metrics.archiveBytes.inc(n),
    /** Ends every event stream and wait, so the server can close. */
    shutdown () {
      closing.abort()
      events.shutdown()
    },
    close: (graceMs: number) => storage.close(graceMs)
  }
}

/** Archive streaming, the one-call download and export events (src/archive), on top of the datasets service. */
export default fp<{ config: Config, userAgent: string }>(async function archivesService (app, { config, userAgent }) {
  const service = createArchivesService(app, config, userAgent)
  app.decorate('archives', service)
  app.addHook('preClose', async () => { service.shutdown() })
  app.addHook('onClose', async () => { await service.close(config.SHUTDOWN_GRACE_MS) })
}, { name: 'archives-service', dependencies: ['datasets-service', 'cache', 'metrics'] })
