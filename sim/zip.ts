// Minimal ZIP writer for stored (uncompressed) entries, split into fixed-size records so the
// archive can be laid out (and its size known) before any data byte is produced.
// ZIP64 is used only for an entry whose size does not fit 32 bits, and then for the end records.

const U32_MAX = 0xffffffff
const FLAG_UTF8 = 0x0800
const UNIX_FILE_MODE = 0o100644

export interface ZipEntry { name: string; size: number; crc: number; offset: number; zip64: boolean }

export const needsZip64 = (n: number): boolean => n >= U32_MAX

export const localHeaderSize = (name: string, zip64: boolean): number =>
  30 + Buffer.byteLength(name) + (zip64 ? 20 : 0)

export const centralHeaderSize = (name: string, zip64: boolean): number =>
  46 + Buffer.byteLength(name) + (zip64 ? 20 : 0)

export const endRecordsSize = (zip64: boolean): number => 22 + (zip64 ? 56 + 20 : 0)

export function dosDateTime (ms: number): { time: number; date: number } {
  const d = new Date(ms)
  const year = Math.max(1980, d.getUTCFullYear())
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate()
  }
}

function zip64Extra (size: number): Buffer {
  const b = Buffer.alloc(20)
  b.writeUInt16LE(0x0001, 0)
  b.writeUInt16LE(16, 2)
  b.writeBigUInt64LE(BigInt(size), 4) // uncompressed
  b.writeBigUInt64LE(BigInt(size), 12) // compressed
  return b
}

export function localHeader (e: ZipEntry, when: { time: number; date: number }): Buffer {
  const name = Buffer.from(e.name)
  const h = Buffer.alloc(30)
  h.writeUInt32LE(0x04034b50, 0)
  h.writeUInt16LE(e.zip64 ? 45 : 20, 4)
  h.writeUInt16LE(FLAG_UTF8, 6)
  h.writeUInt16LE(0, 8) // stored
  h.writeUInt16LE(when.time, 10)
  h.writeUInt16LE(when.date, 12)
  h.writeUInt32LE(e.crc >>> 0, 14)
  h.writeUInt32LE(e.zip64 ? U32_MAX : e.size, 18)
  h.writeUInt32LE(e.zip64 ? U32_MAX : e.size, 22)
  h.writeUInt16LE(name.length, 26)
  h.writeUInt16LE(e.zip64 ? 20 : 0, 28)
  return Buffer.concat(e.zip64 ? [h, name, zip64Extra(e.size)] : [h, name])
}

function centralHeader (e: ZipEntry, when: { time: number; date: number }): Buffer {
  const name = Buffer.from(e.name)
  const h = Buffer.alloc(46)
  h.writeUInt32LE(0x02014b50, 0)
  h.writeUInt16LE((3 << 8) | (e.zip64 ? 45 : 20), 4) // made by: UNIX
  h.writeUInt16LE(e.zip64 ? 45 : 20, 6)
  h.writeUInt16LE(FLAG_UTF8, 8)
  h.writeUInt16LE(0, 10)
  h.writeUInt16LE(when.time, 12)
  h.writeUInt16LE(when.date, 14)
  h.writeUInt32LE(e.crc >>> 0, 16)
  h.writeUInt32LE(e.zip64 ? U32_MAX : e.size, 20)
  h.writeUInt32LE(e.zip64 ? U32_MAX : e.size, 24)
  h.writeUInt16LE(name.length, 28)
  h.writeUInt16LE(e.zip64 ? 20 : 0, 30)
  h.writeUInt16LE(0, 32) // comment
  h.writeUInt16LE(0, 34) // disk
  h.writeUInt16LE(0, 36) // internal attrs
  h.writeUInt32LE((UNIX_FILE_MODE << 16) >>> 0, 38)
  h.writeUInt32LE(e.offset, 42) // local headers always sit below 4 GiB in our layouts
  return Buffer.concat(e.zip64 ? [h, name, zip64Extra(e.size)] : [h, name])
}

export function centralDirectory (entries: ZipEntry[], when: { time: number; date: number }): Buffer {
  return Buffer.concat(entries.map((e) => centralHeader(e, when)))
}

export function endRecords (count: number, cdSize: number, cdOffset: number, zip64: boolean): Buffer {
  const parts: Buffer[] = []
  if (zip64) {
    const z = Buffer.alloc(56)
    z.writeUInt32LE(0x06064b50, 0)
    z.writeBigUInt64LE(44n, 4)
    z.writeUInt16LE((3 << 8) | 45, 12)
    z.writeUInt16LE(45, 14)
    z.writeUInt32LE(0, 16)
    z.writeUInt32LE(0, 20)
    z.writeBigUInt64LE(BigInt(count), 24)
    z.writeBigUInt64LE(BigInt(count), 32)
    z.writeBigUInt64LE(BigInt(cdSize), 40)
    z.writeBigUInt64LE(BigInt(cdOffset), 48)
    const loc = Buffer.alloc(20)
    loc.writeUInt32LE(0x07064b50, 0)
    loc.writeUInt32LE(0, 4)
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8)
    loc.writeUInt32LE(1, 16)
    parts.push(z, loc)
  }
  const e = Buffer.alloc(22)
  e.writeUInt32LE(0x06054b50, 0)
  e.writeUInt16LE(0, 4)
  e.writeUInt16LE(0, 6)
  e.writeUInt16LE(count, 8)
  e.writeUInt16LE(count, 10)
  e.writeUInt32LE(cdSize, 12)
  e.writeUInt32LE(zip64 ? U32_MAX : cdOffset, 16)
  e.writeUInt16LE(0, 20)
  parts.push(e)
  return Buffer.concat(parts)
}
