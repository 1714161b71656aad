import createError from '@fastify/error'

/**
 * Every error vi-bff answers with, by stable code. Messages are printf templates (@fastify/error);
 * the error handler turns any of them into an RFC 9457 problem+json body.
 * Messages never carry a credential or a signed URL: callers pass ids and upstream messages only.
 */
export const Errors = {
  ValidationFailed: createError('BFF_VALIDATION_FAILED', '%s', 400),
  InvalidJson: createError('BFF_INVALID_JSON', 'The request body is not valid JSON: %s', 400),
  Unauthenticated: createError('BFF_UNAUTHENTICATED', '%s', 401),
  Forbidden: createError('BFF_FORBIDDEN', 'The caller lacks the "%s" scope', 403),
  RouteNotFound: createError('BFF_ROUTE_NOT_FOUND', 'No route %s %s', 404),
  MethodNotAllowed: createError('BFF_METHOD_NOT_ALLOWED', 'Method %s is not allowed on %s', 405),
  DatasetNotFound: createError('BFF_DATASET_NOT_FOUND', 'Dataset "%s" was not found', 404),
  ExportNotFound: createError('BFF_EXPORT_NOT_FOUND', 'Export "%s" of dataset "%s" was not found', 404),
  DeletionNotFound: createError('BFF_DELETION_NOT_FOUND', 'No deletion operation for dataset "%s"', 404),
  AssetDeletionNotFound: createError('BFF_ASSET_DELETION_NOT_FOUND', 'Asset deletion session "%s" of dataset "%s" was not found', 404),
  Conflict: createError('BFF_CONFLICT', 'The Vi API reported a conflict: %s', 409),
  BodyTooLarge: createError('BFF_BODY_TOO_LARGE', 'The request body is larger than %s bytes', 413),
  UnsupportedMediaType: createError('BFF_UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type %s; send application/json', 415),
  UpstreamRejected: createError('BFF_UPSTREAM_REJECTED', 'The Vi API rejected the request: %s', 400),
  UpstreamAuth: createError('BFF_UPSTREAM_AUTH_FAILED', 'The Vi API rejected vi-bff\'s own credentials (HTTP %s); this is a vi-bff configuration problem', 502),
  UpstreamError: createError('BFF_UPSTREAM_ERROR', 'The Vi API failed with HTTP %s', 502),
  UpstreamBadResponse: createError('BFF_UPSTREAM_BAD_RESPONSE', 'The Vi API sent a response that breaks its protocol: %s', 502),
  UpstreamRateLimited: createError('BFF_UPSTREAM_RATE_LIMITED', 'The Vi API is rate limiting vi-bff; retry later', 503),
  UpstreamUnavailable: createError('BFF_UPSTREAM_UNAVAILABLE', 'The Vi API could not be reached (%s)', 503),
  UpstreamTimeout: createError('BFF_UPSTREAM_TIMEOUT', 'The Vi API did not answer in time (%s)', 504),
  Internal: createError('BFF_INTERNAL', 'Internal error', 500),
  ExportNotReady: createError('BFF_EXPORT_NOT_READY', 'Export "%s" of dataset "%s" is still being prepared; retry after Retry-After seconds', 409),
  ExportFailed: createError('BFF_EXPORT_FAILED', 'Export "%s" of dataset "%s" failed and has no archive: %s', 422),
  RangeNotSatisfiable: createError('BFF_RANGE_NOT_SATISFIABLE', 'The range "%s" is outside the archive (%s bytes)', 416),
  ArchiveHostRefused: createError('BFF_ARCHIVE_HOST_REFUSED', 'The export\'s archive is on a storage host that ARCHIVE_HOST_ALLOWLIST does not allow; this is a vi-bff configuration problem', 502),
  StorageError: createError('BFF_STORAGE_ERROR', 'Archive storage failed: %s', 502),
  StorageUnavailable: createError('BFF_STORAGE_UNAVAILABLE', 'Archive storage could not be reached (%s)', 503),
  StorageTimeout: createError('BFF_STORAGE_TIMEOUT', 'Archive storage did not answer in time (%s)', 504),
  StorageBusy: createError('BFF_STORAGE_BUSY', 'Every archive storage connection is busy; retry after Retry-After seconds', 503),
  RequestTimeout: createError('BFF_REQUEST_TIMEOUT', 'vi-bff could not answer within %s ms', 504),
  ClientClosed: createError('BFF_CLIENT_CLOSED', 'The caller closed the request', 499),
  ShuttingDown: createError('BFF_SHUTTING_DOWN', 'vi-bff is shutting down; retry on another replica', 503),
  BadRequest: createError('BFF_BAD_REQUEST', '%s', 400),
  UriTooLong: createError('BFF_URI_TOO_LONG', '%s', 414),
  HeadersTooLarge: createError('BFF_HEADERS_TOO_LARGE', 'The request headers are too large', 431),
  DownloadNotFound: createError('BFF_DOWNLOAD_NOT_FOUND', 'No export of dataset "%s" with these settings is ready or being prepared; a GET creates one', 404),
  ClientTimeout: createError('BFF_CLIENT_TIMEOUT', 'The request was not received in time', 408),
  CsrfRejected: createError('BFF_CSRF_REJECTED', '%s', 403),
  SignInFailed: createError('BFF_SIGN_IN_FAILED', 'Sign-in failed: %s', 400),
  SignInUnavailable: createError('BFF_SIGN_IN_UNAVAILABLE', 'The identity provider could not be reached (%s); retry later', 503),
  SessionStoreUnavailable: createError('BFF_SESSION_STORE_UNAVAILABLE', 'Sessions cannot be read right now; retry later', 503),
  PreconditionFailed: createError('BFF_PRECONDITION_FAILED', 'If-Match does not match the current ETag of dataset "%s"; nothing was deleted', 412),
  IdempotencyInFlight: createError('BFF_IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry after Retry-After seconds', 409),
  IdempotencyMismatch: createError('BFF_IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used with another request (method, path or body); use a new key for a new request', 422),
  IdempotencyUnavailable: createError('BFF_IDEMPOTENCY_UNAVAILABLE', 'Idempotency keys cannot be checked right now; retry later', 503),
  RateLimited: createError('BFF_RATE_LIMITED', '%s; retry after Retry-After seconds', 429)
} as const

export interface ProblemExtras {
  /** Seconds for a Retry-After header. */
  retryAfter?: number
  /** Field-level details for validation failures. */
  fieldErrors?: Array<{ path: string, message: string }>
}

type ErrorFactory = (typeof Errors)[keyof typeof Errors]

/** Builds one of the coded errors with extras the problem body and headers use. */
export function problem (factory: ErrorFactory, args: unknown[], extras: ProblemExtras = {}): Error & { code: string, statusCode?: number } & ProblemExtras {
  return Object.assign(new (factory as new (...a: unknown[]) => Error & { code: string, statusCode?: number })(...args), extras)
}

/**
 * The error to throw when a request's signal fired: 504 when its deadline (REQUEST_TIMEOUT_MS) passed,
 * else BFF_CLIENT_CLOSED (the caller went away; nothing is sent to it).
 */
export function abortedError (signal: AbortSignal, timeoutMs?: number): Error & { code: string, statusCode?: number } & ProblemExtras {
  const reason = signal.reason as { name?: string } | undefined
  return reason?.name === 'TimeoutError'
    ? problem(Errors.RequestTimeout, [timeoutMs ?? 'the request deadline'])
    : problem(Errors.ClientClosed, [])
}
