import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, mkdtemp, copyFile } from 'node:fs/promises'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

const read = (f: string) => readFile(f, 'utf8')

describe('container', () => {
  it('starts the image with the production start script', async () => {
    const pkg = JSON.parse(await read('package.json'))
    const dockerfile = await read('Dockerfile')
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1]
    assert.ok(cmd, 'Dockerfile has an exec-form CMD')
    assert.equal((JSON.parse(cmd) as string[]).join(' '), pkg.scripts.start)
    assert.match(dockerfile, /^FROM node:\d+\.\d+[^ ]* AS build$/m, 'pinned Node image')
    // Node 20 reached its end of life in April 2026: both stages run the current LTS, which CI also tests on.
    assert.deepEqual([...dockerfile.matchAll(/^FROM node:(\d+)\./gm)].map(m => m[1]), ['24', '24'])
    assert.match(await read('.ci/run'), /npx -y -p node@24 /)
    assert.match(dockerfile, /npm ci --omit=dev/)
    assert.match(dockerfile, /^USER node$/m)
    assert.match(dockerfile, /^HEALTHCHECK /m)
    assert.match(dockerfile, /\/healthz/)
    assert.match(pkg.scripts.build, /tsconfig\.build\.json/)
  })

  it('composes vi-bff with a healthy Redis', async () => {
    const compose = parse(await read('docker-compose.yml'))
    assert.ok(compose.services.redis.healthcheck.test.includes('ping'))
    assert.deepEqual(compose.services['vi-bff'].depends_on, { redis: { condition: 'service_healthy' } })
    assert.equal(compose.services['vi-bff'].env_file, '.env')
    assert.equal(compose.services['vi-bff'].environment.REDIS_URL, 'redis://redis:6379')
  })

  it('parses with docker-compose config', async t => {
    const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' })
    if (probe.error) {
      // .ci/run installs docker-compose; a developer machine without it still runs the structural test above.
      t.diagnostic('docker-compose is not installed: structural check only')
      return
    }
    const dir = await mkdtemp(join(tmpdir(), 'vi-bff-compose-'))
    await copyFile('docker-compose.yml', join(dir, 'docker-compose.yml'))
    await copyFile('.env.example', join(dir, '.env'))
    const run = spawnSync('docker-compose', ['config', '--quiet'], { cwd: dir, encoding: 'utf8' })
    assert.equal(run.status, 0, run.stderr)
  })
})
