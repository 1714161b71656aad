import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ensureRedis } from './redis.js'

/**
 * `npm test`: makes sure a Redis is there (REDIS_URL, else 127.0.0.1:6379 if it answers, else a
 * redis-server started here on a free port), then runs every test file with node:test under c8.
 */
async function main () {
  const redis = await ensureRedis()
  console.log(`# tests use Redis at ${redis.url}${redis.started ? ' (a redis-server started for this run)' : ''}, each under its own key prefix`)

  const only = process.argv.slice(2)
  const files = only.length > 0 ? only : listTests('test')
  const child = spawn('npx', ['c8', '--reporter=text-summary', '--reporter=lcov', '--include=src/**', 'tsx', '--test', ...files], { stdio: 'inherit', env: process.env })
  const code = await new Promise<number>(resolve => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))))
  redis.stop()
  process.exit(code)
}

function listTests (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'generated' ? [] : listTests(path)
    return e.name.endsWith('.test.ts') ? [path] : []
  }).sort()
}

await main()
