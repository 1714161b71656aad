import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withHook } from '../route-hooks.js'

/**
 * The audit trail (design.md "Fair use and safe writes"): one line at info per write and per refused write,
 * on routes marked `config.audit`, written when the answer has been sent:
 *
 *   {"level":30,"audit":true,"operation":"createExport","caller":{"kind":"apiKey","id":"frontend"},
 *    "datasetId":"ds-1","exportId":"e-9","status":202,"idempotencyKey":"k-1","replayed":false,
 *    "method":"POST","requestId":"…","msg":"audit"}
 *
 * `caller` is null when the request was refused before anyone was identified (401). Only ids, the
 * operation, the status and the caller's own Idempotency-Key are written: never a credential, cookie,
 * request body or signed URL. Operators select the lines with `audit == true`.
 */

export interface AuditNote {
  /** Ids of what the write created or targeted, beyond the route's params (e.g. the export a POST created). */
  targets: Record<string, string>
  /** On routes audited only when they write (`config.audit: 'when-writing'`): this request wrote or was refused a write. */
  write: boolean
  /** The validated Idempotency-Key, and whether the answer replayed a stored one. */
  idempotencyKey?: string
  replayed?: boolean
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true: every answer of this route is audited; 'when-writing': only when the handler says it wrote (auditNote). */
    audit?: true | 'when-writing'
  }
  interface FastifyRequest {
    audit?: AuditNote
  }
}

const TARGET_PARAMS = ['datasetId', 'exportId', 'sessionId'] as const

/** The request's audit note, created on first use: handlers add targets or mark a write with it. */
export function auditNote (request: FastifyRequest): AuditNote {
  request.audit ??= { targets: {}, write: false }
  return request.audit
}

export default fp(async function audit (app) {
  app.decorateRequest('audit', undefined)
  function onResponse (request: FastifyRequest, reply: FastifyReply, done: () => void) {
    const mode = request.routeOptions.config.audit
    const note = request.audit
    if (mode === true || (mode === 'when-writing' && note?.write)) {
      const params = (request.params ?? {}) as Record<string, unknown>
      const targets: Record<string, string> = {}
      for (const name of TARGET_PARAMS) if (typeof params[name] === 'string') targets[name] = params[name] as string
      const caller = request.caller
      request.log.info({
        audit: true,
        operation: request.routeOptions.schema?.operationId ?? `${request.method} ${request.routeOptions.url ?? ''}`,
        caller: caller ? { kind: caller.kind, id: caller.id } : null,
        ...targets,
        ...note?.targets,
        status: reply.statusCode,
        ...(note?.idempotencyKey !== undefined ? { idempotencyKey: note.idempotencyKey, replayed: note.replayed === true } : {}),
        method: request.method,
        requestId: request.id
      }, 'audit')
    }
    done()
  }
  // Only on marked routes: other routes (cached reads) pay nothing.
  app.addHook('onRoute', route => {
    if (!route.config?.audit) return
    route.onResponse = withHook(route.onResponse, onResponse as never)
  })
}, { name: 'audit' })
