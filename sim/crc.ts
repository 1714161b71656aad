// CRC-32 helpers. crc32Combine is zlib's algorithm (multmodp/x2nmodp): it lets the archive
// generator know the CRC of a multi-GiB periodic entry without reading its bytes.
import { crc32 } from 'node:zlib'

const POLY = 0xedb88320

function multmodp (a: number, b: number): number {
  let m = 0x80000000
  let p = 0
  for (;;) {
    if (a & m) {
      p ^= b
      if ((a & (m - 1)) === 0) break
    }
    m >>>= 1
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1
  }
  return p >>> 0
}

const X2N: number[] = []
{
  let p = 0x40000000 // x^1
  X2N[0] = p
  for (let n = 1; n < 32; n++) X2N[n] = p = multmodp(p, p)
}

function x2nmodp (n: number, k: number): number {
  let p = 0x80000000 // x^0
  while (n > 0) {
    if (n % 2 === 1) p = multmodp(X2N[k & 31] as number, p)
    n = Math.floor(n / 2)
    k++
  }
  return p
}

/** CRC of A||B from crc(A), crc(B) and len(B). */
export function crc32Combine (crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0
  return (multmodp(x2nmodp(len2, 3), crc1) ^ crc2) >>> 0
}

/** CRC of `block` repeated `times` times, by doubling. */
export function crc32Repeat (block: Uint8Array, times: number): number {
  let result = 0
  let cur = crc32(block)
  let curLen = block.length
  while (times > 0) {
    if (times % 2 === 1) result = crc32Combine(result, cur, curLen)
    times = Math.floor(times / 2)
    if (times > 0) {
      cur = crc32Combine(cur, cur, curLen)
      curLen *= 2
    }
  }
  return result >>> 0
}
