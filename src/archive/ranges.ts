import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'

/**
 * HTTP byte ranges (RFC 9110 §14) and the archive's validators, as pure functions.
 * One range only: a multi-range or malformed `Range` is ignored (a full 200), as the RFC allows.
 */

/** A requested range before the archive's size is known. */
export type RangeSpec = { kind: 'from', start: number, end: number | null } | { kind: 'suffix', length: number }

/** An inclusive byte window inside an archive of `total` bytes. */
export interface Window { start: number, end: number }

const MAX_DIGITS = 15 // below 2^53

export function parseRange (header: string | undefined): RangeSpec | null {
  if (header === undefined) return null
  const m = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i.exec(header)
  if (!m) return null
  const [, a = '', b = ''] = m
  if ((a === '' && b === '') || a.length > MAX_DIGITS || b.length > MAX_DIGITS) return null
  if (a === '') return { kind: 'suffix', length: Number(b) }
  const start = Number(a)
  const end = b === '' ? null : Number(b)
  if (end !== null && end < start) return null
  return { kind: 'from', start, end }
}

export function formatRange (spec: RangeSpec): string {
  return spec.kind === 'suffix' ? `bytes=-${spec.length}` : `bytes=${spec.start}-${spec.end ?? ''}`
}

/** The window a range selects, or null when it is unsatisfiable (416). */
export function resolveRange (spec: RangeSpec, total: number): Window | null {
  if (spec.kind === 'suffix') {
    if (spec.length === 0 || total === 0) return null
    return { start: Math.max(0, total - spec.length), end: total - 1 }
  }
  if (spec.start >= total) return null
  return { start: spec.start, end: Math.min(spec.end ?? total - 1, total - 1) }
}

export interface ContentRange { start: number, end: number, total: number }

/** `bytes 0-99/1000` → numbers; `bytes *` + `/1000` (416) → total only, start and end -1; anything else null. */
export function parseContentRange (value: string | undefined): ContentRange | null {
  if (!value) return null
  const m = /^bytes (?:(\d{1,15})-(\d{1,15})|\*)\/(\d{1,15})$/i.exec(value.trim())
  if (!m) return null
  const total = Number(m[3])
  if (m[1] === undefined) return { start: -1, end: -1, total }
  const start = Number(m[1])
  const end = Number(m[2])
  return end >= start && end < total ? { start, end, total } : null
}

export function parseLength (value: string | string[] | undefined): number | null {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : null
}

/**
 * The archive's ETag: `"vi.<export>.<content>"`. `<export>` hashes organisation, dataset and export ids
 * (never the signed URL, which changes on every refresh); `<content>` carries storage's own strong ETag
 * (base64url, so it can be handed back to storage in If-Range), or the size when storage has none.
 * So it is stable for the export, changes if the bytes could have changed, and a resume can be checked
 * by storage itself.
 */
export function exportTag (organizationId: string, datasetId: string, exportId: string): string {
  return createHash('sha256').update(`${organizationId}\n${datasetId}\n${exportId}`).digest('base64url').slice(0, 16)
}

const STRONG_ETAG = /^"([\x21\x23-\x7e]{1,200})"$/

export function archiveEtag (tag: string, storageEtag: string | undefined, total: number): string {
  const strong = storageEtag ? STRONG_ETAG.exec(storageEtag) : null
  const content = strong ? 'e' + Buffer.from(strong[1] as string).toString('base64url') : `z${total}`
  return `"vi.${tag}.${content}"`
}

/** What a caller's If-Range asks for, translated for storage. */
export type Validator =
  | { kind: 'etag', storageEtag: string }
  | { kind: 'size', total: number }
  | { kind: 'date', value: string, ms: number }
  | { kind: 'never' }

export function parseIfRange (value: string, tag: string): Validator {
  const v = value.trim()
  if (v.startsWith('"')) {
    const m = /^"vi\.([A-Za-z0-9_-]{16})\.(e([A-Za-z0-9_-]+)|z(\d{1,15}))"$/.exec(v)
    if (!m || m[1] !== tag) return { kind: 'never' }
    if (m[3] !== undefined) {
      const storageEtag = `"${Buffer.from(m[3], 'base64url').toString('utf8')}"`
      return STRONG_ETAG.test(storageEtag) ? { kind: 'etag', storageEtag } : { kind: 'never' }
    }
    return { kind: 'size', total: Number(m[4]) }
  }
  if (v.startsWith('W/')) return { kind: 'never' } // weak validators never match in If-Range
  const ms = Date.parse(v)
  // Re-formatted, so storage gets a well-formed IMF-fixdate whatever the caller sent.
  return Number.isNaN(ms) ? { kind: 'never' } : { kind: 'date', value: new Date(ms).toUTCString(), ms }
}

/** The If-Range header to send storage for a validator, when storage can check it itself. */
export function storageIfRange (v: Validator | null): string | undefined {
  if (v?.kind === 'etag') return v.storageEtag
  if (v?.kind === 'date') return v.value
  return undefined
}

/** Whether the archive storage answered with is still the one the validator names. */
export function validatorHolds (v: Validator, storageEtag: string | undefined, lastModified: string | undefined, total: number): boolean {
  switch (v.kind) {
    case 'etag': return storageEtag === v.storageEtag
    case 'size': return total === v.total
    case 'date': return lastModified !== undefined && Date.parse(lastModified) === v.ms
    case 'never': return false
  }
}

/**
 * Bytes [skip, skip + length) of `source`, for a storage that ignored Range. Stops reading (and
 * destroys the source, closing its socket) once the window is sent; errors and aborts pass through.
 */
export function sliceStream (source: Readable, skip: number, length: number): Readable {
  async function * window () {
    let toSkip = skip
    let left = length
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let c = chunk
      if (toSkip > 0) {
        if (c.length <= toSkip) { toSkip -= c.length; continue }
        c = c.subarray(toSkip)
        toSkip = 0
      }
      if (c.length >= left) {
        yield c.subarray(0, left)
        return
      }
      left -= c.length
      yield c
    }
    if (left > 0) throw Object.assign(new Error('storage ended the archive early'), { code: 'BFF_STORAGE_SHORT_BODY' })
  }
  const out = Readable.from(window(), { objectMode: false })
  // Destroyed before its first read, the generator never runs and would leave the source (a storage socket) open.
  out.once('close', () => { if (!source.destroyed) source.destroy() })
  return out
}
