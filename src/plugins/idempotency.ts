import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withHook } from '../route-hooks.js'
import type { Config } from '../config.js'
import { Errors, problem } from '../errors.js'
import { auditNote } from './audit.js'
import { IDEMPOTENCY_KEY, claimKey, createIdempotencyStore, fingerprint, recordKey, type IdempotencyRecord } from '../idempotency.js'
import { mayHaveBeenPerformed } from '../upstream/client.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route honours Idempotency-Key (a POST that creates something upstream). */
    idempotent?: boolean
  }
  interface FastifyRequest {
    /** Set while this request holds its Idempotency-Key's in-flight marker. */
    idempotency?: { key: string, marker: string, fp: string, startedAt: number, settled: boolean }
  }
  interface FastifyInstance {
    /** Claims on ids vi-bff handed out (shared by replicas through the idempotency store). */
    writeClaims: WriteClaims
  }
}

export interface WriteClaims {
  /**
   * Claims `id` (of `kind`, in `datasetId`) for `requestId`: true when this request now holds it, false when
   * another request already does. Throws when the store cannot be reached.
   */
  claim (kind: 'export', datasetId: string, id: string, requestId: string): Promise<boolean>
}

type CodedError = Error & { code: string, statusCode?: number, retryAfter?: number }

/**
 * A write's error after which the write may have been carried out: mayHaveBeenPerformed, or a 2xx answer vi-bff could
 * not read (BFF_UPSTREAM_BAD_RESPONSE is only raised for a 2xx: the write happened, its answer is unusable).
 */
export function writeMayHaveHappened (err: unknown): boolean {
  return mayHaveBeenPerformed(err) || (err as { code?: string } | null)?.code === 'BFF_UPSTREAM_BAD_RESPONSE'
}

/**
 * The error to answer for a write that failed after it may have been carried out upstream (a 5xx, a reset or a
 * timeout after the request was sent, see mayHaveBeenPerformed): the same code and status, with a detail saying so
 * and how to check (`check`), and no Retry-After (a blind retry may repeat the write). Like every 5xx it is not
 * stored for an Idempotency-Key (design.md: a retry runs), so the detail says to check first. Any other error
 * (a 4xx, or a caller that left and gets no answer) is returned as it is.
 */
export function ambiguousWrite (request: FastifyRequest, err: unknown, check: string): unknown {
  if (!writeMayHaveHappened(err)) return err
  const e = err as CodedError
  const status = e.statusCode ?? 500
  if (status < 500 || e.code === 'BFF_CLIENT_CLOSED') return err
  const then = request.idempotency
    ? 'A failure does not use up the Idempotency-Key, so a retry with it runs again: check before sending the request again.'
    : 'Check before sending it again: a blind retry may carry it out twice.'
  const detail = `${e.message.replace(/[.\s]+$/, '')}. The write may or may not have been carried out by the Vi API; ${check}. ${then}`
  return Object.assign(new Error(detail), { code: e.code, statusCode: status }) satisfies CodedError
}

/** Response headers a replay repeats (the body's type and where the created resource is). */
const REPLAYED_HEADERS = ['content-type', 'location']
const IN_FLIGHT_RETRY_AFTER_S = 1

/**
 * Idempotency-Key (IETF draft) on routes marked `config.idempotent`, per caller, shared by replicas through
 * Redis: the first request with a key runs; a repeat with the same method, path and body gets the stored answer
 * with `Idempotent-Replayed: true` and no upstream call; a repeat while the first runs is 409, another body 422.
 * 5xx answers (design.md: including a write that may have been carried out upstream, whose detail says so) and
 * requests the caller abandoned are not stored: the marker is removed and a retry runs. A store command that failed is retried in the background until Redis answers again,
 * so a marker left by a Redis hiccup does not block its key for IDEMPOTENCY_LOCK_S.
 */
export default fp<{ config: Config }>(async function idempotency (app, { config }) {
  const store = createIdempotencyStore(config)
  app.addHook('onClose', async () => { await store.close() })
  const lockMs = config.IDEMPOTENCY_LOCK_S * 1000
  const ttlMs = config.IDEMPOTENCY_TTL_S * 1000
  app.decorateRequest('idempotency', undefined)
  app.decorate('writeClaims', {
    claim: (kind, datasetId, id, requestId) => store.claimOnce(claimKey(config, kind, datasetId, id), requestId, ttlMs)
  } satisfies WriteClaims)

  /**
   * Repeats a store command that failed (a marker to remove, a record to write) in the background until Redis
   * answers, with backoff up to 2 s, for at most the marker's lifetime (then it has expired anyway). The
   * commands compare our own marker first, so a repeat never touches another request's record.
   */
  const pending = new Set<NodeJS.Timeout>()
  let closing = false
  app.addHook('onClose', async () => {
    closing = true
    for (const timer of pending) clearTimeout(timer)
    pending.clear()
  })
  function repeatInBackground (request: FastifyRequest, what: string, op: () => Promise<void>, then?: () => Promise<void>) {
    const until = Date.now() + lockMs
    let delay = 200
    const schedule = (ms: number, run: () => Promise<void>) => {
      if (closing || Date.now() > until) return
      const timer = setTimeout(() => { pending.delete(timer); run().catch(() => {}) }, ms)
      timer.unref()
      pending.add(timer)
    }
    const attempt = async () => {
      try {
        await op()
        request.log.info({ idempotency: what }, 'idempotency store answered again; marker settled')
        // A command that timed out may still run later on the server; a second pass catches it.
        if (then) schedule(2000, then)
      } catch {
        delay = Math.min(delay * 2, 2000)
        schedule(delay, attempt)
      }
    }
    schedule(delay, attempt)
  }
  const releaseLater = (request: FastifyRequest, key: string, marker: string) => {
    const op = () => store.release(key, marker)
    repeatInBackground(request, 'release', op, op)
  }

  async function guarded<T> (request: FastifyRequest, op: () => Promise<T>, onFailure?: () => void): Promise<T> {
    try {
      return await op()
    } catch (err) {
      request.log.warn({ err }, 'idempotency store failed')
      onFailure?.()
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
    // The claim may have landed although its answer was lost (a timeout): our marker is then removed once Redis answers.
    const existing = await guarded(request, () => store.claim(key, marker, lockMs), () => releaseLater(request, key, marker))
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
    // 499: the caller left and nothing (or nothing known) was created.
    if (status >= 500 || status === 499 || typeof payload !== 'string') {
      try {
        await store.release(held.key, held.marker)
      } catch (err) {
        request.log.warn({ err }, 'idempotency marker could not be removed; retrying in the background')
        releaseLater(request, held.key, held.marker)
      }
      return
    }
    const headers: Record<string, string> = {}
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name)
      if (value !== undefined) headers[name] = String(value)
    }
    const record = JSON.stringify({ s: 'done', fp: held.fp, status, headers, body: payload, targets: request.audit?.targets } satisfies IdempotencyRecord)
    const finish = () => store.finish(held.key, held.marker, record, ttlMs)
    try {
      await finish()
    } catch (err) {
      // Until it is written a retry gets 409 (never a second write): written as soon as Redis answers again.
      request.log.warn({ err }, 'idempotency record could not be written; retrying in the background')
      repeatInBackground(request, 'finish', finish)
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
    route.preHandler = withHook(route.preHandler, preHandler as never)
    route.onSend = withHook(route.onSend, onSend as never)
    route.onResponse = withHook(route.onResponse, onResponse as never)
  })
}, { name: 'idempotency', dependencies: ['audit'] })
