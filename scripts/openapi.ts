import Fastify from 'fastify'
import openapiTS, { astToString } from 'openapi-typescript'
import { writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { loadConfig } from '../src/config.js'
import app, { serverOptions } from '../src/app.js'

export const TYPES_FILE = 'test/client/vi-bff.d.ts'

/** vi-bff's OpenAPI document, from an app built with placeholder settings (no network needed). */
export async function openapiDocument (): Promise<Record<string, unknown>> {
  const config = loadConfig({
    DATATURE_VI_SECRET_KEY: 'dtvi_' + 'x'.repeat(98),
    DATATURE_VI_ORGANIZATION_ID: 'openapi',
    DATATURE_VI_API_ENDPOINT: 'http://127.0.0.1:9',
    API_KEYS: 'openapi-placeholder-key',
    // Sign-in on, so the document has the /auth routes and the cookie scheme (discovery is lazy: no network).
    PUBLIC_URL: 'https://vi-bff.example.com',
    OIDC_ISSUER: 'https://idp.example.com',
    OIDC_CLIENT_ID: 'vi-bff',
    OIDC_CLIENT_SECRET: 'openapi-placeholder-secret',
    SESSION_SECRET: 'openapi-placeholder-session-secret-0123456789'
  })
  const server = Fastify(serverOptions(config))
  await server.register(app, { config })
  await server.ready()
  const doc = server.swagger() as unknown as Record<string, unknown>
  await server.close()
  return doc
}

/** TypeScript types for the document, as openapi-typescript generates them. */
export async function openapiTypes (doc: Record<string, unknown>): Promise<string> {
  return '// Generated from vi-bff\'s OpenAPI document by `npm run openapi:types`; do not edit.\n' + astToString(await openapiTS(doc as never))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const doc = await openapiDocument()
  await writeFile(TYPES_FILE, await openapiTypes(doc))
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
  else process.stdout.write(`wrote ${TYPES_FILE}\n`)
}
