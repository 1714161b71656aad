import fp from 'fastify-plugin'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { Errors, problem } from '../errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Shutdown state: `draining` turns true when close() starts (SIGTERM), before the listener stops. */
    lifecycle: { readonly draining: boolean }
  }
  interface FastifyContextConfig {
    /** Routes that still answer themselves while draining (health probes); others answer 503. */
    servesWhileDraining?: boolean
  }
}

/** Bounds of the lingering close (nginx: lingering_time, lingering_timeout; here one time and a byte budget). */
export const LINGER_MAX_MS = 5_000
export const LINGER_MAX_BYTES = 64 * 1024 * 1024
/** Retry-After on 503 BFF_SHUTTING_DOWN: another replica can answer at once. */
const SHUTDOWN_RETRY_AFTER_S = 1

/**
 * Reads and discards what a client still sends after an early answer (413, 401 before the body), then
 * closes: closing a socket with unread input makes the kernel send a reset, which often destroys the
 * answer before the client reads it. Node's own close (destroySoon) is replaced by a bounded drain.
 */
function linger (req: IncomingMessage, socket: Socket) {
  if (req.complete || socket.destroyed) return
  socket.removeListener('finish', socket.destroy)
  if (socket.writable) socket.end()
  let read = 0
  const close = () => { if (!socket.destroyed) socket.destroy() }
  const timer = setTimeout(close, LINGER_MAX_MS)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
  req.on('data', (chunk: Buffer) => {
    read += chunk.length
    if (read > LINGER_MAX_BYTES) close()
  })
  req.once('end', close)
  req.once('error', close)
  req.resume()
}

/**
 * The HTTP connections of this app: every early answer ends with a lingering close, and the drain on close:
 * busy keep-alive connections close after their in-flight response, idle ones at once (Fastify's
 * server.close), new requests on open connections get 503 BFF_SHUTTING_DOWN with Connection: close.
 */
export default fp(async function connections (app) {
  let draining = false
  app.decorate('lifecycle', { get draining () { return draining } })
  const inFlight = new Set<ServerResponse>()

  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket
    inFlight.add(res)
    // Runs after Node's own finish handler, which has already asked the socket to close if it had to.
    res.once('finish', () => {
      if (!req.complete) linger(req, socket)
      else if (draining && !socket.destroyed) socket.end()
    })
    res.once('close', () => inFlight.delete(res))
  })

  // Callback-style hooks: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    if (!draining) return done()
    reply.header('connection', 'close')
    if (request.routeOptions.config.servesWhileDraining) return done()
    done(problem(Errors.ShuttingDown, [], { retryAfter: SHUTDOWN_RETRY_AFTER_S }))
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    // An answer sent before the whole body arrived ends the connection (with a lingering close).
    if (!request.raw.complete) reply.header('connection', 'close')
    done(null, payload)
  })

  app.addHook('preClose', async () => {
    draining = true
    for (const res of inFlight) {
      if (!res.headersSent) res.setHeader('connection', 'close')
    }
  })
}, { name: 'connections' })
