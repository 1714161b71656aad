import { randomInt } from 'node:crypto'

/**
 * A generation value no scope has had before (48 random bits): after a bump, or when a generation was lost
 * (evicted, expired, flushed), no entry stored under an earlier value can match the new one.
 */
export function freshGeneration (): number {
  return randomInt(1, 2 ** 48)
}

/**
 * One cached response. Times are epoch ms; the body is the serialized public JSON, so a hit sends
 * bytes without serializing anything.
 */
export interface Entry {
  /** Generation of the entry's invalidation scope when the upstream read started. */
  g: number
  /** Stored at. */
  t: number
  /** Fresh until. */
  f: number
  /** Servable stale (while revalidating) until. */
  s: number
  /** Servable stale when upstream fails, until; also the storage TTL. */
  x: number
  /** 200, or 404 for a short negative entry. */
  n: 200 | 404
  /** Strong ETag of the body. */
  e: string
  /** The JSON body. */
  b: string
  /** Private data kept beside the body (an export's signed URL); never sent to callers. */
  a?: unknown
}

/**
 * What a cache backend offers. Every method may reject (Redis down, command timeout): the cache
 * layer turns that into a miss. Invalidation is by generation: each entry records the generation of
 * its scope, `bump` gives scopes fresh generations (never a value used before, so a lost generation
 * cannot bring an old one back), and `read` returns the entry with its scope's current generation in
 * one round trip so a stale generation is never served.
 */
export interface Store {
  readonly kind: 'memory' | 'redis'
  /**
   * The entry under `key` (null when absent, or unreadable: a corrupt entry is removed, not an error) and
   * its scope's current generation (undefined while the scope has none: then no entry is current).
   */
  read (key: string, genKey: string): Promise<[Entry | null, number | undefined]>
  /** The scope's current generation, created with a fresh value when it has none. */
  generation (genKey: string): Promise<number>
  write (key: string, entry: Entry, ttlMs: number): Promise<void>
  /** Gives each scope a fresh generation; `probe` tries even while a breaker is open (a replay is the probe). */
  bump (genKeys: string[], opts?: { probe?: boolean }): Promise<void>
  /** A short lock for cross-replica single flight: a token when acquired, null when someone else holds it. */
  acquire (lockKey: string, ttlMs: number): Promise<string | null>
  release (lockKey: string, token: string): Promise<void>
  /** 'ok', or 'degraded' while the backend is failing and being bypassed. */
  state (): 'ok' | 'degraded'
  ping (): Promise<void>
  close (): Promise<void>
  /** Calls `listener` each time the backend (re)connects, or answers again after failing. */
  onReady? (listener: () => void): void
}
