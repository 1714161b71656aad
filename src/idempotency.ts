import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { Redis, Cluster } from 'ioredis'
import type { Config } from './config.js'
import type { Caller } from './auth/caller.js'
import { redisClient } from './auth/sessions.js'

/**
 * Where Idempotency-Key records live: Redis when REDIS_URL is set (every replica sees them), else memory.
 * A record is a JSON string: a `running` marker (expires after IDEMPOTENCY_LOCK_S, so a crashed replica
 * does not block its key for long) or the `done` answer (kept IDEMPOTENCY_TTL_S).
 */
export interface IdempotencyStore {
  kind: 'redis' | 'memory'
  /** Stores `marker` when the key is free and returns null; else returns what the key holds. */
  claim (key: string, marker: string, ttlMs: number): Promise<string | null>
  /** Replaces our own `marker` with the final record (nothing when the key holds something else now). */
  finish (key: string, marker: string, record: string, ttlMs: number): Promise<void>
  /** Removes our own `marker`, so a retry runs. */
  release (key: string, marker: string): Promise<void>
  /**
   * Records `name` (SET NX) with `value` when nobody has yet and returns true; false when it is taken.
   * Used for claims: an id vi-bff handed to one caller is never handed to another.
   */
  claimOnce (name: string, value: string, ttlMs: number): Promise<boolean>
  close (): Promise<void>
}

export type IdempotencyRecord =
  | { s: 'running', fp: string, r: string, at: number }
  | { s: 'done', fp: string, status: number, headers: Record<string, string>, body: string, targets?: Record<string, string> }

/** The Idempotency-Key header's syntax (IETF draft): 1..255 printable ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/

/** JSON with object keys sorted: the same body in another key order is the same request. */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Hash of the canonical request (method, path, body) a key was first used with. */
export function fingerprint (method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method}\n${path}\n${canonicalJson(body ?? {})}`).digest('base64url')
}

/** The key's storage name: per organisation and caller; the caller's key is hashed, never stored as a name. */
export function recordKey (config: Pick<Config, 'REDIS_KEY_PREFIX' | 'DATATURE_VI_ORGANIZATION_ID'>, caller: Pick<Caller, 'kind' | 'id'>, key: string): string {
  const h = createHash('sha256').update(`${caller.kind}\0${caller.id}\0${key}`).digest('base64url')
  return `${config.REDIS_KEY_PREFIX}v1:${config.DATATURE_VI_ORGANIZATION_ID}:idem:${h}`
}

/**
 * The claim on a resource vi-bff created or adopted for a caller (an export, say): whoever holds it got that id.
 * Kept as long as the Idempotency-Key records, in the same store.
 */
export function claimKey (config: Pick<Config, 'REDIS_KEY_PREFIX' | 'DATATURE_VI_ORGANIZATION_ID'>, kind: string, datasetId: string, id: string): string {
  const h = createHash('sha256').update(`${kind}\0${datasetId}\0${id}`).digest('base64url')
  return `${config.REDIS_KEY_PREFIX}v1:${config.DATATURE_VI_ORGANIZATION_ID}:claim:${h}`
}

function redisStore (config: Config): IdempotencyStore {
  const client: Redis | Cluster = redisClient(config)
  client.defineCommand('idemClaim', {
    numberOfKeys: 1,
    lua: 'local v = redis.call("get", KEYS[1]) if v then return v end redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) return false'
  })
  client.defineCommand('idemFinish', {
    numberOfKeys: 1,
    lua: 'if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("set", KEYS[1], ARGV[2], "PX", ARGV[3]) return 1 end return 0'
  })
  client.defineCommand('idemRelease', {
    numberOfKeys: 1,
    lua: 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0'
  })
  const c = client as unknown as {
    idemClaim (k: string, marker: string, ttl: number): Promise<string | null>
    idemFinish (k: string, marker: string, record: string, ttl: number): Promise<number>
    idemRelease (k: string, marker: string): Promise<number>
  }
  return {
    kind: 'redis',
    claim: (key, marker, ttlMs) => c.idemClaim(key, marker, Math.max(1, Math.round(ttlMs))),
    finish: async (key, marker, record, ttlMs) => { await c.idemFinish(key, marker, record, Math.max(1, Math.round(ttlMs))) },
    release: async (key, marker) => { await c.idemRelease(key, marker) },
    claimOnce: async (name, value, ttlMs) => (await client.set(name, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK',
    close: async () => { client.disconnect() }
  }
}

function memoryStore (): IdempotencyStore {
  // Bounded: the oldest keys go first when a replica holds more than this.
  const map = new LRUCache<string, string>({ max: 100_000, ttlAutopurge: false })
  return {
    kind: 'memory',
    claim: async (key, marker, ttlMs) => {
      const v = map.get(key)
      if (v !== undefined) return v
      map.set(key, marker, { ttl: ttlMs })
      return null
    },
    finish: async (key, marker, record, ttlMs) => { if (map.get(key) === marker) map.set(key, record, { ttl: ttlMs }) },
    release: async (key, marker) => { if (map.get(key) === marker) map.delete(key) },
    claimOnce: async (name, value, ttlMs) => {
      if (map.get(name) !== undefined) return false
      map.set(name, value, { ttl: ttlMs })
      return true
    },
    close: async () => { map.clear() }
  }
}

export function createIdempotencyStore (config: Config): IdempotencyStore {
  return config.REDIS_URL ? redisStore(config) : memoryStore()
}
