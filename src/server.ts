import Fastify, { type FastifyInstance } from 'fastify'
import closeWithGrace from 'close-with-grace'
import { pathToFileURL } from 'node:url'
import { loadConfig, ConfigError, type Config } from './config.js'
import app, { serverOptions, REDACT } from './app.js'

/**
 * The process: configuration, logger, listen, graceful shutdown. The app itself is src/app.ts.
 * Timeouts: a request must arrive within 30 s, but no timer cuts a response (multi-GB archives stream
 * for as long as the caller reads); idle keep-alive sockets close after 72 s.
 */
export async function startServer (config: Config, hooks: { onClose?: () => Promise<void> } = {}): Promise<FastifyInstance> {
  const server = Fastify({
    ...serverOptions(config, {
      level: config.LOG_LEVEL,
      redact: { paths: REDACT, censor: '[redacted]' },
      ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {})
    }),
    requestTimeout: 30_000,
    connectionTimeout: 0,
    keepAliveTimeout: 72_000
  })
  await server.register(app, { config })
  if (hooks.onClose) server.addHook('onClose', hooks.onClose)

  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'closing after an uncaught error')
    else server.log.info({ signal }, 'shutting down')
    await server.close()
  })

  await server.listen({ port: config.PORT, host: config.HOST })
  return server
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
