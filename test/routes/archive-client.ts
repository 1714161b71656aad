import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http'
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { SimUpstream } from '../../sim/index.js'
import { AUTH, ORG, SECRET } from '../helper.js'

/** Test plumbing for the archive routes: a listening vi-bff and a plain node:http client that sees every byte. */

export interface Fetched {
  status: number
  headers: IncomingHttpHeaders
  bytes: number
  sha256: string
  /** The body arrived whole (res.complete); false when the connection was cut mid-body. */
  complete: boolean
  body: Buffer
}

export interface GetOptions {
  method?: 'GET' | 'HEAD'
  headers?: Record<string, string>
  /** Keep the body in memory (small archives only). */
  keep?: boolean
  /** Stop reading after this many bytes and destroy the connection. */
  abortAfter?: number
}

/** Listens on loopback; closed with the app. */
export async function listen (app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}

const agent = new Agent({ keepAlive: false })

/** GET (or HEAD) with the all-scopes key unless headers say otherwise, hashing the body as it streams. */
export function fetchArchive (url: string, opts: GetOptions = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: { ...AUTH, ...opts.headers }, agent }, res => {
      const hash = createHash('sha256')
      const chunks: Buffer[] = []
      let bytes = 0
      let done = false
      const finish = () => {
        if (done) return
        done = true
        const body = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, sha256: hash.digest('hex'), complete: res.complete, body })
      }
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        hash.update(chunk)
        if (opts.keep) chunks.push(chunk)
        if (opts.abortAfter !== undefined && bytes >= opts.abortAfter) {
          req.destroy()
          finish()
        }
      })
      res.on('error', () => {})
      res.on('close', finish)
    })
    req.on('error', err => { if (!(err as { code?: string }).code?.startsWith('ECONNRESET')) reject(err) })
    req.end()
  })
}

export function sha256 (buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex')
}

/** The whole archive as storage serves it, straight from the sim (for byte comparisons). */
export async function archiveBytes (sim: SimUpstream, exportId: string, datasetId = 'ds1'): Promise<Buffer> {
  const res = await fetch(`${sim.url}/workspaces/${ORG}/datasets/${ORG}_${datasetId}/datasetExports/${exportId}`, {
    headers: { authorization: `Bearer ${SECRET}`, 'organization-id': ORG }
  })
  const url = ((await res.json()) as { status: { downloadUrl: { url: string } } }).status.downloadUrl.url
  return Buffer.from(await (await fetch(url)).arrayBuffer())
}

/** Storage requests the sim recorded. */
export function storageRequests (sim: SimUpstream) {
  return sim.requests.filter(r => r.target === 'storage')
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually (check: () => boolean, ms: number, every = 20): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise(resolve => setTimeout(resolve, every))
  }
  return check()
}

export function archiveUrl (base: string, exportId: string, datasetId = 'ds1'): string {
  return `${base}/v1/datasets/${datasetId}/exports/${exportId}/archive`
}
