// Deterministic export archives, generated on the fly.
//
// Every archive is a real ZIP of stored entries: a handful of small `{split}/images/*.jpg` and
// `{split}/annotations/*.jsonl` entries (vi-upstream.md §6), and one last "filler" image whose
// length is chosen so the archive is exactly the requested size. Image bytes are slices of one
// 1 MiB pseudo-random block (made once per process from a fixed key) at a per-export phase, so any
// byte range is served by slicing that block (no per-archive memory, Range is O(1)), and the CRC of
// a multi-GiB filler is computed algebraically (crc32Combine) instead of by reading it.
// A filler of 4 GiB or more gets ZIP64 records. Small sizes drop assets (down to a lone image
// entry); below that (about 150 bytes) the archive is plain pseudo-random bytes, not a ZIP.
import { createCipheriv, createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { crc32Combine, crc32Repeat } from './crc.js'
import {
  centralDirectory, centralHeaderSize, dosDateTime, endRecords, endRecordsSize, localHeader,
  localHeaderSize, needsZip64, type ZipEntry
} from './zip.js'
import type { DatasetType } from './types.js'

export const BLOCK_SIZE = 1 << 20

let block: Buffer | undefined
let blockCrc: number | undefined

/** AES-128-CTR keystream under a fixed key: fast, incompressible and identical in every process. */
export function patternBlock (): Buffer {
  block ??= createCipheriv('aes-128-ctr', Buffer.alloc(16, 0x56), Buffer.alloc(16, 0)).update(Buffer.alloc(BLOCK_SIZE))
  return block
}

type Part = { buf: Buffer } | { gen: number; len: number }

const partLength = (p: Part): number => ('buf' in p ? p.buf.length : p.len)

/** CRC of `len` bytes of the periodic pattern starting at stream position `start`. */
function genCrc (start: number, len: number): number {
  const b = patternBlock()
  const phase = start % BLOCK_SIZE
  const first = Math.min(len, BLOCK_SIZE - phase)
  let c = crc32(b.subarray(phase, phase + first))
  const rest = len - first
  const whole = Math.floor(rest / BLOCK_SIZE)
  if (whole > 0) {
    blockCrc ??= crc32(b)
    c = crc32Combine(c, whole === 1 ? blockCrc : crc32Repeat(b, whole), whole * BLOCK_SIZE)
  }
  const tail = rest - whole * BLOCK_SIZE
  if (tail > 0) c = crc32(b.subarray(0, tail), c)
  return c >>> 0
}

function partsCrc (parts: Part[]): number {
  let c = 0
  for (const p of parts) c = 'buf' in p ? crc32(p.buf, c) : crc32Combine(c, genCrc(p.gen, p.len), p.len)
  return c >>> 0
}

export interface ArchiveSpec {
  org: string;
  exportId: string;
  datasetType: DatasetType;
  format: 'ViFull' | 'ViJsonl';
  normalized: boolean;
  splitRatio: number | null;
  size: number;
}

// Constant, so the bytes depend only on the spec (not on when the sim started).
const ENTRY_TIME = dosDateTime(Date.UTC(2025, 0, 15, 9, 30, 0))
const JPEG_HEAD = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex')
const JPEG_TAIL = Buffer.from('ffd9', 'hex')
const MIN_IMAGE = JPEG_HEAD.length + JPEG_TAIL.length
const MAX_ASSETS = 7

function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Asset { split: string; stem: string; width: number; height: number; imageLen: number; gen: number }

const GROUNDING = [
  { caption: 'a forklift carrying a pallet past a worker in a yellow vest', phrases: ['a forklift', 'a pallet', 'a worker'] },
  { caption: 'two cereal boxes on the top shelf beside a jar of honey', phrases: ['two cereal boxes', 'the top shelf', 'a jar of honey'] },
  { caption: 'a cyclist waiting at the crosswalk next to a red car', phrases: ['a cyclist', 'the crosswalk', 'a red car'] },
  { caption: 'a cracked solar panel in the second row of the array', phrases: ['a cracked solar panel', 'the second row'] }
]
const VQA = [
  [['How many people are visible?', 'Three'], ['Is anyone wearing a helmet?', 'Yes, two of them']],
  [['What colour is the car on the left?', 'Red'], ['Is the traffic light green?', 'No']],
  [['Which shelf has the most empty space?', 'The bottom shelf'], ['Are there any price tags missing?', 'Yes, one']],
  [['Is there visible damage on the panel?', 'Yes, a crack near the top edge']]
]

function annotationLines (spec: ArchiveSpec, a: Asset, rnd: () => number): string {
  const asset = { type: 'Image', filename: `${a.stem}.jpg`, height: a.height, width: a.width }
  const coord = (v: number, max: number): number =>
    spec.normalized ? Math.round(v * 10_000) / 10_000 : Math.round(v * max)
  const lines: unknown[] = []
  const count = 1 + Math.floor(rnd() * 2)
  for (let i = 0; i < count; i++) {
    let contents: unknown
    if (spec.datasetType === 'vqa') {
      const qa = VQA[Math.floor(rnd() * VQA.length)] ?? []
      contents = { type: 'Vqa', interactions: qa.map(([question, answer], order) => ({ order, question, answer })) }
    } else {
      const g = GROUNDING[Math.floor(rnd() * GROUNDING.length)] ?? { caption: '', phrases: [] }
      const tokens = g.caption.split(' ')
      contents = {
        type: 'PhraseGrounding',
        caption: g.caption,
        groundedPhrases: g.phrases.map((phrase) => {
          const words = phrase.split(' ')
          const start = tokens.findIndex((_, k) => words.every((w, j) => tokens[k + j] === w))
          const x1 = rnd() * 0.6; const y1 = rnd() * 0.6
          const x2 = x1 + 0.1 + rnd() * 0.3; const y2 = y1 + 0.1 + rnd() * 0.3
          return {
            phrase,
            startTokenIndex: start,
            endTokenIndex: start + words.length,
            bounds: [[x1, y1], [x2, y1], [x2, y2], [x1, y2]].map(([x, y]) => [coord(x ?? 0, a.width), coord(y ?? 0, a.height)])
          }
        })
      }
    }
    lines.push({ id: `ann-${a.stem}-${i}`, asset, contents })
  }
  return lines.map((l) => JSON.stringify(l) + '\n').join('')
}

interface PlannedEntry { name: string; parts: Part[] }

export class Archive {
  readonly size: number
  readonly isZip: boolean
  readonly etag: string
  private readonly parts: Part[]
  private readonly offsets: number[]
  private sha?: string

  constructor (readonly spec: ArchiveSpec) {
    if (!Number.isSafeInteger(spec.size) || spec.size < 1) throw new Error(`archive size must be a positive integer, got ${spec.size}`)
    const seed = createHash('sha256').update(`${spec.org}/${spec.exportId}`).digest()
    const base = seed.readUInt32BE(0) % BLOCK_SIZE
    const layout = planZip(spec, seed.readUInt32BE(4), base)
    this.isZip = layout !== undefined
    this.parts = layout ?? [{ gen: base, len: spec.size }]
    this.offsets = []
    let off = 0
    for (const p of this.parts) { this.offsets.push(off); off += partLength(p) }
    if (off !== spec.size) throw new Error(`archive layout is ${off} bytes, expected ${spec.size}`)
    this.size = off
    this.etag = '"' + createHash('sha1').update(JSON.stringify(spec)).digest('hex') + '"'
  }

  /** Bytes [start, end) as zero-copy slices; at most BLOCK_SIZE per chunk. */
  * chunks (start = 0, end = this.size): Generator<Buffer> {
    const b = patternBlock()
    for (let i = 0; i < this.parts.length; i++) {
      const p = this.parts[i] as Part
      const pStart = this.offsets[i] as number
      const pEnd = pStart + partLength(p)
      if (pEnd <= start) continue
      if (pStart >= end) break
      const s = Math.max(start, pStart) - pStart
      const e = Math.min(end, pEnd) - pStart
      if ('buf' in p) { yield p.buf.subarray(s, e); continue }
      let pos = p.gen + s
      let left = e - s
      while (left > 0) {
        const phase = pos % BLOCK_SIZE
        const n = Math.min(BLOCK_SIZE - phase, left)
        yield b.subarray(phase, phase + n)
        pos += n
        left -= n
      }
    }
  }

  /** Streams over the generator once, then cached. */
  sha256 (): string {
    if (this.sha === undefined) {
      const h = createHash('sha256')
      for (const c of this.chunks()) h.update(c)
      this.sha = h.digest('hex')
    }
    return this.sha
  }
}

function planAssets (spec: ArchiveSpec, rnd: () => number, base: number): Asset[] {
  const trainCount = spec.splitRatio === null ? MAX_ASSETS : Math.max(1, Math.min(MAX_ASSETS - 1, Math.round(MAX_ASSETS * spec.splitRatio)))
  const out: Asset[] = []
  for (let i = 0; i < MAX_ASSETS; i++) {
    const landscape = rnd() < 0.7
    out.push({
      split: i < trainCount ? 'training' : 'validation',
      stem: `frame-${String(1000 + Math.floor(rnd() * 9000))}-${i}`,
      width: landscape ? 1280 : 720,
      height: landscape ? 720 : 1280,
      imageLen: 1500 + Math.floor(rnd() * 3000),
      gen: base + (i + 1) * 104_729
    })
  }
  return out
}

const imageParts = (a: Asset, len: number): Part[] =>
  [{ buf: JPEG_HEAD }, { gen: a.gen, len: len - MIN_IMAGE }, { buf: JPEG_TAIL }]

/** The largest layout whose last image can be padded to the exact size; undefined if none fits. */
function planZip (spec: ArchiveSpec, seed: number, base: number): Part[] | undefined {
  const rnd = mulberry32(seed)
  const assets = planAssets(spec, rnd, base)
  const annotations = assets.map((a) => Buffer.from(annotationLines(spec, a, rnd)))
  // The filler starts at the export's own phase; the small images sit 100 KiB+ further on.
  const fillerGen = base
  // Candidates, largest first: n assets with annotations, then a lone image for tiny sizes.
  const candidates = [...assets.map((_, i) => ({ n: assets.length - i, annotated: true })), { n: 1, annotated: false }]
  for (const { n, annotated } of candidates) {
    const fixed: PlannedEntry[] = []
    for (let i = 0; i < n; i++) {
      const a = assets[i] as Asset
      if (i < n - 1) fixed.push({ name: `${a.split}/images/${a.stem}.jpg`, parts: imageParts(a, a.imageLen) })
      if (annotated) fixed.push({ name: `${a.split}/annotations/${a.stem}.jsonl`, parts: [{ buf: annotations[i] as Buffer }] })
    }
    const last = assets[n - 1] as Asset
    const fillerName = `${last.split}/images/${last.stem}.jpg`
    const fixedLocal = fixed.reduce((s, e) => s + localHeaderSize(e.name, false) + e.parts.reduce((t, p) => t + partLength(p), 0), 0)
    const fixedCentral = fixed.reduce((s, e) => s + centralHeaderSize(e.name, false), 0)
    let entryZ = false
    let endZ = false
    let fillerLen = 0
    for (let round = 0; round < 4; round++) {
      fillerLen = spec.size - fixedLocal - localHeaderSize(fillerName, entryZ) - fixedCentral -
        centralHeaderSize(fillerName, entryZ) - endRecordsSize(endZ)
      const nextEntryZ = needsZip64(fillerLen)
      const cdOffset = fixedLocal + localHeaderSize(fillerName, nextEntryZ) + fillerLen
      const nextEndZ = nextEntryZ || needsZip64(cdOffset + fixedCentral + centralHeaderSize(fillerName, nextEntryZ))
      if (nextEntryZ === entryZ && nextEndZ === endZ) break
      entryZ = nextEntryZ
      endZ = nextEndZ
    }
    if (fillerLen < MIN_IMAGE) continue
    const planned = [...fixed, { name: fillerName, parts: imageParts({ ...last, gen: fillerGen }, fillerLen) }]
    const parts: Part[] = []
    const entries: ZipEntry[] = []
    let offset = 0
    for (const e of planned) {
      const size = e.parts.reduce((t, p) => t + partLength(p), 0)
      const entry: ZipEntry = { name: e.name, size, crc: partsCrc(e.parts), offset, zip64: needsZip64(size) }
      const header = localHeader(entry, ENTRY_TIME)
      entries.push(entry)
      parts.push({ buf: header }, ...e.parts)
      offset += header.length + size
    }
    const cd = centralDirectory(entries, ENTRY_TIME)
    parts.push({ buf: cd }, { buf: endRecords(entries.length, cd.length, offset, endZ) })
    return parts
  }
  return undefined
}
