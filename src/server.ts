import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { loadConfig, ConfigError, type Config } from './config.js'
import app, { serverOptions, REDACT } from './app.js'
import { startTelemetry, shutdownTelemetry } from './telemetry/index.js'

/** Time allowed after SHUTDOWN_GRACE_MS to close Redis and the upstream pools before the process is killed. */
const CLOSE_ALLOWANCE_MS = 5_000

/** pino-pretty on a terminal, when installed: the production image omits it (dev dependency). */
export function prettyTransport (
  isTTY = process.stdout.isTTY,
  resolve: (id: string) => string = createRequire(import.meta.url).resolve
): Pick<Exclude<FastifyServerOptions['logger'], boolean | undefined>, 'transport'> {
  if (!isTTY) return {}
  try {
    resolve('pino-pretty')
    return { transport: { target: 'pino-pretty' } }
  } catch {
    return {}
  }
}

/**
 * Where log lines go without pino-pretty: stdout through pino's asynchronous destination, in batches of at
 * least LOG_BATCH_BYTES or every LOG_FLUSH_MS, so a busy server makes one write per batch of lines instead of one
 * per line. pino flushes what is left synchronously when the process exits (also after an uncaught error).
 * LOG_WRITE_BYTES caps the string that lines are appended to while a write is in flight: sonic-boom measures that
 * string's byte length on every line (copying it), so its default 16 KiB cap cost ~3 µs a line, 4 KiB ~1.3 µs.
 */
export function logDestination () {
  return pino.destination({ dest: process.stdout.fd ?? 1, sync: false, minLength: LOG_BATCH_BYTES, maxWrite: LOG_WRITE_BYTES, periodicFlush: LOG_FLUSH_MS })
}
const LOG_BATCH_BYTES = 2048
const LOG_WRITE_BYTES = 4096
const LOG_FLUSH_MS = 250

/** The soft RLIMIT_NOFILE, where /proc tells it (Linux). */
function openFilesLimit (): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/**
 * MAX_CONNECTIONS, kept well under the descriptor limit: each archive download also holds a storage socket,
 * and the upstream pools, Redis and files need their own descriptors.
 */
export function connectionCap (wanted: number, nofile: number | undefined): number {
  if (nofile === undefined) return wanted
  return Math.min(wanted, Math.max(16, Math.floor((nofile - 128) / 2)))
}

/**
 * The process: configuration, logger, listen, bounded sockets, graceful shutdown. The app itself is src/app.ts.
 * Timeouts bound what a client sends (headers, the whole request, idle keep-alive); no timer cuts a
 * response (multi-GB archives stream for as long as the caller reads; the archive routes watch progress).
 */
export async function startServer (config: Config, hooks: { onClose?: () => Promise<void> } = {}): Promise<FastifyInstance> {
  // Before the server and app are built: the logger's trace ids and the request plugin depend on it.
  const tracing = await startTelemetry(config)
  const pretty = prettyTransport()
  const server = Fastify({
    ...serverOptions(config, {
      level: config.LOG_LEVEL,
      redact: { paths: REDACT, censor: '[redacted]' },
      ...(pretty.transport ? pretty : { stream: logDestination() })
    }),
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // A socket timeout would also cut a one-call download waiting (silently) for its export; headersTimeout bounds silent sockets.
    connectionTimeout: 0,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: {
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      // Node enforces both timeouts on this tick (default 30 s, which would stretch a 10 s headers timeout to 40 s).
      connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS)
    }
  })
  const nofile = openFilesLimit()
  server.server.maxConnections = connectionCap(config.MAX_CONNECTIONS, nofile)
  if (server.server.maxConnections < config.MAX_CONNECTIONS) {
    server.log.warn({ maxConnections: server.server.maxConnections, requested: config.MAX_CONNECTIONS, openFilesLimit: nofile }, 'MAX_CONNECTIONS lowered to stay under the open-files limit')
  }
  await server.register(app, { config })
  if (hooks.onClose) server.addHook('onClose', hooks.onClose)
  if (tracing) {
    server.log.info({ endpoint: safeEndpoint(config.tracesEndpoint), serviceName: config.OTEL_SERVICE_NAME }, 'tracing on: OTLP/HTTP')
    // Last, after the pools closed: the spans of the final requests are exported before the process exits.
    server.addHook('onClose', shutdownTelemetry)
  }

  // SHUTDOWN_GRACE_MS for requests and archive streams, then the rest is cut, then pools close; the
  // process deadline comes after both.
  closeWithGrace({
    delay: config.SHUTDOWN_GRACE_MS + CLOSE_ALLOWANCE_MS,
    logger: { error: (msg: unknown) => server.log.error(String(msg)) }
  }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'closing after an uncaught error')
    else server.log.info({ signal }, 'shutting down')
    const cut = setTimeout(() => {
      server.log.warn('shutdown grace over; closing the connections still open')
      server.server.closeAllConnections()
    }, config.SHUTDOWN_GRACE_MS)
    cut.unref()
    await server.close()
    clearTimeout(cut)
    server.log.info('closed')
  })

  await server.listen({ port: config.PORT, host: config.HOST })
  return server
}

/** The collector's origin and path for the log line (never a query string). */
function safeEndpoint (endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined
  const url = new URL(endpoint)
  return url.origin + url.pathname
}

function configOrExit (): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`vi-bff: configuration error: ${err.message}\n`)
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await startServer(configOrExit())
}
