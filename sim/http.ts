// HTTP plumbing shared by the API and storage servers: body reading, request recording,
// backpressure-aware streaming with an optional mid-body cut, and close()-aware sleeps.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RecordedRequest } from './types.js'

export const BODY_LIMIT = 1 << 20

export interface ReadBody { raw: Buffer; tooLarge: boolean; aborted: boolean }

/** Reads at most `limit` bytes, discarding (but draining) the rest. */
export function readBody (req: IncomingMessage, limit = BODY_LIMIT): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    let done = false
    const finish = (aborted: boolean): void => {
      if (done) return
      done = true
      resolve({ raw: Buffer.concat(chunks), tooLarge, aborted })
    }
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) tooLarge = true
      else chunks.push(c)
    })
    req.once('end', () => finish(false))
    req.once('error', () => finish(true))
    req.once('close', () => finish(!req.complete))
  })
}

export type JsonBody = { ok: true; value: unknown } | { ok: false }

export function parseJson (raw: Buffer): JsonBody {
  if (raw.length === 0) return { ok: false }
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown }
  } catch {
    return { ok: false }
  }
}

export function recordOf (target: 'api' | 'storage', req: IncomingMessage, url: URL, raw: Buffer): RecordedRequest {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  }
  const json = parseJson(raw)
  return {
    target,
    method: req.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: json.ok ? json.value : raw.length > 0 ? raw.toString('utf8') : undefined,
    at: Date.now()
  }
}

/** The WHATWG parser never throws for a request target relative to a base, but be defensive. */
export function parseTarget (rawUrl: string | undefined): URL | undefined {
  try {
    return new URL(rawUrl ?? '/', 'http://sim.invalid')
  } catch {
    return undefined
  }
}

/** Ends the TCP connection once what was written so far is flushed (a truncated body). */
function cut (res: ServerResponse): void {
  const s = res.socket
  if (!s || s.destroyed) return
  s.end(() => s.destroy())
}

/**
 * Writes `chunks` honouring backpressure; stops quietly if the client goes away.
 * With `dropAfter`, sends exactly that many body bytes and then closes the connection.
 */
export async function pump (res: ServerResponse, chunks: Iterable<Buffer>, dropAfter?: number): Promise<void> {
  if (dropAfter !== undefined && dropAfter <= 0) {
    res.flushHeaders()
    cut(res)
    return
  }
  let closed = res.destroyed
  let wake: (() => void) | undefined
  const onClose = (): void => { closed = true; wake?.() }
  const onDrain = (): void => wake?.()
  res.on('close', onClose)
  res.on('drain', onDrain)
  let sent = 0
  res.cork()
  let corked = true
  try {
    for (const chunk of chunks) {
      if (closed) return
      let c = chunk
      const last = dropAfter !== undefined && sent + c.length >= dropAfter
      if (last) c = c.subarray(0, (dropAfter as number) - sent)
      const ok = res.write(c)
      sent += c.length
      if (last) {
        res.uncork()
        corked = false
        cut(res)
        return
      }
      if (!ok) {
        res.uncork()
        corked = false
        if (!closed) await new Promise<void>((resolve) => { wake = resolve })
        wake = undefined
        if (closed) return
        res.cork()
        corked = true
      }
    }
    res.uncork()
    corked = false
    if (dropAfter !== undefined) cut(res)
    else res.end()
  } finally {
    if (corked) res.uncork()
    res.off('close', onClose)
    res.off('drain', onDrain)
  }
}

export function sendBuffer (res: ServerResponse, status: number, headers: Record<string, string>, payload: Buffer, dropAfter?: number): Promise<void> {
  res.writeHead(status, { ...headers, 'content-length': String(payload.length) })
  if (res.req.method === 'HEAD') { res.end(); return Promise.resolve() }
  return pump(res, [payload], dropAfter)
}

export function sendJson (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, dropAfter?: number): Promise<void> {
  return sendBuffer(res, status, { 'content-type': 'application/json', ...headers }, Buffer.from(JSON.stringify(body)), dropAfter)
}

/** Sleeps that close() can cut short; resolves false if the server closed or the client left. */
export class Sleeper {
  private readonly pending = new Map<NodeJS.Timeout, () => void>()

  sleep (ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        clearTimeout(timer)
        this.pending.delete(timer)
        res.off('close', onClose)
        resolve(ok && !res.destroyed)
      }
      const onClose = (): void => finish(false)
      const timer = setTimeout(() => finish(true), ms)
      this.pending.set(timer, () => finish(false))
      res.once('close', onClose)
    })
  }

  clear (): void {
    for (const cancel of [...this.pending.values()]) cancel()
  }
}
