import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { startSim, build, AUTH, KEY, ORG, apiCalls, sleep } from '../helper.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  assert.ok(address && typeof address === 'object')
  return address.port
}

interface Exchange { text: string, error?: string }

/** Opens a raw TCP connection, lets `talk` write to it, and collects everything the server sends until it closes. */
function exchange (port: number, talk: (socket: Socket) => Promise<void> | void, timeoutMs = 15_000): Promise<Exchange> {
  return new Promise(resolve => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
    const chunks: Buffer[] = []
    let error: string | undefined
    const done = () => {
      clearTimeout(timer)
      resolve({ text: Buffer.concat(chunks).toString('latin1'), ...(error ? { error } : {}) })
    }
    const timer = setTimeout(() => socket.destroy(), timeoutMs)
    socket.on('data', chunk => chunks.push(chunk))
    socket.on('error', err => { error = (err as { code?: string }).code ?? err.message })
    socket.on('close', done)
    socket.on('end', () => socket.end())
    socket.once('connect', () => {
      Promise.resolve(talk(socket)).catch(err => { error ??= String(err) })
    })
  })
}

/** The status and the problem body of a raw HTTP/1.1 response. */
function parse (text: string): { status: number, headers: Record<string, string>, body: string } {
  const end = text.indexOf('\r\n\r\n')
  assert.ok(end > 0, `no complete response head in ${JSON.stringify(text.slice(0, 200))}`)
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
  const headers = Object.fromEntries(lines.map(l => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4) }
}

describe('validation work is bounded', () => {
  it('answers a 1 MiB body of unknown properties at once, with at most 10 errors and a small body', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const body: Record<string, number> = {}
    for (let i = 0, size = 2; size < 1024 * 1024 - 64; i++) {
      body[`k${i.toString(36)}`] = 0
      size += `"k${i.toString(36)}":0,`.length
    }
    const payload = JSON.stringify(body)
    const count = Object.keys(body).length
    assert.ok(count > 100_000, `${count} properties`)
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'content-type': 'application/json' }, payload })
    const ms = performance.now() - started
    assert.equal(res.statusCode, 400)
    assert.ok(ms < 2000, `answered in ${Math.round(ms)} ms`)
    assert.ok(res.body.length < 4096, `error body of ${res.body.length} bytes`)
    const problem = res.json()
    assert.equal(problem.code, 'BFF_VALIDATION_FAILED')
    assert.equal(problem.errors.length, 10)
    assert.deepEqual(problem.errors[0], { path: 'body.k0', message: 'is not a known property' })
    assert.equal(problem.detail, `body.k0 is not a known property; ${count} errors, the first 10 listed`)
    assert.equal(apiCalls(sim), 0)
  })

  it('shortens a huge property name in the error body', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ ['x'.repeat(1000_000)]: 1 }) })
    assert.equal(res.statusCode, 400)
    assert.ok(res.body.length < 2048, `error body of ${res.body.length} bytes`)
    assert.match(res.json().errors[0].path, /^body\.x{100,}…$/)
  })

  it('keeps reporting every error of a small body', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'content-type': 'application/json' }, payload: { format: 'ZIP', options: { splitRatio: 1, extra: true } } })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path).sort(), ['body.format', 'body.options.extra', 'body.options.splitRatio'])
  })

  it('parses and validates a body nested 100k deep as any other: 400, never a 5xx', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const depth = 100_000
    const payload = `{"options":{"normalized":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { ...AUTH, 'content-type': 'application/json' }, payload })
    assert.equal(res.statusCode, 400, res.body.slice(0, 300))
    assert.equal(res.json().code, 'BFF_VALIDATION_FAILED')
    assert.equal(apiCalls(sim), 0)
  })
})

describe('HEAD on every GET route', () => {
  it('answers HEAD with the GET\'s status and headers and no body', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const { app } = await build(t, sim)
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/metrics', '/docs', '/docs/', '/v1/datasets', '/v1/datasets/ds1']) {
      const get = await app.inject({ url, headers: AUTH })
      const head = await app.inject({ method: 'HEAD', url, headers: AUTH })
      assert.equal(head.statusCode, get.statusCode, url)
      assert.equal(head.body, '', url)
      for (const name of ['content-type', 'etag']) assert.equal(head.headers[name], get.headers[name], `${url} ${name}`)
      assert.equal(typeof head.headers['cache-status'], typeof get.headers['cache-status'], url)
      if (url !== '/metrics') assert.equal(head.headers['content-length'], get.headers['content-length'], url)
    }
  })

  it('answers HEAD on a missing dataset with the GET\'s 404 problem headers, and on an unknown route with 404', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const head = await app.inject({ method: 'HEAD', url: '/v1/datasets/nope', headers: AUTH })
    assert.equal(head.statusCode, 404)
    assert.equal(head.headers['content-type'], PROBLEM)
    assert.equal(head.body, '')
    assert.equal((await app.inject({ method: 'HEAD', url: '/nothing' })).statusCode, 404)
    assert.equal((await app.inject({ method: 'HEAD', url: '/v1/datasets/ds1', headers: { authorization: 'Bearer wrong' } })).statusCode, 401)
  })
})

describe('problem+json for what Fastify and Node reject', () => {
  it('answers bad percent-encoding with 400 and an over-long id with 414, as problems', async t => {
    const sim = await startSim(t)
    const { app, logs } = await build(t, sim)
    const bad = await app.inject({ url: '/v1/datasets/%E0%A4%A', headers: AUTH })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.headers['content-type'], PROBLEM)
    assert.equal(bad.json().code, 'BFF_BAD_REQUEST')
    assert.equal(bad.json().requestId, bad.headers['x-request-id'])
    const long = await app.inject({ url: `/v1/datasets/${'a'.repeat(600)}`, headers: AUTH })
    assert.equal(long.statusCode, 414)
    assert.equal(long.headers['content-type'], PROBLEM)
    assert.equal(long.json().code, 'BFF_URI_TOO_LONG')
    assert.equal(logs.filter(l => l.includes('"msg":"request"')).length, 2)
  })

  it('answers what Node\'s parser refuses with complete problem+json responses', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const port = await listen(app)
    const cases: Array<[string, string, number, string]> = [
      ['malformed', 'GET /healthz HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n', 400, 'BFF_BAD_REQUEST'],
      ['headers too large', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431, 'BFF_HEADERS_TOO_LARGE'],
      ['URL too long', `GET /v1/datasets?q=${'u'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, 'BFF_URI_TOO_LONG']
    ]
    for (const [name, request, status, code] of cases) {
      const { text } = await exchange(port, socket => { socket.write(request) })
      const res = parse(text)
      assert.equal(res.status, status, name)
      assert.equal(res.headers['content-type'], PROBLEM, name)
      assert.equal(res.headers.connection, 'close', name)
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body), name)
      assert.equal(JSON.parse(res.body).code, code, name)
    }
  })

  it('delivers a 413 to a client still sending a 5 MiB body (lingering close), and a 401 likewise', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const port = await listen(app)
    const size = 5 * 1024 * 1024
    const chunk = Buffer.alloc(64 * 1024, 'a')
    // The client reads only once it has sent everything, as simple clients do.
    const send = (headers: string) => async (socket: Socket) => {
      socket.pause()
      socket.write(`POST /v1/datasets/ds1/asset-deletions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n${headers}\r\n`)
      for (let sent = 0; sent < size && socket.writable; sent += chunk.length) {
        if (!socket.write(chunk)) await new Promise(resolve => socket.once('drain', resolve))
        await sleep(1)
      }
      if (socket.writable) socket.end()
      socket.resume()
    }
    for (const [headers, status, code] of [[`Authorization: Bearer ${KEY}\r\n`, 413, 'BFF_BODY_TOO_LARGE'], ['', 401, 'BFF_UNAUTHENTICATED']] as const) {
      const { text, error } = await exchange(port, send(headers))
      assert.ok(text.length > 0, `read nothing (${error})`)
      const res = parse(text)
      assert.equal(res.status, status)
      assert.equal(res.headers.connection, 'close')
      assert.equal(JSON.parse(res.body).code, code)
    }
  })
})

describe('Retry-After and logs', () => {
  it('clamps an upstream Retry-After to RETRY_AFTER_MAX_S whole seconds', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim, { RETRY_AFTER_MAX_S: '120', UPSTREAM_MAX_RETRIES: '0' })
    sim.fault({ path: /ds1$/, status: 429, headers: { 'retry-after': '1e30' } })
    const res = await app.inject({ url: '/v1/datasets/ds1', headers: AUTH })
    assert.equal(res.statusCode, 503)
    assert.equal(res.headers['retry-after'], '120')
  })

  it('never logs a credential sent in the query string', async t => {
    const sim = await startSim(t)
    const { app, logs } = await build(t, sim)
    const secrets = ['s3cr3t-api-key', 'tok-123', 'amz-sig-456', 'pass-789', 'code-0ab', 'acc-tok-cd']
    const query = `api_key=${secrets[0]}&Token=${secrets[1]}&X-Amz-Signature=${secrets[2]}&password=${secrets[3]}&code=${secrets[4]}&access%5Ftoken=${secrets[5]}&pageSize=5`
    await app.inject({ url: `/v1/datasets?${query}`, headers: AUTH })
    sim.fault({ path: /./, status: 500 })
    await app.inject({ url: `/v1/datasets/ds1?${query}`, headers: AUTH })
    await app.inject({ url: `/v1/datasets/${'a'.repeat(600)}?${query}`, headers: AUTH })
    await app.inject({ url: `/nothing?${query}` })
    const text = logs.join('')
    for (const secret of secrets) assert.equal(text.includes(secret), false, `${secret} logged`)
    const lines = logs.filter(l => l.includes('"msg":"request"')).map(l => JSON.parse(l))
    assert.equal(lines.length, 4)
    assert.match(lines[0].path, /^\/v1\/datasets\?api_key=\[redacted\]&Token=\[redacted\].*&pageSize=5$/)
  })
})

describe('readiness', () => {
  it('stays ready with the upstream "down" while it is unreachable', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    await sim.close()
    const res = await app.inject({ url: '/readyz' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { status: 'ready', checks: { upstream: 'down', cache: 'ok', cacheKind: 'memory' } })
  })

  it('answers within 2 s from one single-attempt check shared by concurrent probes, reused for a few seconds', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    sim.fault({ path: `/workspaces/${ORG}/datasets`, status: 200, delayMs: 10_000 })
    const started = performance.now()
    const answers = await Promise.all(Array.from({ length: 5 }, () => app.inject({ url: '/readyz' })))
    assert.ok(performance.now() - started < 2000, `answered in ${Math.round(performance.now() - started)} ms`)
    for (const res of answers) {
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().checks.upstream, 'down')
    }
    await app.inject({ url: '/readyz' })
    assert.equal(apiCalls(sim, 'GET', `/workspaces/${ORG}/datasets`), 1)
  })

  it('reports a failing upstream as down after a single attempt, and stays ready', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    sim.fault({ path: `/workspaces/${ORG}/datasets`, status: 503 })
    const res = await app.inject({ url: '/readyz' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().checks.upstream, 'down')
    assert.equal(apiCalls(sim), 1)
  })
})
