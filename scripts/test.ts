import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ensureRedis } from './redis.js'

/**
 * Debian packages some tests drive, installed here when missing and this is root on a Debian-like machine, as
 * .ci/run does; otherwise those tests fail and say how to get them (they never skip): Chromium for the browser
 * tests (or CHROMIUM_PATH), nginx for the load-balancer test (or NGINX_BIN).
 */
function ensurePackage (pkg: string, present: boolean, forWhat: string) {
  if (present) return
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    console.log(`# no ${pkg}: ${forWhat} will fail; install Debian's ${pkg}`)
    return
  }
  console.log(`# installing Debian's ${pkg} for ${forWhat} (apt-get)`)
  spawnSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${pkg} >/dev/null`], { stdio: 'inherit' })
}

/**
 * `npm test`: makes sure a Redis is there (REDIS_URL, else 127.0.0.1:6379 if it answers, else a
 * redis-server started here on a free port), Chromium and nginx, then runs every test file with node:test under c8.
 */
async function main () {
  ensurePackage('chromium', Boolean(process.env.CHROMIUM_PATH) || existsSync('/usr/bin/chromium'), 'the browser tests')
  ensurePackage('nginx', Boolean(process.env.NGINX_BIN) || existsSync('/usr/sbin/nginx'), 'the load-balancer test (test/app/deploy.test.ts)')
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
