import { STATUS_CODES } from 'node:http'
import type { ProblemExtras } from './errors.js'
import type { Problem } from './schemas/common.js'

/** What a problem body is built from: any thrown error, coded (BFF_...) or not. */
export type ProblemSource = Error & ProblemExtras & { code?: string, statusCode?: number }

/**
 * The public RFC 9457 body for an error, the same for HTTP answers and SSE `problem` events: a coded
 * error's own message, anything else (a 500 without a BFF_ code) only "Internal error".
 */
export function problemBody (err: ProblemSource, instance: string, requestId: string): Problem {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
  const internal = status === 500 && !err.code?.startsWith('BFF_')
  const code = internal ? 'BFF_INTERNAL' : err.code ?? 'BFF_INTERNAL'
  const body: Problem = {
    type: `urn:vi-bff:problem:${code.replace(/^BFF_/, '').toLowerCase().replace(/_/g, '-')}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: internal ? 'Internal error' : err.message,
    instance,
    code,
    requestId
  }
  if (err.fieldErrors) body.errors = err.fieldErrors
  return body
}
