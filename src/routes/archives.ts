import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { OutgoingHttpHeaders } from 'node:http'
import type { Socket } from 'node:net'
import { pipeline } from 'node:stream'
import { Type, type Static } from 'typebox'
import { ref, DatasetIdParams, ExportParams } from '../schemas/common.js'
import { ArchiveHeaders, ContentLocationHeader, ContentRangeHeader, LocationHeader, RequestHeaders, RetryAfterHeader } from '../schemas/headers.js'
import { DatasetExport, ExportFormat } from '../schemas/exports.js'
import type { ArchiveReply, ArchiveRequest } from '../archive/stream.js'
import { isAbort, withTimeout } from '../archive/signals.js'
import { abortedError } from '../errors.js'
import { problems, COMMON_PROBLEMS, readOptions } from './http.js'
import { createRefusal } from '../auth/csrf.js'
import { auditNote } from '../plugins/audit.js'

const ArchiveQuery = Type.Object({
  format: Type.Optional(ExportFormat),
  normalized: Type.Optional(Type.Boolean({ description: 'Normalise coordinates; default true' })),
  splitRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Training fraction, e.g. 0.8; default none', examples: [0.8] })),
  annotationsOnly: Type.Optional(Type.Boolean({ description: 'Annotations only: the same as format=VI_JSONL (as the SDK\'s annotations_only)' })),
  wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 600, description: 'Seconds to wait for the export to be ready before answering 202; default and cap ARCHIVE_MAX_WAIT_S' }))
})

const ArchiveRequestHeaders = Type.Object({
  Range: RequestHeaders.Range,
  'If-Range': RequestHeaders['If-Range'],
  'Cache-Control': RequestHeaders['Cache-Control']
})

/** A zip body: `format: binary` makes generators hand out a Blob / bytes instead of parsing text. */
const binary = (description: string, headers: Record<string, unknown>) => ({
  description,
  headers,
  content: { 'application/zip': { schema: { type: 'string', format: 'binary', contentMediaType: 'application/zip' } } }
})

const ARCHIVE_RESPONSES = {
  200: binary('The archive: Content-Length, Content-Disposition, Accept-Ranges: bytes and an ETag stable for the export', ArchiveHeaders),
  206: binary('The requested byte range (Range, honoured with If-Range), with Content-Range', { ...ArchiveHeaders, ...ContentRangeHeader }),
  ...problems(...COMMON_PROBLEMS, 404, 422),
  416: { ...problems(416)[416], headers: ContentRangeHeader },
  409: { ...problems(409)[409], description: 'The export is still being prepared; retry after Retry-After seconds', headers: RetryAfterHeader }
}

const EVENTS_HEARTBEAT_MS = 15_000
const EVENTS_MAX_MS = 3_600_000

type Req = ArchiveRequest & { timeoutMs: number }

/**
 * The service's view of this request: method, Range, If-Range, a signal that fires when the caller leaves
 * (`gone`, which alone bounds the body), and one that also fires `timeoutMs` after the request arrived
 * (`signal`, which bounds everything before the body: upstream reads, waits, storage's headers).
 */
function archiveRequest (request: FastifyRequest, reply: FastifyReply, timeoutMs: number): Req {
  const gone = new AbortController()
  const res = reply.raw
  res.once('close', () => { if (!res.writableFinished) gone.abort() })
  const header = (name: string) => {
    const v = request.headers[name]
    return Array.isArray(v) ? v.join(',') : v
  }
  return {
    ...readOptions(request),
    method: request.method === 'HEAD' ? 'HEAD' : 'GET',
    range: header('range'),
    ifRange: header('if-range'),
    gone: gone.signal,
    signal: withTimeout(gone.signal, Math.max(0, Math.round(timeoutMs - reply.elapsedTime))),
    timeoutMs
  }
}

/**
 * Sends an opened archive: headers at once, then the body piped to the socket with backpressure.
 * A failure after the headers destroys the connection, so the caller sees an incomplete transfer
 * (never a short 200 taken as complete); a caller that goes away (`req.gone`) or stops reading for
 * ARCHIVE_IDLE_TIMEOUT_MS ends the storage request.
 */
function sendArchive (archives: FastifyInstance['archives'], request: FastifyRequest, reply: FastifyReply, req: Req, archive: ArchiveReply) {
  reply.hijack()
  const res = reply.raw
  if (res.destroyed) {
    archive.body?.destroy()
    return
  }
  res.writeHead(archive.status, { ...reply.getHeaders() as OutgoingHttpHeaders, ...archive.headers })
  if (!archive.body) {
    res.end()
    return
  }
  const socket = res.socket
  const before = socket?.bytesWritten ?? 0
  const stopWatching = socket
    ? watchProgress(socket, archives.limits.idleTimeoutMs, () => {
      request.log.info('archive caller stopped reading; closing the connection')
      res.destroy()
    })
    : () => {}
  // Whichever side fails first is the cause: pipeline then destroys the other side too (its error or close follows).
  let storageFailed = false
  archive.body.once('error', () => { if (!req.gone.aborted) storageFailed = true })
  // No 'close' listener of its own: a response already has Node's, the connection tracker's, the cap lease's and
  // archiveRequest's (which aborts req.gone); pipeline's callback runs once the response finished or closed.
  pipeline(archive.body, res, err => {
    stopWatching()
    archives.countBytes(Math.max(0, (socket?.bytesWritten ?? before) - before))
    if (!err) return
    if (storageFailed) request.log.warn({ code: (err as { code?: string }).code }, 'archive storage failed after the headers; connection closed')
    else request.log.info('archive caller disconnected')
  })
}

/**
 * Calls `onIdle` once the socket has taken no bytes for `idleMs` (a caller that stopped reading: backpressure
 * stops the writes). Polls bytesWritten a few times per period instead of a socket timeout, which would be
 * re-armed on every chunk of a multi-GiB body. Returns the function that stops watching.
 */
function watchProgress (socket: Socket, idleMs: number, onIdle: () => void): () => void {
  let last = socket.bytesWritten
  let since = Date.now()
  const timer = setInterval(() => {
    const now = socket.bytesWritten
    if (now !== last) {
      last = now
      since = Date.now()
    } else if (Date.now() - since >= idleMs) {
      clearInterval(timer)
      onIdle()
    }
  }, Math.min(5_000, Math.max(50, Math.floor(idleMs / 4))))
  timer.unref()
  return () => clearInterval(timer)
}

/** Errors of an archive request: 416 gets its Content-Range; a caller already gone gets nothing; a deadline passed 504. */
function onArchiveError (reply: FastifyReply, req: Req, err: unknown) {
  if (req.gone.aborted || reply.raw.destroyed) {
    reply.hijack()
    reply.raw.destroy()
    return
  }
  if (req.signal.aborted && isAbort(err)) throw abortedError(req.signal, req.timeoutMs)
  const total = (err as { total?: number }).total
  if ((err as { code?: string }).code === 'BFF_RANGE_NOT_SATISFIABLE' && total !== undefined) reply.header('content-range', `bytes */${total}`)
  throw err
}

const routes: FastifyPluginAsyncTypebox = async function (app) {
  const { archives } = app

  async function exportArchive (request: FastifyRequest<{ Params: { datasetId: string, exportId: string } }>, reply: FastifyReply) {
    const req = archiveRequest(request, reply, app.requestTimeoutMs)
    try {
      const archive = await archives.open(request.params.datasetId, request.params.exportId, req)
      sendArchive(archives, request, reply, req, archive)
    } catch (err) {
      onArchiveError(reply, req, err)
    }
  }

  app.get('/v1/datasets/:datasetId/exports/:exportId/archive', {
    // The HEAD route below is declared explicitly (Fastify refuses a second HEAD).
    exposeHeadRoute: false,
    config: { scope: 'datasets:read', cap: 'archives' },
    schema: {
      operationId: 'getExportArchive',
      tags: ['exports'],
      summary: 'Stream an export\'s archive; resumable with Range and If-Range',
      description: 'Streams the zip from storage through vi-bff (the signed URL never reaches the caller). 409 while the export is pending, 422 if it failed. `curl -C -` resumes an interrupted download.',
      params: ExportParams,
      headers: ArchiveRequestHeaders,
      response: ARCHIVE_RESPONSES
    }
  }, exportArchive)

  app.head('/v1/datasets/:datasetId/exports/:exportId/archive', {
    config: { scope: 'datasets:read' },
    schema: { hide: true, params: ExportParams }
  }, exportArchive)

  async function oneCallArchive (request: FastifyRequest<{ Params: { datasetId: string }, Querystring: Static<typeof ArchiveQuery> }>, reply: FastifyReply) {
    const { query } = request
    const settings = {
      format: query.annotationsOnly ? 'VI_JSONL' as const : query.format ?? 'VI_FULL',
      normalized: query.normalized ?? true,
      splitRatio: query.splitRatio ?? null
    }
    // `wait` counts from the request's arrival; what comes after it (opening the archive) gets REQUEST_TIMEOUT_MS more.
    const waitMs = Math.min(query.wait ?? archives.limits.maxWaitS, archives.limits.maxWaitS) * 1000
    const req = archiveRequest(request, reply, waitMs + app.requestTimeoutMs)
    const refusal = request.method === 'HEAD' ? undefined : createRefusal(request)
    try {
      const outcome = request.method === 'HEAD'
        ? await archives.peek(request.params.datasetId, settings, req)
        : await archives.download(request.params.datasetId, settings, {
          waitMs: Math.max(0, waitMs - reply.elapsedTime),
          createRefusal: refusal,
          onCreated: exportId => {
            const note = auditNote(request)
            note.write = true
            note.targets.exportId = exportId
          }
        }, req)
      if (outcome.kind === 'preparing') {
        reply.code(202).header('retry-after', String(outcome.retryAfter)).header('location', outcome.export.selfLink)
        return request.method === 'HEAD' ? reply.send() : reply.send(outcome.export)
      }
      // Where this archive stays reachable: resume there, since a newer export may answer here later.
      reply.header('content-location', `${outcome.export.selfLink}/archive`)
      sendArchive(archives, request, reply, req, outcome.reply)
    } catch (err) {
      // A creation refused (CSRF) is a refused write.
      if (refusal && err === refusal) auditNote(request).write = true
      onArchiveError(reply, req, err)
    }
  }

  app.get('/v1/datasets/:datasetId/archive', {
    exposeHeadRoute: false,
    config: { scope: 'datasets:read', audit: 'when-writing', cap: 'archives' },
    schema: {
      operationId: 'downloadDataset',
      tags: ['exports'],
      summary: 'Download a dataset in one call (SDK: datasets.download)',
      description: 'Reuses a ready export with the same settings, or one being prepared, or creates one (needs exports:write; concurrent callers share it), waits up to `wait` seconds, then streams the archive as the export archive route does. Still preparing: 202 with Retry-After and the export\'s Location.',
      params: DatasetIdParams,
      querystring: ArchiveQuery,
      headers: ArchiveRequestHeaders,
      response: {
        ...ARCHIVE_RESPONSES,
        200: { ...ARCHIVE_RESPONSES[200], headers: { ...ArchiveHeaders, ...ContentLocationHeader } },
        206: { ...ARCHIVE_RESPONSES[206], headers: { ...ArchiveHeaders, ...ContentRangeHeader, ...ContentLocationHeader } },
        202: { ...ref(DatasetExport, 'Still being prepared: poll Location (or its /events) and come back after Retry-After seconds'), headers: { ...LocationHeader, ...RetryAfterHeader } }
      }
    }
  }, oneCallArchive)

  app.head('/v1/datasets/:datasetId/archive', {
    config: { scope: 'datasets:read' },
    schema: { hide: true, params: DatasetIdParams, querystring: ArchiveQuery }
  }, oneCallArchive)

  app.get('/v1/datasets/:datasetId/exports/:exportId/events', {
    config: { scope: 'datasets:read', cap: 'events' },
    schema: {
      operationId: 'getExportEvents',
      tags: ['exports'],
      summary: 'Follow an export\'s progress as Server-Sent Events until it is ready or failed',
      description: 'Each event is named after the export\'s state (`pending`, `ready`, `failed`) and carries the DatasetExport as JSON; the `ready` event\'s `status.downloadUrl.url` is the archive route. The stream ends after `ready` or `failed` (or `problem`, if the export cannot be read any more).',
      params: ExportParams,
      response: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...problems(...COMMON_PROBLEMS, 404)
      }
    }
  }, async (request, reply) => {
    const { datasetId, exportId } = request.params
    const options = readOptions(request)
    const initial = await archives.current(datasetId, exportId, options).catch(err => {
      throw options.signal?.aborted && isAbort(err) ? abortedError(options.signal, app.requestTimeoutMs) : err
    })
    reply.hijack()
    const res = reply.raw
    if (res.destroyed) return
    res.writeHead(200, {
      ...reply.getHeaders() as OutgoingHttpHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no'
    })
    // HEAD: the GET's headers and nothing else; no poller is started.
    if (request.method === 'HEAD') {
      res.end()
      return
    }
    res.write('retry: 3000\n\n')
    let closed = false
    let unsubscribe = () => {}
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), EVENTS_HEARTBEAT_MS)
    const limit = setTimeout(() => end(), EVENTS_MAX_MS)
    function stop () {
      closed = true
      clearInterval(heartbeat)
      clearTimeout(limit)
      unsubscribe()
    }
    function end () {
      if (closed) return
      stop()
      res.end()
    }
    res.once('close', () => { if (!closed) stop() })
    const listener = {
      send: (event: string, data: string) => { if (!closed) res.write(`event: ${event}\ndata: ${data}\n\n`) },
      end,
      instance: request.url.split('?')[0] ?? '/',
      requestId: request.id
    }
    if (initial.status.state !== 'pending') {
      listener.send(initial.status.state, JSON.stringify(initial))
      end()
      return
    }
    const off = archives.subscribe(datasetId, exportId, initial, listener)
    if (closed) off()
    else unsubscribe = off
  })
}
export default routes
