import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'

/** Paths that belong to the API: never answered with the app's index.html, so they keep their problem+json 404/405. */
const API_PATHS = /^\/(v1|auth|docs|openapi\.json|healthz|readyz|metrics)(\/|$|\?)/

/**
 * STATIC_DIR: a built single-page app served at `/` on the API's origin, with index.html for client-side
 * routes (a GET of a path without a file extension that is no API path). Files are found at boot.
 */
export default fp<{ root: string }>(async function staticApp (app, { root }) {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    // index.html names the hashed bundles of the current build: always revalidated.
    setHeaders: (res, path) => { if (path.endsWith('.html')) res.header('cache-control', 'no-cache') }
  })
  const fallback = (request: { url: string, method: string }, reply: import('fastify').FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/'
    if (API_PATHS.test(path) || /\.[A-Za-z0-9]+$/.test(path)) return reply.callNotFound()
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  }
  app.get('/*', { schema: { hide: true } }, fallback)
  app.head('/*', { schema: { hide: true } }, fallback)
}, { name: 'static-app' })
