import type { Redis, Cluster } from 'ioredis'
import { LRUCache } from 'lru-cache'
import type { Session } from 'fastify'
import type { SessionStore } from '@fastify/session'
import { RedisStore } from 'fastify-session-redis-store'
import type { Config } from '../config.js'
import type { Scope } from '../config.js'
import { Errors, problem } from '../errors.js'
import { createRedisClient, redisTarget } from '../redis/client.js'

/** What a signed-in session holds: the user's claims and scopes fixed at sign-in. No provider token is kept. */
export interface SessionUser {
  sub: string
  name: string | null
  email: string | null
  scopes: Scope[]
  /** Epoch ms: the absolute end (SESSION_MAX_AGE_S after sign-in), whatever the activity. */
  absExp: number
}

declare module 'fastify' {
  interface Session {
    user?: SessionUser
  }
}

/** A sign-in in progress, keyed by the id in the short-lived login cookie; taken once by the callback. */
export interface PendingLogin {
  state: string
  nonce: string
  codeVerifier: string
  returnTo: string
}

export interface SessionBackend {
  kind: 'redis' | 'memory'
  /** The @fastify/session store; its TTL is the idle timeout, capped by the absolute end. */
  store: SessionStore & { touch (sid: string, session: Session, cb: (err?: unknown) => void): void }
  putLogin (id: string, login: PendingLogin, ttlS: number): Promise<void>
  /** Returns and deletes the pending login: a replayed callback finds nothing. */
  takeLogin (id: string): Promise<PendingLogin | undefined>
  close (): Promise<void>
}

/** Seconds a session may stay unused: the idle timeout, never past its absolute end. */
export function sessionTtlS (session: { user?: SessionUser } | undefined, idleS: number, now = Date.now()): number {
  const absExp = session?.user?.absExp
  return absExp === undefined ? idleS : Math.min(idleS, Math.ceil((absExp - now) / 1000))
}

/** Store errors as a 503 problem: a session that cannot be read is neither anonymous nor a 500. */
function guarded<S extends SessionStore> (store: S): S {
  const wrap = (cb: (err?: unknown, v?: unknown) => void) => (err?: unknown, v?: unknown) =>
    err ? cb(problem(Errors.SessionStoreUnavailable, [], { retryAfter: 5 })) : cb(undefined, v)
  return new Proxy(store, {
    get (target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      if (typeof value !== 'function' || !['get', 'set', 'destroy', 'touch'].includes(String(prop))) return value
      return (...args: unknown[]) => {
        const cb = args.pop() as (err?: unknown, v?: unknown) => void
        return (value as (...a: unknown[]) => unknown).apply(target, [...args, wrap(cb)])
      }
    }
  })
}

/** A pending-login command's failure (connection lost, command timed out) as the 503 problem, as session store failures are. */
async function storeCall<T> (command: Promise<T>): Promise<T> {
  try {
    return await command
  } catch {
    throw problem(Errors.SessionStoreUnavailable, [], { retryAfter: 5 })
  }
}

/** An ioredis client for REDIS_URL (standalone, Sentinel or Cluster) with bounded command waits; shared by sessions and idempotency keys. */
export function redisClient (config: Config): Redis | Cluster {
  return createRedisClient({
    ...redisTarget(config),
    // Sessions are read on the request path: bounded waits, but patient enough for a failover.
    commandTimeoutMs: Math.max(1000, config.REDIS_COMMAND_TIMEOUT_MS),
    offlineQueue: true,
    maxRetriesPerRequest: 1
  })
}

/** Sessions and pending sign-ins in Redis (any replica serves them; a logout is seen by all at once). */
function redisBackend (config: Config, idleS: number): SessionBackend {
  const client = redisClient(config)
  const prefix = `${config.REDIS_KEY_PREFIX}auth:`
  const store = new RedisStore({
    client,
    prefix: `${prefix}session:`,
    ttl: sess => sessionTtlS(sess as { user?: SessionUser }, idleS)
  })
  return {
    kind: 'redis',
    store: guarded(store as unknown as SessionBackend['store']),
    putLogin: async (id, login, ttlS) => { await storeCall(client.set(`${prefix}login:${id}`, JSON.stringify(login), 'EX', ttlS)) },
    takeLogin: async id => {
      const raw = await storeCall(client.getdel(`${prefix}login:${id}`))
      return raw ? JSON.parse(raw) as PendingLogin : undefined
    },
    close: async () => { client.disconnect() }
  }
}

/** Sessions in this process only (one replica); the same TTL rules as Redis through lru-cache. */
function memoryBackend (idleS: number): SessionBackend {
  const sessions = new LRUCache<string, string>({ max: 100_000, ttl: idleS * 1000, updateAgeOnGet: false })
  const logins = new LRUCache<string, PendingLogin>({ max: 10_000, ttl: 600_000 })
  const ttlMs = (sess: Session) => sessionTtlS(sess, idleS) * 1000
  const store: SessionBackend['store'] = {
    get: (sid, cb) => {
      const raw = sessions.get(sid)
      cb(null, raw ? JSON.parse(raw) as Session : null)
    },
    set: (sid, sess, cb) => {
      const ttl = ttlMs(sess)
      if (ttl > 0) sessions.set(sid, JSON.stringify(sess), { ttl })
      else sessions.delete(sid)
      cb()
    },
    destroy: (sid, cb) => { sessions.delete(sid); cb() },
    touch: (sid, sess, cb) => {
      const raw = sessions.get(sid)
      const ttl = ttlMs(sess)
      if (raw && ttl > 0) sessions.set(sid, raw, { ttl })
      else sessions.delete(sid)
      cb()
    }
  }
  return {
    kind: 'memory',
    store,
    putLogin: async (id, login, ttlS) => { logins.set(id, login, { ttl: ttlS * 1000 }) },
    takeLogin: async id => {
      const login = logins.get(id)
      logins.delete(id)
      return login
    },
    close: async () => {}
  }
}

export function createSessionBackend (config: Config): SessionBackend {
  const idleS = config.auth.session!.idleS
  return config.REDIS_URL ? redisBackend(config, idleS) : memoryBackend(idleS)
}
