import Fastify, { type FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import type { TestContext } from 'node:test'
import { startSimUpstream, type SimUpstream, type SimOptions } from '../sim/index.js'
import { loadConfig, type Config } from '../src/config.js'
import app, { serverOptions, REDACT } from '../src/app.js'

export const ORG = 'a1b2c3d4-0000-4000-8000-000000000001'
export const OTHER_ORG = 'a1b2c3d4-0000-4000-8000-000000000002'
export const SECRET = 'dtvi_' + 'S3cr3tK3y'.repeat(10) + 'abcdefgh'
export const OTHER_SECRET = 'dtvi_' + 'OtherK3y0'.repeat(10) + 'abcdefgh'
export const KEY = 'test-key-all-scopes-0001'
export const READ_KEY = 'test-key-read-only-0002'
export const AUTH = { authorization: `Bearer ${KEY}` }

/** A simulated Vi upstream with two organisations, closed when the test ends. */
export async function startSim (t: TestContext, opts: Partial<SimOptions> = {}): Promise<SimUpstream> {
  const sim = await startSimUpstream({
    orgs: [{ id: ORG, secretKey: SECRET }, { id: OTHER_ORG, secretKey: OTHER_SECRET }],
    exportReadyAfterMs: 300,
    deletionDoneAfterMs: 200,
    ...opts
  })
  t.after(() => sim.close())
  return sim
}

/** The environment a test app starts with: the sim as upstream, short retries, a unique Redis key prefix. */
export function testEnv (sim: SimUpstream, env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DATATURE_VI_SECRET_KEY: SECRET,
    DATATURE_VI_ORGANIZATION_ID: ORG,
    DATATURE_VI_API_ENDPOINT: sim.url,
    API_KEYS: `all:${KEY},reader:${READ_KEY}:datasets:read`,
    ARCHIVE_HOST_ALLOWLIST: new URL(sim.storageUrl).hostname,
    UPSTREAM_RETRY_MAX_DELAY_MS: '50',
    REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
    // Limits off (load tests, many concurrent downloads per caller); test/limits sets its own.
    RATE_LIMIT_READS: '0',
    RATE_LIMIT_WRITES: '0',
    ARCHIVE_MAX_PER_CALLER: '0',
    EVENTS_MAX_PER_CALLER: '0',
    ...env
  }
}

export interface Built { app: FastifyInstance, config: Config, logs: string[] }

/** A vi-bff app built exactly as server.ts builds it, with logs captured (at debug) for secret checks. */
export async function build (t: TestContext, sim: SimUpstream, env: Record<string, string | undefined> = {}): Promise<Built> {
  const config = loadConfig(testEnv(sim, env))
  const logs: string[] = []
  const stream = new Writable({ write (chunk, _enc, cb) { logs.push(String(chunk)); cb() } })
  const server = Fastify(serverOptions(config, { level: 'debug', stream, redact: { paths: REDACT, censor: '[redacted]' } }))
  await server.register(app, { config })
  await server.ready()
  t.after(() => server.close())
  return { app: server, config, logs }
}

/** Redis for tests: REDIS_URL (set by scripts/test.ts, which starts a server when none answers). */
export function redisUrl (): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
}

/** Requests the simulated upstream received for the API, optionally filtered. */
export function apiCalls (sim: SimUpstream, method?: string, path?: string | RegExp) {
  return sim.count({ target: 'api', ...(method ? { method } : {}), ...(path ? { path } : {}) })
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
