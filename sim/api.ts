// The Vi datasets API (vi-upstream.md §1–§5), strict about paths, auth, headers and bodies.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SimContext } from './context.js'
import { applyFault, dropPoint } from './faults.js'
import { parseJson, parseTarget, readBody, recordOf, sendJson } from './http.js'
import { userIdFor, type BulkSpec, type DatasetRec, type OrgState } from './state.js'
import type { FaultRule } from './types.js'
import { datasetWire, deletionWire, exportWire, sessionWire, withUnknownFields } from './wire.js'

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => Promise<void>

class HttpError extends Error {
  constructor (readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message)
  }
}

const traceContext = (): string =>
  `${randomBytes(16).toString('hex')}/${BigInt('0x' + randomBytes(7).toString('hex')).toString()};o=1`

export function createApiHandler (ctx: SimContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      console.error('[sim api] internal error', err)
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal simulator error' }).catch(() => res.destroy())
      else res.destroy()
    })
  }
}

async function handle (ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseTarget(req.url) ?? new URL('http://sim.invalid/')
  const body = await readBody(req)
  const rec = recordOf('api', req, url, body.raw)
  ctx.record(rec)
  if (body.aborted) return
  const method = req.method ?? ''
  const rule = ctx.faults.take('api', method, url.pathname)
  const simDrops = rule?.drop === 'before-headers' || rule?.drop === 'reset'
  res.once('close', () => { if (!res.headersSent && !simDrops) rec.closedByClient = Date.now() })
  if (rule?.perform) {
    // The operation happens; its answer is replaced (or lost) by the fault, or sent as the fault shapes it.
    let answer: Parameters<Reply> | undefined
    await run(ctx, req, url, method, body, async (...a) => { answer = a })
    if (await applyFault(rule, req, res, ctx.sleeper)) return
    if (answer) await makeReply(res, rule, ctx.state.opts.unknownFields)(...answer)
    return
  }
  if (rule && await applyFault(rule, req, res, ctx.sleeper)) return
  await run(ctx, req, url, method, body, makeReply(res, rule, ctx.state.opts.unknownFields))
}

async function run (ctx: SimContext, req: IncomingMessage, url: URL, method: string, body: { raw: Buffer; tooLarge: boolean }, reply: Reply): Promise<void> {
  try {
    await route(ctx, req, url, method, body, reply)
  } catch (err) {
    if (!(err instanceof HttpError)) throw err
    await reply(err.status, { message: err.message }, err.headers)
  }
}

function makeReply (res: ServerResponse, rule: FaultRule | undefined, unknownFields: boolean): Reply {
  return (status, body, headers = {}) => {
    if (unknownFields && status < 300) body = withUnknownFields(body)
    const len = Buffer.byteLength(JSON.stringify(body))
    return sendJson(res, status, body, { 'x-cloud-trace-context': traceContext(), ...headers }, dropPoint(rule, len))
  }
}

function authenticate (ctx: SimContext, req: IncomingMessage): OrgState {
  const auth = req.headers.authorization
  const m = auth === undefined ? null : /^Bearer +(\S+)$/i.exec(auth.trim())
  if (!m) throw new HttpError(401, 'Missing or malformed Authorization header; expected "Bearer <secret key>"')
  const orgId = req.headers['organization-id']
  if (typeof orgId !== 'string' || orgId.trim() === '') throw new HttpError(401, 'Missing Organization-Id header')
  const org = ctx.state.authenticate(orgId.trim(), m[1] as string)
  if (!org) throw new HttpError(401, 'Invalid secret key for this organization')
  return org
}

function checkAccept (req: IncomingMessage): void {
  const accept = req.headers.accept
  if (accept === undefined || accept.trim() === '') return
  const types = accept.split(',').map((t) => (t.split(';')[0] ?? '').trim().toLowerCase())
  if (!types.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')) {
    throw new HttpError(406, `Not acceptable: this API only produces application/json (Accept: ${accept})`)
  }
}

function jsonBody (req: IncomingMessage, body: { raw: Buffer; tooLarge: boolean }): unknown {
  if (body.tooLarge) throw new HttpError(413, 'Request body too large')
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') throw new HttpError(400, `Content-Type must be application/json (got ${req.headers['content-type'] ?? 'none'})`)
  const json = parseJson(body.raw)
  if (!json.ok) throw new HttpError(400, body.raw.length === 0 ? 'Request body is required' : 'Request body is not valid JSON')
  return json.value
}

interface Route { allow: string[]; run (method: string): Promise<void> }

async function route (ctx: SimContext, req: IncomingMessage, url: URL, method: string, body: { raw: Buffer; tooLarge: boolean }, reply: Reply): Promise<void> {
  const org = authenticate(ctx, req)
  checkAccept(req)
  let segs: string[]
  try {
    segs = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s))
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in path')
  }
  const notFound = (): HttpError => new HttpError(404, `No route for ${method} ${url.pathname}`)
  if (segs.length < 3 || segs[0] !== 'workspaces' || segs[2] !== 'datasets') throw notFound()
  if (segs[1] !== org.id) throw new HttpError(403, `Permission denied: credentials do not grant access to workspace ${segs[1] ?? ''}`)
  const rest = segs.slice(3)
  const state = ctx.state
  const now = ctx.now()
  const dsSeg = rest[0] ?? ''
  const dataset = (): DatasetRec => {
    const prefix = `${org.id}_`
    const d = dsSeg.startsWith(prefix) ? org.datasets.get(dsSeg.slice(prefix.length)) : undefined
    if (!d) throw new HttpError(404, `Dataset ${dsSeg} not found`)
    return d
  }
  const pageOf = <T>(items: T[], wire: (t: T) => unknown): Promise<void> =>
    reply(200, paginate(items, url.searchParams, state.opts.defaultPageSize, wire))

  let r: Route | undefined
  const [, sub, subId] = rest
  if (rest.length === 0) {
    r = { allow: ['GET'], run: () => pageOf([...org.datasets.values()], (d) => datasetWire(state, d)) }
  } else if (rest.length === 1) {
    r = {
      allow: ['GET', 'DELETE'],
      run: async (m) => {
        const d = dataset()
        if (m === 'GET') return reply(200, datasetWire(state, d))
        const op = state.deleteDataset(d, userIdFor(org.secretKey), now)
        return reply(202, deletionWire(state, op, now))
      }
    }
  } else if (rest.length === 2 && sub === 'deleteOperation') {
    r = {
      allow: ['GET'],
      run: async () => {
        const prefix = `${org.id}_`
        const op = dsSeg.startsWith(prefix) ? org.deletions.get(dsSeg.slice(prefix.length)) : undefined
        if (!op) throw new HttpError(404, `No delete operation found for dataset ${dsSeg}`)
        return reply(200, deletionWire(state, op, now))
      }
    }
  } else if (rest.length === 2 && sub === 'datasetExports') {
    r = {
      allow: ['GET', 'POST'],
      run: async (m) => {
        if (m === 'GET') {
          const d = dataset()
          return pageOf(state.exportsOf(org.id, d.id), (e) => exportWire(state, e, now))
        }
        const json = jsonBody(req, body)
        const d = dataset()
        const spec = validateExportBody(json)
        const e = state.addExport(org.id, d.id, spec, now)
        return reply(201, exportWire(state, e, now))
      }
    }
  } else if (rest.length === 3 && sub === 'datasetExports') {
    r = {
      allow: ['GET'],
      run: async () => {
        const d = dataset()
        const e = org.exports.get(subId ?? '')
        if (!e || e.datasetId !== d.id) throw new HttpError(404, `Dataset export ${subId ?? ''} not found`)
        return reply(200, exportWire(state, e, now))
      }
    }
  } else if (rest.length === 2 && sub === 'deleteManyAssetsSessions') {
    r = {
      allow: ['POST'],
      run: async () => {
        const json = jsonBody(req, body)
        const d = dataset()
        const s = state.createSession(d, validateBulkBody(json), now)
        return reply(201, sessionWire(state, s, now))
      }
    }
  } else if (rest.length === 3 && sub === 'deleteManyAssetsSessions') {
    r = {
      allow: ['GET'],
      run: async () => {
        const d = dataset()
        const s = org.sessions.get(subId ?? '')
        if (!s || s.datasetId !== d.id) throw new HttpError(404, `Delete-many-assets session ${subId ?? ''} not found`)
        return reply(200, sessionWire(state, s, now))
      }
    }
  }
  if (!r) throw notFound()
  if (!r.allow.includes(method)) {
    throw new HttpError(405, `Method ${method} not allowed on ${url.pathname}`, { allow: r.allow.join(', ') })
  }
  await r.run(method)
}

const encodeToken = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url')

function decodeToken (token: string): number | undefined {
  const m = /^o:(\d{1,12})$/.exec(Buffer.from(token, 'base64url').toString('utf8'))
  if (!m || encodeToken(Number(m[1])) !== token) return undefined
  return Number(m[1])
}

function paginate<T> (items: T[], q: URLSearchParams, defaultSize: number, wire: (t: T) => unknown): unknown {
  let size = defaultSize
  const rawSize = q.get('pageSize')
  if (rawSize !== null) {
    size = /^\d{1,4}$/.test(rawSize) ? Number(rawSize) : NaN
    if (!(size >= 1 && size <= 1000)) throw new HttpError(400, `pageSize must be an integer from 1 to 1000 (got ${rawSize})`)
  }
  let offset = 0
  const token = q.get('pageToken')
  if (token !== null) {
    const o = decodeToken(token)
    if (o === undefined) throw new HttpError(400, 'Invalid pageToken')
    offset = o
  }
  const end = offset + size
  return {
    items: items.slice(offset, end).map(wire),
    nextPage: end < items.length ? encodeToken(end) : null,
    prevPage: offset > 0 ? encodeToken(Math.max(0, offset - size)) : null
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function exactKeys (v: unknown, where: string, keys: string[]): Record<string, unknown> {
  if (!isObject(v)) throw new HttpError(400, `${where} must be a JSON object`)
  for (const k of keys) if (!(k in v)) throw new HttpError(400, `${where}.${k} is required`)
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw new HttpError(400, `${where}.${k} is not a recognised field`)
  return v
}

function validateExportBody (json: unknown): { format: 'ViFull' | 'ViJsonl'; normalized: boolean; splitRatio: number | null } {
  const spec = exactKeys(exactKeys(json, 'body', ['spec']).spec, 'spec', ['format', 'options'])
  const { format } = spec
  if (format !== 'ViFull' && format !== 'ViJsonl') {
    throw new HttpError(400, `spec.format must be one of ViFull, ViJsonl (got ${JSON.stringify(format)})`)
  }
  const options = exactKeys(spec.options, 'spec.options', ['normalized', 'splitRatio'])
  const { normalized, splitRatio } = options
  if (typeof normalized !== 'boolean') throw new HttpError(400, `spec.options.normalized must be a boolean (got ${JSON.stringify(normalized)})`)
  if (splitRatio !== null && !(typeof splitRatio === 'number' && splitRatio > 0 && splitRatio < 1)) {
    throw new HttpError(400, `spec.options.splitRatio must be a number strictly between 0 and 1, or null (got ${JSON.stringify(splitRatio)})`)
  }
  return { format, normalized, splitRatio }
}

function validateBulkBody (json: unknown): BulkSpec {
  const spec = exactKeys(exactKeys(json, 'body', ['spec']).spec, 'spec', ['filter', 'metadataQuery', 'ruleQuery', 'strictQuery'])
  const { filter, metadataQuery, ruleQuery, strictQuery } = spec
  if (!(filter === null || typeof filter === 'string' || isObject(filter))) {
    throw new HttpError(400, 'spec.filter must be a string, an object or null')
  }
  if (!(metadataQuery === null || typeof metadataQuery === 'string')) throw new HttpError(400, 'spec.metadataQuery must be a string or null')
  if (!(ruleQuery === null || typeof ruleQuery === 'string')) throw new HttpError(400, 'spec.ruleQuery must be a string or null')
  if (!(strictQuery === null || typeof strictQuery === 'boolean')) throw new HttpError(400, 'spec.strictQuery must be a boolean or null')
  return { filter, metadataQuery, ruleQuery, strictQuery }
}
