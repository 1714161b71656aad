import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, mkdtemp, copyFile, mkdir, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse } from 'yaml'
import { request } from 'undici'
import { EnvSchema } from '../../src/config.js'
import { NGINX_BIN, NGINX_CONF, loopbackConf, nginxArgs, writeNginxConf } from '../../bench/soak/nginx.js'
import { freePort } from '../../scripts/redis.js'

const read = (f: string) => readFile(f, 'utf8')
const REPLICAS = ['vi-bff-1', 'vi-bff-2', 'vi-bff-3']

/** A directive's arguments in the nginx config (first occurrence), e.g. directive(conf, 'keepalive') -> ['32']. */
function directive (conf: string, name: string): string[] | undefined {
  const m = new RegExp(`^\\s*${name}\\s+([^;]*);`, 'm').exec(conf.replace(/#.*$/gm, ''))
  return m?.[1]!.trim().split(/\s+/)
}
const seconds = (v: string | undefined) => {
  const m = /^(\d+)(ms|s|m)?$/.exec(v ?? '')
  assert.ok(m, `a duration: ${v}`)
  return Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 1)
}
const envDefault = (name: keyof typeof EnvSchema.properties) => (EnvSchema.properties[name] as unknown as { default: number }).default

/** Fails (never skips) without nginx: `npm test` and .ci/run install Debian's package when missing. */
const requireNginx = () => {
  assert.ok(existsSync(NGINX_BIN), `${NGINX_BIN} is not installed: apt-get install nginx (npm test does it as root), or set NGINX_BIN`)
}

describe('three replicas behind nginx', () => {
  it('adds a "scale" profile and leaves the default services as they were', async () => {
    const compose = parse(await read('docker-compose.yml'))
    const services = compose.services as Record<string, Record<string, any>>
    const unprofiled = Object.keys(services).filter(s => !services[s]!.profiles)
    assert.deepEqual(unprofiled.sort(), ['redis', 'vi-bff'], 'plain `docker compose up` starts only Redis and one vi-bff')
    assert.deepEqual(services['vi-bff']!.ports, ['3000:3000'])
    for (const name of REPLICAS) {
      const s = services[name]!
      assert.deepEqual(s.profiles, ['scale'])
      assert.equal(s.environment.REDIS_URL, 'redis://redis:6379', 'every replica shares the one Redis')
      assert.equal(s.environment.TRUST_PROXY, 'true')
      assert.equal(s.ports, undefined, 'replicas are reached through nginx only')
      assert.deepEqual(s.depends_on, { redis: { condition: 'service_healthy' } })
      assert.ok(seconds(s.stop_grace_period) * 1000 > Number(s.environment.SHUTDOWN_GRACE_MS), 'Docker waits for the drain')
    }
    const nginx = services.nginx!
    assert.deepEqual(nginx.profiles, ['scale'])
    assert.match(nginx.image, /^nginx:\d+\.\d+/, 'a pinned Docker Hub nginx')
    assert.ok(nginx.volumes.includes('./deploy/nginx/vi-bff.conf:/etc/nginx/conf.d/default.conf:ro'))
    assert.deepEqual(Object.keys(nginx.depends_on).sort(), REPLICAS)
    assert.ok(nginx.healthcheck.test.join(' ').includes('/nginx-health'))
  })

  it('configures nginx for a streaming service: keep-alive, no buffering, aligned timeouts, safe retries', async () => {
    const conf = await read(NGINX_CONF)
    const servers = [...conf.matchAll(/^\s*server\s+([\w.-]+):3000\s+([^;]*);/gm)]
    assert.deepEqual(servers.map(m => m[1]), REPLICAS, 'the upstream names the compose replicas')
    for (const m of servers) assert.match(m[2]!, /max_fails=\d+ fail_timeout=\d+s/, 'passive health')
    assert.ok(Number(directive(conf, 'keepalive')![0]) > 0)
    assert.ok(seconds(directive(conf, 'keepalive_timeout')![0]) * 1000 < envDefault('HTTP_KEEP_ALIVE_TIMEOUT_MS'),
      'nginx drops an idle upstream connection before vi-bff closes it')
    assert.deepEqual(directive(conf, 'proxy_http_version'), ['1.1'])
    assert.deepEqual(directive(conf, 'proxy_set_header Connection'), ['""'])
    assert.deepEqual(directive(conf, 'proxy_buffering'), ['off'])
    assert.deepEqual(directive(conf, 'proxy_request_buffering'), ['off'])
    assert.deepEqual(directive(conf, 'client_max_body_size'), ['1m'])
    assert.deepEqual(directive(conf, 'proxy_set_header X-Forwarded-For'), ['$remote_addr'], 'overwritten, never appended')
    assert.deepEqual(directive(conf, 'proxy_set_header X-Forwarded-Proto'), ['$scheme'])
    const read_ = seconds(directive(conf, 'proxy_read_timeout')![0])
    assert.ok(read_ > envDefault('ARCHIVE_MAX_WAIT_S') && read_ * 1000 > envDefault('ARCHIVE_BODY_TIMEOUT_MS'), 'vi-bff times out first')
    assert.ok(seconds(directive(conf, 'send_timeout')![0]) * 1000 >= envDefault('ARCHIVE_IDLE_TIMEOUT_MS'))
    const next = directive(conf, 'proxy_next_upstream')!
    assert.deepEqual(next, ['error', 'timeout'], 'never http_503: it would count vi-bff\'s honest 503s as failures and take every replica out')
    assert.ok(!next.includes('non_idempotent'))
  })

  it('passes nginx -t with the replicas on loopback', async t => {
    requireNginx()
    const dir = await mkdtemp(join(tmpdir(), 'vi-bff-nginx-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const confPath = writeNginxConf(dir, await freePort(), [3001, 3002, 3003])
    const run = spawnSync(NGINX_BIN, nginxArgs(confPath, dir, true), { encoding: 'utf8' })
    assert.equal(run.status, 0, run.stderr)
    assert.throws(() => loopbackConf(8080, [3001, 3002]), /3 replicas, expected 2|no loopback port/)
  })

  it('retries a GET on another replica when one refuses connections, never a POST; passes 503s through without taking replicas out; streams without buffering; sets X-Forwarded-For', async t => {
    requireNginx()
    // Three stand-in replicas: the first is stopped (nothing listens on its port), the second answers 503 with
    // Retry-After to everything (vi-bff with its breaker open, or shedding), the third names itself.
    const seen: Array<{ replica: number, method: string, xff?: string }> = []
    const ports: number[] = [await freePort()]
    for (let i = 2; i <= 3; i++) {
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        seen.push({ replica: i, method: req.method!, xff: req.headers['x-forwarded-for'] as string | undefined })
        if (i === 2) { res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '7' }).end('{"code":"BFF_UPSTREAM_UNAVAILABLE"}'); return }
        if (req.url === '/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream' })
          res.write('event: pending\ndata: {}\n\n')
          setTimeout(() => res.end('event: ready\ndata: {}\n\n'), 1500)
          return
        }
        req.resume()
        req.once('end', () => res.writeHead(200).end(String(i)))
      })
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      t.after(() => { server.closeAllConnections(); server.close() })
      ports.push((server.address() as { port: number }).port)
    }
    const dir = await mkdtemp(join(tmpdir(), 'vi-bff-nginx-'))
    await mkdir(dir, { recursive: true })
    const port = await freePort()
    const nginx = spawn(NGINX_BIN, nginxArgs(writeNginxConf(dir, port, ports), dir), { stdio: 'ignore' })
    const exited = new Promise(resolve => nginx.once('exit', resolve))
    t.after(async () => { nginx.kill('SIGTERM'); await exited; await rm(dir, { recursive: true, force: true }) })
    const base = `http://127.0.0.1:${port}`
    for (let i = 0; i < 100; i++) {
      const ok = await request(`${base}/nginx-health`).then(r => r.body.text().then(() => r.statusCode === 200), () => false)
      if (ok) break
      await sleep(100)
    }

    // GETs: the stopped replica's refused connection moves the request on; the 503 reaches the caller as vi-bff sent
    // it (an honest answer with Retry-After), and however many there are, nginx never marks a replica down for them
    // (which would turn a Vi API outage into nginx's own 502 "no live upstreams" for everyone).
    const got: number[] = []
    for (let i = 0; i < 30; i++) {
      const res = await request(`${base}/v1/datasets`, { headers: { 'x-forwarded-for': '203.0.113.9' } })
      got.push(res.statusCode)
      const body = await res.body.text()
      if (res.statusCode === 503) {
        assert.equal(res.headers['retry-after'], '7')
        assert.match(body, /BFF_UPSTREAM_UNAVAILABLE/)
      } else {
        assert.equal(res.statusCode, 200, `only the replicas' own answers: ${got.join(',')}`)
        assert.equal(body, '3')
      }
    }
    assert.ok(got.includes(503) && got.includes(200), got.join(','))
    assert.ok(got.slice(-10).includes(503), `the 503-answering replica still gets requests at the end: ${got.join(',')}`)
    assert.ok(seen.every(s => s.xff === '127.0.0.1'), 'a caller\'s X-Forwarded-For is replaced by its address')

    // POSTs: never sent twice; a refused connection sent nothing, so nginx may (and does) try another replica.
    seen.length = 0
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const res = await request(`${base}/v1/datasets/d/exports`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
      statuses.push(res.statusCode)
      await res.body.dump()
    }
    assert.ok(statuses.every(s => s === 200 || s === 503), statuses.join(','))
    assert.equal(seen.filter(s => s.method === 'POST').length, 6, 'each POST reached exactly one replica')

    // SSE: the first event arrives while the replica still holds the response open.
    let res = await request(`${base}/events`)
    while (res.statusCode !== 200) { await res.body.dump(); res = await request(`${base}/events`) }
    const chunks = res.body[Symbol.asyncIterator]()
    const first = String((await chunks.next()).value)
    assert.match(first, /event: pending/)
    assert.doesNotMatch(first, /event: ready/, 'the first event is passed on before the replica ends the stream')
    let rest = ''
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) rest += String(c.value)
    assert.match(rest, /event: ready/)

    // A body over 1 MiB is refused by nginx itself, with vi-bff's problem.
    const big = await request(`${base}/v1/datasets/d/exports`, { method: 'POST', body: Buffer.alloc(1024 * 1024 + 1, 0x20), headers: { 'content-type': 'application/json' } })
    assert.equal(big.statusCode, 413)
    assert.match(String(big.headers['content-type']), /^application\/problem\+json/)
    const problem = await big.body.json() as { status: number, code: string, requestId: string, instance: string }
    assert.equal(problem.status, 413)
    assert.equal(problem.instance, '/v1/datasets/d/exports')
    assert.equal(problem.code, 'BFF_BODY_TOO_LARGE')
    assert.match(problem.requestId, /^[0-9a-f]{32}$/)
    const odd = await request(`${base}/v1/datasets/%22x%5C/exports`, { method: 'POST', body: Buffer.alloc(1024 * 1024 + 1, 0x20), headers: { 'content-type': 'application/json' } })
    assert.equal(odd.statusCode, 413)
    assert.equal((await odd.body.json() as { instance: string }).instance, '', 'a path that would need escaping is left out')
  })

  it('parses with docker-compose config, with and without the profile', async t => {
    const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' })
    if (probe.error) {
      t.diagnostic('docker-compose is not installed: structural checks only')
      return
    }
    const dir = await mkdtemp(join(tmpdir(), 'vi-bff-compose-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    await copyFile('docker-compose.yml', join(dir, 'docker-compose.yml'))
    await copyFile('.env.example', join(dir, '.env'))
    await mkdir(join(dir, 'deploy/nginx'), { recursive: true })
    await copyFile(NGINX_CONF, join(dir, 'deploy/nginx/vi-bff.conf'))
    for (const args of [['config', '--quiet'], ['--profile', 'scale', 'config', '--quiet']]) {
      const run = spawnSync('docker-compose', args, { cwd: dir, encoding: 'utf8' })
      assert.equal(run.status, 0, run.stderr)
    }
  })
})
