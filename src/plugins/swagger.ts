import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { createRequire } from 'node:module'

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string }

/**
 * OpenAPI 3.1 from the route schemas (@fastify/swagger): components named by `$id`, only tagged routes,
 * both key schemes. Served at /openapi.json with Swagger UI at /docs.
 * @see https://github.com/fastify/fastify-swagger
 */
export default fp<{ sessionCookie?: string | undefined }>(async function openapi (app, { sessionCookie }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'vi-bff',
        version,
        description: 'Datature Vi datasets over plain HTTP: list, get, delete, export, download and bulk-delete assets, without the SDK or the organisation\'s secret key. Errors are RFC 9457 problem+json.'
      },
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
    // Fastify substitutes {} for an absent body, so routes marked x-optional-body take none at all.
    transformObject: (documents) => {
      if (!('openapiObject' in documents)) return documents.swaggerObject
      const { openapiObject } = documents
      for (const item of Object.values(openapiObject.paths ?? {})) {
        for (const op of Object.values(item ?? {}) as Array<Record<string, unknown>>) {
          if (op && typeof op === 'object' && op['x-optional-body']) {
            delete op['x-optional-body']
            if (op.requestBody) (op.requestBody as { required: boolean }).required = false
          }
        }
      }
      return openapiObject
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `Schema${i}`)
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: true })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
