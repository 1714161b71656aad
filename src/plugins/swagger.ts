import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { createRequire } from 'node:module'
import { RequestIdHeader, RetryAfterHeader } from '../schemas/headers.js'

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string }

type Json = Record<string, unknown>
interface Operation extends Json {
  operationId?: string
  summary?: string
  description?: string
  parameters?: Array<{ in: string, name: string }>
  responses?: Record<string, Json & { headers?: Json, content?: Json }>
}

/** Request headers and statuses that only make sense with a body: HEAD ignores Range (RFC 9110 §14.2). */
const RANGE_ONLY_HEADERS = new Set(['range', 'if-range'])
const RANGE_ONLY_STATUSES = ['206', '416']

/** Statuses whose answers may carry Retry-After besides those a route declares. */
const RETRY_STATUSES = new Set(['429', '503'])

/** Swagger UI's page: its scripts and styles are same-origin files; no `upgrade-insecure-requests`, which breaks plain-HTTP hosts. */
export const DOCS_CSP = "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'self'; form-action 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'"

const toFastifyPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1')
const headId = (getId: string) => getId.startsWith('get') ? `head${getId.slice(3)}` : `head${getId[0]!.toUpperCase()}${getId.slice(1)}`

/** The HEAD operation of a GET: its parameters, statuses and headers, no content, nothing about ranges. */
function headOperation (get: Operation): Operation {
  const head = structuredClone(get)
  head.operationId = headId(get.operationId ?? 'operation')
  head.summary = `Headers only: ${get.summary ?? get.operationId}`
  head.description = 'The GET\'s status and headers without a body. Range and If-Range are ignored; nothing is created or changed.'
  head.parameters = head.parameters?.filter(p => !(p.in === 'header' && RANGE_ONLY_HEADERS.has(p.name.toLowerCase())))
  if (head.parameters?.length === 0) delete head.parameters
  for (const status of RANGE_ONLY_STATUSES) delete head.responses?.[status]
  for (const response of Object.values(head.responses ?? {})) delete response.content
  return head
}

const headerObjects = (headers: Record<string, { description: string } & Json>) => Object.fromEntries(Object.entries(headers)
  .map(([name, { description, ...schema }]) => [name, { description, schema }]))

/** Fastify substitutes {} for an absent body, so routes marked x-optional-body take none at all. */
function optionalBodies (op: Operation) {
  if (!op['x-optional-body']) return
  delete op['x-optional-body']
  if (op.requestBody) (op.requestBody as { required: boolean }).required = false
}

/**
 * OpenAPI 3.1 from the route schemas (@fastify/swagger): components named by `$id`, only tagged routes,
 * both key schemes, HEAD beside every GET the server answers HEAD on, X-Request-Id on every response.
 * Served at /openapi.json with Swagger UI at /docs.
 * @see https://github.com/fastify/fastify-swagger
 */
export default fp<{ sessionCookie?: string | undefined }>(async function openapi (app, { sessionCookie }) {
  // @fastify/swagger leaves HEAD routes out (exposeHeadRoutes: false); they are derived from their GET below.
  const headRoutes = new Set<string>()
  app.addHook('onRoute', route => {
    if (([] as string[]).concat(route.method).includes('HEAD')) headRoutes.add(route.url)
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'vi-bff',
        version,
        description: 'Datature Vi datasets over plain HTTP: list, get, delete, export, download and bulk-delete assets, without the SDK or the organisation\'s secret key. Errors are RFC 9457 problem+json.'
      },
      // Relative: the origin (and path) this document is served from, whatever the deployment's host name.
      servers: [{ url: '/', description: 'This vi-bff (the origin serving this document)' }],
      tags: [
        { name: 'datasets', description: 'Datasets and their deletion' },
        { name: 'exports', description: 'Dataset exports and archives' },
        { name: 'assets', description: 'Bulk asset deletion' },
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'auth', description: 'Signing in frontends (OpenID Connect, server-side session cookie)' }
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A vi-bff API key (API_KEYS), or a JWT from the identity provider (JWT_ISSUER / OIDC_ISSUER)' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key, in a header' },
          ...(sessionCookie
            ? { sessionCookie: { type: 'apiKey' as const, in: 'cookie' as const, name: sessionCookie, description: 'The session cookie set by /auth/callback after signing in at /auth/login; writes also need the header X-CSRF: 1' } }
            : {})
        }
      },
      security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, ...(sessionCookie ? [{ sessionCookie: [] }] : [])]
    },
    hideUntagged: true,
    transformObject: (documents) => {
      if (!('openapiObject' in documents)) return documents.swaggerObject
      const { openapiObject } = documents
      const paths = (openapiObject.paths ?? {}) as Record<string, Record<string, Operation>>
      for (const [path, item] of Object.entries(paths)) {
        for (const op of Object.values(item)) optionalBodies(op)
        // Idempotent: a HEAD already documented (e.g. exposeHeadRoutes) is kept as it is.
        if (item.get && !item.head && headRoutes.has(toFastifyPath(path))) item.head = headOperation(item.get)
        for (const op of Object.values(item)) {
          for (const [status, response] of Object.entries(op.responses ?? {})) {
            response.headers = {
              ...(RETRY_STATUSES.has(status) ? headerObjects(RetryAfterHeader) : {}),
              ...response.headers,
              ...headerObjects(RequestIdHeader)
            }
          }
        }
      }
      return openapiObject
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `Schema${i}`)
    }
  })
  // `urls` (not `url`, which the plugin points at /docs/json) makes the UI load the one public document.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, urls: [{ url: '/openapi.json', name: 'vi-bff' }] },
    staticCSP: DOCS_CSP
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
