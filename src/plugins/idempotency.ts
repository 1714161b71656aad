import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { Errors, problem } from '../errors.js'
import { auditNote } from './audit.js'
import { IDEMPOTENCY_KEY, createIdempotencyStore, fingerprint, recordKey, type IdempotencyRecord } from '../idempotency.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route honours Idempotency-Key (a POST that creates something upstream). */
    idempotent?: boolean
  }
  interface FastifyRequest {
    /** Set while this request holds its Idempotency-Key's in-flight marker. */
    idempotency?: { key: string, marker: string, fp: string, startedAt: number, settled: boolean }
  }
}

/** Response headers a replay repeats (the body's type and where the created resource is). */
const REPLAYED_HEADERS = ['content-type', 'location']
const IN_FLIGHT_RETRY_AFTER_S = 1

/**
 * Idempotency-Key (IETF draft) on routes marked `config.idempotent`, per caller, shared by replicas through
 * Redis: the first request with a key runs; a repeat with the same method, path and body gets the stored answer
 * with `Idempotent-Replayed: true` and no upstream call; a repeat while the first runs is 409, another body 422.
 * 5xx answers (and requests the caller abandoned) are not stored: the marker is removed and a retry runs.
 */
export default fp<{ config: Config }>(async function idempotency (app, { config }) {
  const store = createIdempotencyStore(config)
  app.addHook('onClose', async () => { await store.close() })
  const lockMs = config.IDEMPOTENCY_LOCK_S * 1000
  const ttlMs = config.IDEMPOTENCY_TTL_S * 1000
  app.decorateRequest('idempotency', undefined)

  async function guarded<T> (request: FastifyRequest, op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      request.log.warn({ err }, 'idempotency store failed')
      throw problem(Errors.IdempotencyUnavailable, [], { retryAfter: 1 })
    }
  }

  async function preHandler (request: FastifyRequest, reply: FastifyReply) {
    const raw = request.headers['idempotency-key']
    if (raw === undefined) return
    if (typeof raw !== 'string' || !IDEMPOTENCY_KEY.test(raw)) {
      const message = 'must be 1 to 255 printable ASCII characters'
      throw problem(Errors.ValidationFailed, [`Idempotency-Key ${message}`], { fieldErrors: [{ path: 'headers.idempotency-key', message }] })
    }
    const note = auditNote(request)
    note.idempotencyKey = raw
    const caller = request.caller!
    const key = recordKey(config, caller, raw)
    // The route with its decoded params: the same request however its path was spelt (trailing slash, escapes).
    const params = request.params as Record<string, string>
    const path = (request.routeOptions.url ?? '').replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
    const fp = fingerprint(request.method, path, request.body)
    const startedAt = Date.now()
    const marker = JSON.stringify({ s: 'running', fp, r: request.id, at: startedAt } satisfies IdempotencyRecord)
    const existing = await guarded(request, () => store.claim(key, marker, lockMs))
    if (existing === null) {
      request.idempotency = { key, marker, fp, startedAt, settled: false }
      return
    }
    let record: IdempotencyRecord
    try {
      record = JSON.parse(existing) as IdempotencyRecord
    } catch {
      throw problem(Errors.IdempotencyUnavailable, [], { retryAfter: 1 })
    }
    if (record.fp !== fp) throw problem(Errors.IdempotencyMismatch, [])
    if (record.s === 'running') throw problem(Errors.IdempotencyInFlight, [], { retryAfter: IN_FLIGHT_RETRY_AFTER_S })
    note.replayed = true
    Object.assign(note.targets, record.targets)
    reply.code(record.status)
    for (const [name, value] of Object.entries(record.headers)) reply.header(name, value)
    reply.header('idempotent-replayed', 'true')
    return reply.send(record.body)
  }

  async function settle (request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const held = request.idempotency
    if (!held || held.settled) return
    held.settled = true
    const status = reply.statusCode
    try {
      // 499: the caller left and nothing (or nothing known) was created.
      if (status >= 500 || status === 499 || typeof payload !== 'string') {
        await store.release(held.key, held.marker)
        return
      }
      const headers: Record<string, string> = {}
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers[name] = String(value)
      }
      const record: IdempotencyRecord = { s: 'done', fp: held.fp, status, headers, body: payload, targets: request.audit?.targets }
      await store.finish(held.key, held.marker, JSON.stringify(record), ttlMs)
    } catch (err) {
      // The marker expires after IDEMPOTENCY_LOCK_S; until then a retry gets 409.
      request.log.warn({ err }, 'idempotency record could not be written')
    }
  }

  // Stored before the answer leaves: a client that saw it and retries finds it on any replica.
  async function onSend (request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    await settle(request, reply, payload)
    return payload
  }
  // Whatever did not go through onSend frees its key. A caller that left does not free it early: the write it
  // started may still land, and its answer is stored for the retry (or the marker expires after IDEMPOTENCY_LOCK_S).
  async function onResponse (request: FastifyRequest, reply: FastifyReply) {
    await settle(request, reply, undefined)
  }

  // Hooks on the marked routes only: other routes (cached reads) pay nothing.
  app.addHook('onRoute', route => {
    if (!route.config?.idempotent) return
    const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook]
    route.preHandler = add(route.preHandler, preHandler as never)
    route.onSend = add(route.onSend, onSend as never)
    route.onResponse = add(route.onResponse, onResponse as never)
  })
}, { name: 'idempotency', dependencies: ['audit'] })
