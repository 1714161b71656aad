/**
 * What bench/cache.ts, bench/limits.ts and bench/traces.ts share: the caller and dataset they read, autocannon, the
 * tsc build, the environment of a bench/cache-server.mjs child, the CPU pinning (server on the last CPU, this
 * process and autocannon on the others) and the command-line options common to all three.
 */
import { fork, execFileSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

export const ORG = 'b0000000-0000-4000-8000-0000000000be'
export const SECRET = 'dtvi_' + 'B3nchK3y0'.repeat(10) + 'abcdefgh'
export const KEY = 'bench-key-0000000000000001'
export const DATASET = 'ds-bench'
export const PATH = `/v1/datasets/${DATASET}`
/** bench/ and the repository root. */
export const here = dirname(fileURLToPath(import.meta.url))
export const root = dirname(here)
export const cpuCount = availableParallelism()
/** The CPU a pinned server runs on: the last one. */
export const serverCpu = cpuCount - 1

export interface AutocannonResult {
  requests: { average: number, total: number }
  latency: { p50: number, p99: number, p99_9: number, average: number }
  non2xx: number
  errors: number
  timeouts: number
}
export type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

/** Compiles a project with the repository's tsc (by default vi-bff itself into dist/, as production runs it). */
export function tsc (project = join(root, 'tsconfig.build.json')): void {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { stdio: 'inherit' })
}

/**
 * The environment of a bench/cache-server.mjs child: the settings every bench shares (the simulated upstream, the
 * caller's API key, a dataset cached for an hour, an ephemeral port on loopback), plus the bench's own.
 */
export function serverEnv (simUrl: string, own: { BENCH_MODE: string, LOG_LEVEL: string, RATE_LIMIT_READS: string, REDIS_KEY_PREFIX: string } & Record<string, string | undefined>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    BENCH_PATH: PATH,
    BENCH_KEY: KEY,
    PORT: '0',
    HOST: '127.0.0.1',
    DATATURE_VI_SECRET_KEY: SECRET,
    DATATURE_VI_ORGANIZATION_ID: ORG,
    DATATURE_VI_API_ENDPOINT: simUrl,
    API_KEYS: `bench:${KEY}`,
    CACHE_TTL_DATASET_S: '3600',
    ...own
  }
}

/** Forks a bench server, with pin on the last CPU (taskset); its stdout goes nowhere, its stderr here. */
export function forkServer (script: string, env: NodeJS.ProcessEnv, pin: boolean): ChildProcess {
  return pin
    ? fork(script, [], { env, execPath: 'taskset', execArgv: ['-c', String(serverCpu), process.execPath], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    : fork(script, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
}

/** Moves this process (and so autocannon) off the server's CPU, onto the others. */
export function pinLoader (): void {
  execFileSync('taskset', ['-a', '-cp', cpuCount === 2 ? '0' : `0-${serverCpu - 1}`, String(process.pid)], { stdio: 'ignore' })
}

/** The parseArgs options every load bench takes; `rounds` is its default number of rounds. */
export function loadOptions (rounds: string) {
  return {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: rounds },
    write: { type: 'boolean', default: false }
  } as const
}

/** --no-pin: run without taskset (bench/cache.ts, bench/traces.ts). */
export const noPinOption = { 'no-pin': { type: 'boolean', default: false } } as const
