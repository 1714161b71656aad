import { Type } from 'typebox'

/**
 * HTTP headers for the OpenAPI document. Request headers go in a route's `schema.headers` (plain strings, so
 * validation accepts every value Node hands over); response headers go in a response schema's `headers`,
 * which @fastify/swagger documents and Fastify's serialiser ignores.
 */
const header = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra })

export const RequestHeaders = {
  Range: Type.Optional(Type.String({ description: 'One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-500` (RFC 9110 §14.2); several ranges get the whole archive. Ignored on HEAD.', examples: ['bytes=0-1023'] })),
  'If-Range': Type.Optional(Type.String({ description: 'The ETag or Last-Modified of a previous response: the range is honoured only if the archive has not changed since, else the whole archive is sent (200)' })),
  'If-None-Match': Type.Optional(Type.String({ description: 'ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current' })),
  'Cache-Control': Type.Optional(Type.String({ description: '`no-cache` (or `max-age=0`, `no-store`) reads through vi-bff\'s cache to the Vi API' }))
}

/** Headers of a cached JSON read (200 and 304). */
export const CachedReadHeaders = {
  ETag: header('Validator of this representation, for If-None-Match'),
  'Cache-Status': header('RFC 9211 cache status of vi-bff\'s cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss`'),
  'Cache-Control': header('`private, no-cache`: a client may store it but revalidates with If-None-Match')
}

export const LocationHeader = { Location: header('The new resource\'s vi-bff route: poll it for progress', { format: 'uri-reference' }) }

/** Idempotency-Key on POST routes that create something (validated by the idempotency plugin: 1..255 printable ASCII). */
export const IdempotencyRequest = Type.Object({
  'Idempotency-Key': Type.Optional(Type.String({ description: 'A unique value per intended write (e.g. a UUID), 1-255 printable ASCII characters. A retry with the same key and body within IDEMPOTENCY_TTL_S gets the first answer again (`Idempotent-Replayed: true`) and creates nothing; 409 while the first is still running; 422 with another body. Per caller.', examples: ['4f6c1c3e-8b1e-4e5a-9d0b-6f4d2a7c9e10'] }))
})

/** Headers of a write answer that may be a replay of an Idempotency-Key's first answer. */
export const WriteHeaders = {
  ...LocationHeader,
  'Idempotent-Replayed': header('`true` when this is the stored answer of an earlier request with the same Idempotency-Key (nothing was created)', { enum: ['true'] })
}

export const RetryAfterHeader = { 'Retry-After': header('Seconds to wait before retrying (an integer)', { pattern: '^[0-9]+$' }) }

/** Headers of an archive body (200 and 206). */
export const ArchiveHeaders = {
  'Content-Length': header('Bytes in this response body', { pattern: '^[0-9]+$' }),
  'Content-Disposition': header('`attachment; filename="{datasetId}-{exportId}.zip"`'),
  'Accept-Ranges': header('`bytes`: Range requests are honoured'),
  ETag: header('Strong validator of the archive, stable for the export; send it as If-Range to resume'),
  'Last-Modified': header('When storage last changed the archive, when it says'),
  'Cache-Control': header('`private, no-transform`')
}

export const ContentRangeHeader = { 'Content-Range': header('The range sent and the archive\'s size, `bytes 0-1023/4096` (206); `bytes */4096` (416)') }

export const ContentLocationHeader = { 'Content-Location': header('The archive route of the export that was streamed (resume there: a newer export may answer this route later)', { format: 'uri-reference' }) }

export const RequestIdHeader = { 'X-Request-Id': header('This request\'s id, as logged (the caller\'s X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`)') }
