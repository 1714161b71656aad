// Signed-URL object storage (GCS-like): no auth headers, HMAC-signed expiring URLs,
// single-range GET/HEAD with If-Range, archives streamed straight from the generator.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SimContext } from './context.js'
import { applyFault, dropPoint } from './faults.js'
import { parseTarget, pump, readBody, recordOf, sendBuffer } from './http.js'
import type { FaultRule } from './types.js'

const PATH = /^\/archives\/([^/]+)\/([^/]+)\.zip$/

function xmlError (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): Promise<void> {
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
  return sendBuffer(res, status, { 'content-type': 'application/xml; charset=UTF-8', ...headers }, Buffer.from(body))
}

export type ByteRange = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' }

/** RFC 9110 single byte range; anything else (multiple ranges, bad syntax) means the full body. */
export function parseRange (header: string | undefined, total: number): ByteRange {
  if (header === undefined) return { kind: 'full' }
  const m = /^bytes=(\d*)-(\d*)$/i.exec(header.trim().replace(/\s+/g, ''))
  if (!m) return { kind: 'full' }
  const [, a = '', b = ''] = m
  if (a === '' && b === '') return { kind: 'full' }
  if (a === '') {
    const n = Number(b)
    if (n === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, total - n), end: total - 1 }
  }
  const start = Number(a)
  if (b !== '' && Number(b) < start) return { kind: 'full' } // invalid, so ignored
  if (start >= total) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end: b === '' ? total - 1 : Math.min(Number(b), total - 1) }
}

function ifRangeMatches (ifRange: string | undefined, etag: string, lastModified: string): boolean {
  if (ifRange === undefined) return true
  const v = ifRange.trim()
  if (v.startsWith('"') || v.startsWith('W/')) return v === etag // weak validators never match
  const t = Date.parse(v)
  return !Number.isNaN(t) && t === Date.parse(lastModified)
}

export function createStorageHandler (ctx: SimContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      console.error('[sim storage] internal error', err)
      if (!res.headersSent) xmlError(res, 500, 'InternalError', 'Internal simulator error').catch(() => res.destroy())
      else res.destroy()
    })
  }
}

async function handle (ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseTarget(req.url) ?? new URL('http://sim.invalid/')
  const body = await readBody(req, 64 * 1024)
  ctx.record(recordOf('storage', req, url, body.raw))
  if (body.aborted) return
  const method = req.method ?? ''
  const rule = ctx.faults.take('storage', method, url.pathname)
  if (rule && await applyFault(rule, req, res, ctx.sleeper)) return
  await serve(ctx, req, res, url, method, rule)
}

async function serve (ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL, method: string, rule: FaultRule | undefined): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    return xmlError(res, 405, 'MethodNotAllowed', `${method} is not allowed on this resource`, { allow: 'GET, HEAD' })
  }
  const m = PATH.exec(url.pathname)
  if (!m) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
  let orgId: string
  let exportId: string
  try {
    orgId = decodeURIComponent(m[1] as string)
    exportId = decodeURIComponent(m[2] as string)
  } catch {
    return xmlError(res, 400, 'InvalidURI', 'Malformed percent-encoding in path')
  }
  const expires = url.searchParams.get('expires')
  const sig = url.searchParams.get('sig')
  if (expires === null || sig === null || !/^\d{1,16}$/.test(expires)) {
    return xmlError(res, 403, 'AccessDenied', 'Anonymous caller does not have storage.objects.get access; the URL is missing its signature.')
  }
  const { state } = ctx
  if (!state.verifySignature(url.pathname, expires, sig)) {
    return xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
  }
  const now = ctx.now()
  const expiresAt = Number(expires)
  if (expiresAt <= now) return xmlError(res, 403, 'ExpiredToken', 'Invalid argument: the signed URL has expired.')
  const e = state.orgs.get(orgId)?.exports.get(exportId)
  if (!e || state.exportState(e, now) !== 'ready') return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
  if (expiresAt <= e.revokedUpTo) return xmlError(res, 403, 'ExpiredToken', 'Invalid argument: the signed URL has expired.')

  const archive = state.archive(e)
  const total = archive.size
  const lastModified = new Date(e.readyAt ?? e.createdAt).toUTCString()
  const headers: Record<string, string> = {
    'content-type': 'application/zip',
    'accept-ranges': 'bytes',
    etag: archive.etag,
    'last-modified': lastModified,
    'cache-control': 'private, max-age=0'
  }
  let range = parseRange(req.headers.range, total)
  const ifRange = req.headers['if-range']
  if (rule?.ignoreRange || !ifRangeMatches(Array.isArray(ifRange) ? ifRange.join(', ') : ifRange, archive.etag, lastModified)) range = { kind: 'full' }
  if (range.kind === 'unsatisfiable') {
    return xmlError(res, 416, 'InvalidRange', 'The requested range cannot be satisfied.', { 'content-range': `bytes */${total}` })
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, total - 1]
  const length = end - start + 1
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${total}`
  headers['content-length'] = String(length)
  res.writeHead(range.kind === 'partial' ? 206 : 200, headers)
  if (method === 'HEAD') {
    res.end()
    return
  }
  await pump(res, archive.chunks(start, end + 1), dropPoint(rule, length))
}
