import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startSim, build, AUTH, ORG, SECRET, READ_KEY, apiCalls } from '../helper.js'
import { request as httpRequest } from 'node:http'
import { listen, fetchArchive, archiveBytes, archiveUrl, sha256, storageRequests, eventually } from './archive-client.js'

const SIZE = 300_000

async function setup (t: Parameters<typeof startSim>[0], env: Record<string, string> = {}, size = SIZE) {
  const sim = await startSim(t)
  sim.addDataset(ORG, { id: 'ds1' })
  const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: size })
  const built = await build(t, sim, env)
  const base = await listen(built.app)
  return { sim, exportId, base, ...built }
}

describe('GET /v1/datasets/:datasetId/exports/:exportId/archive', () => {
  it('streams the archive byte-exact with the contract headers, sending storage no credential', async t => {
    const { sim, exportId, base, logs } = await setup(t)
    const res = await fetchArchive(archiveUrl(base, exportId), { headers: { 'x-api-key': 'ignored', cookie: 'session=1', connection: 'keep-alive, x-hop', 'x-hop': '1', 'proxy-authorization': 'Basic eA==' } })
    assert.equal(res.status, 200)
    assert.equal(res.complete, true)
    assert.equal(res.bytes, SIZE)
    assert.equal(res.sha256, sim.archiveSha256(ORG, exportId))
    assert.equal(res.headers['content-length'], String(SIZE))
    assert.equal(res.headers['content-type'], 'application/zip')
    assert.equal(res.headers['content-disposition'], `attachment; filename="ds1-${exportId}.zip"`)
    assert.equal(res.headers['accept-ranges'], 'bytes')
    assert.match(res.headers.etag ?? '', /^"vi\.[A-Za-z0-9_-]{16}\.e[A-Za-z0-9_-]+"$/)
    assert.ok(res.headers['x-request-id'])
    assert.equal(res.headers['content-range'], undefined)

    const calls = storageRequests(sim)
    assert.equal(calls.length, 1)
    const sent = calls[0]!.headers
    for (const name of ['authorization', 'organization-id', 'x-api-key', 'cookie', 'x-hop', 'proxy-authorization', 'x-request-id']) {
      assert.equal(sent[name], undefined, `${name} must not reach storage`)
    }
    assert.ok(!JSON.stringify(sent).includes(SECRET))
    // The signed URL never leaves vi-bff: not in headers, not in logs.
    assert.ok(!JSON.stringify(res.headers).includes('sig='))
    assert.ok(!logs.join('').includes('sig='), 'no signed URL in logs')
  })

  it('keeps the ETag stable for the export across signed URL refreshes', async t => {
    const { sim, exportId, base } = await setup(t)
    const first = await fetchArchive(archiveUrl(base, exportId), { method: 'HEAD' })
    sim.expireUrls(ORG, exportId)
    const second = await fetchArchive(archiveUrl(base, exportId), { method: 'HEAD', headers: { 'cache-control': 'no-cache' } })
    assert.equal(first.headers.etag, second.headers.etag)
  })

  it('answers HEAD with the GET headers and no body, asking storage for one byte', async t => {
    const { sim, exportId, base } = await setup(t)
    const head = await fetchArchive(archiveUrl(base, exportId), { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.bytes, 0)
    assert.equal(head.headers['content-length'], String(SIZE))
    assert.equal(head.headers['accept-ranges'], 'bytes')
    assert.ok(head.headers.etag)
    assert.equal(storageRequests(sim).at(-1)!.headers.range, 'bytes=0-0')
    // HEAD ignores Range and If-Range (RFC 9110 §14.2): the whole archive's headers, never 206 or 416.
    for (const headers of <Array<Record<string, string>>>[{ range: 'bytes=-100' }, { range: 'bytes=0-9', 'if-range': head.headers.etag! }, { range: 'bytes=0-9', 'if-range': '"other"' }, { range: `bytes=${SIZE}-` }, { range: 'bytes=0-1,5-9' }]) {
      const ranged = await fetchArchive(archiveUrl(base, exportId), { method: 'HEAD', headers })
      assert.equal(ranged.status, 200, JSON.stringify(headers))
      assert.equal(ranged.headers['content-length'], String(SIZE))
      assert.equal(ranged.headers['content-range'], undefined)
      assert.equal(ranged.headers.etag, head.headers.etag)
    }
    const get = await fetchArchive(archiveUrl(base, exportId))
    assert.equal(get.headers.etag, head.headers.etag)
  })

  it('honours single ranges: start-end, open-ended, suffix, past the end', async t => {
    const { sim, exportId, base } = await setup(t)
    const whole = await archiveBytes(sim, exportId)
    const cases: Array<[string, number, number]> = [
      ['bytes=0-0', 0, 0],
      ['bytes=100-199', 100, 199],
      ['bytes=299990-', 299_990, SIZE - 1],
      ['bytes=-500', SIZE - 500, SIZE - 1],
      ['bytes=-999999', 0, SIZE - 1],
      ['bytes=299000-400000', 299_000, SIZE - 1]
    ]
    for (const [range, start, end] of cases) {
      const res = await fetchArchive(archiveUrl(base, exportId), { headers: { range }, keep: true })
      assert.equal(res.status, 206, range)
      assert.equal(res.headers['content-range'], `bytes ${start}-${end}/${SIZE}`, range)
      assert.equal(res.headers['content-length'], String(end - start + 1), range)
      assert.ok(res.body.equals(whole.subarray(start, end + 1)), `${range} bytes`)
      assert.equal(storageRequests(sim).at(-1)!.headers.range, range, 'the range is forwarded')
    }
  })

  it('answers 416 with Content-Range for an unsatisfiable range, and ignores malformed or multiple ranges', async t => {
    const { exportId, base } = await setup(t)
    for (const range of [`bytes=${SIZE}-`, 'bytes=-0']) {
      const res = await fetchArchive(archiveUrl(base, exportId), { headers: { range }, keep: true })
      assert.equal(res.status, 416, range)
      assert.equal(res.headers['content-range'], `bytes */${SIZE}`)
      assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/)
      assert.equal(JSON.parse(res.body.toString()).code, 'BFF_RANGE_NOT_SATISFIABLE')
      assert.equal(res.headers.etag, undefined)
      assert.equal(res.headers['content-disposition'], undefined)
    }
    for (const range of ['bytes=0-1,5-6', 'bytes=9-2', 'items=0-1', 'bytes=abc']) {
      const res = await fetchArchive(archiveUrl(base, exportId), { headers: { range } })
      assert.equal(res.status, 200, range)
      assert.equal(res.bytes, SIZE)
    }
  })

  it('honours If-Range: a matching ETag or date gets the range, any other validator the whole archive', async t => {
    const { sim, exportId, base } = await setup(t)
    const whole = await archiveBytes(sim, exportId)
    const head = await fetchArchive(archiveUrl(base, exportId), { method: 'HEAD' })
    const etag = head.headers.etag!
    const lastModified = head.headers['last-modified']!
    const matching = await fetchArchive(archiveUrl(base, exportId), { headers: { range: 'bytes=10-19', 'if-range': etag }, keep: true })
    assert.equal(matching.status, 206)
    assert.ok(matching.body.equals(whole.subarray(10, 20)))
    assert.match(storageRequests(sim).at(-1)!.headers['if-range'] ?? '', /^"[0-9a-f]{40}"$/, 'storage gets its own validator')
    const byDate = await fetchArchive(archiveUrl(base, exportId), { headers: { range: 'bytes=10-19', 'if-range': lastModified } })
    assert.equal(byDate.status, 206)
    const other = etag.replace(/\.e[A-Za-z0-9_-]+"$/, '.eAAAA"')
    for (const ifRange of [other, `W/${etag}`, '"something-else"', 'Mon, 01 Jan 2001 00:00:00 GMT']) {
      const res = await fetchArchive(archiveUrl(base, exportId), { headers: { range: 'bytes=10-19', 'if-range': ifRange } })
      assert.equal(res.status, 200, ifRange)
      assert.equal(res.bytes, SIZE, ifRange)
      assert.equal(res.sha256, sha256(whole))
    }
  })

  it('returns exactly the requested bytes when storage ignores Range', async t => {
    const { sim, exportId, base } = await setup(t)
    const whole = await archiveBytes(sim, exportId)
    for (const range of ['bytes=1000-1999', 'bytes=-77', 'bytes=250000-', 'bytes=0-']) {
      sim.fault({ target: 'storage', ignoreRange: true, times: 1 })
      const res = await fetchArchive(archiveUrl(base, exportId), { headers: { range }, keep: true })
      assert.equal(res.status, 206, range)
      assert.equal(res.complete, true)
      const [, start, end] = /^bytes (\d+)-(\d+)\/\d+$/.exec(res.headers['content-range'] ?? '')!.map(Number) as [number, number, number]
      assert.equal(Number(res.headers['content-length']), end - start + 1)
      assert.ok(res.body.equals(whole.subarray(start, end + 1)), range)
    }
    sim.fault({ target: 'storage', ignoreRange: true, times: 1 })
    const past = await fetchArchive(archiveUrl(base, exportId), { headers: { range: `bytes=${SIZE + 5}-` } })
    assert.equal(past.status, 416)
    assert.equal(past.headers['content-range'], `bytes */${SIZE}`)
  })

  it('answers 409 with Retry-After while the export is pending and 422 once it failed, touching no storage', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const pending = sim.addExport(ORG, 'ds1', { state: 'pending' })
    const failed = sim.addExport(ORG, 'ds1', { state: 'failed' })
    const { app } = await build(t, sim)
    const res = await app.inject({ url: `/v1/datasets/ds1/exports/${pending}/archive`, headers: AUTH })
    assert.equal(res.statusCode, 409)
    assert.equal(res.headers['retry-after'], '2')
    assert.equal(res.json().code, 'BFF_EXPORT_NOT_READY')
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
    const bad = await app.inject({ url: `/v1/datasets/ds1/exports/${failed}/archive`, headers: AUTH })
    assert.equal(bad.statusCode, 422)
    assert.equal(bad.json().code, 'BFF_EXPORT_FAILED')
    assert.match(bad.json().detail, /could not be read from storage/)
    const missing = await app.inject({ url: '/v1/datasets/ds1/exports/nope/archive', headers: AUTH })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'BFF_EXPORT_NOT_FOUND')
    const head = await app.inject({ method: 'HEAD', url: `/v1/datasets/ds1/exports/${pending}/archive`, headers: AUTH })
    assert.equal(head.statusCode, 409)
    assert.equal(storageRequests(sim).length, 0)
  })

  it('needs an API key with datasets:read', async t => {
    const { exportId, base } = await setup(t)
    const anonymous = await fetchArchive(archiveUrl(base, exportId), { headers: { authorization: '' } })
    assert.equal(anonymous.status, 401)
    const reader = await fetchArchive(archiveUrl(base, exportId), { headers: { authorization: `Bearer ${READ_KEY}` } })
    assert.equal(reader.status, 200)
  })

  it('refuses a signed URL outside ARCHIVE_HOST_ALLOWLIST with 502, without connecting', async t => {
    const { sim, exportId, base, logs } = await setup(t, { ARCHIVE_HOST_ALLOWLIST: 'storage.googleapis.com' })
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await fetchArchive(archiveUrl(base, exportId), { method, keep: true })
      assert.equal(res.status, 502)
      if (method === 'GET') assert.equal(JSON.parse(res.body.toString()).code, 'BFF_ARCHIVE_HOST_REFUSED')
    }
    assert.equal(storageRequests(sim).length, 0)
    assert.equal(sim.openStorageSockets(), 0)
    assert.ok(!logs.join('').includes('sig='))
  })

  it('re-reads the export past the cache when storage refuses the cached URL, transparently', async t => {
    const { sim, exportId, base, logs } = await setup(t)
    const first = await fetchArchive(archiveUrl(base, exportId))
    assert.equal(first.status, 200)
    const readsBefore = apiCalls(sim, 'GET', new RegExp(`/datasetExports/${exportId}$`))
    sim.expireUrls(ORG, exportId) // the cached URL now gets 403 ExpiredToken
    const again = await fetchArchive(archiveUrl(base, exportId), { headers: { range: 'bytes=100-' } })
    assert.equal(again.status, 206)
    assert.equal(again.bytes, SIZE - 100)
    assert.equal(apiCalls(sim, 'GET', new RegExp(`/datasetExports/${exportId}$`)), readsBefore + 1, 'one fresh read')
    const storage = storageRequests(sim)
    assert.deepEqual(storage.slice(-2).map(r => r.headers.range), ['bytes=100-', 'bytes=100-'], 'the range is retried on the new URL')
    assert.notEqual(storage.at(-1)!.query.expires, storage.at(-2)!.query.expires)
    assert.ok(logs.some(l => l.includes('storage refused the signed URL')))
    assert.ok(!logs.join('').includes('sig='))
  })

  it('refreshes an about-to-expire URL before connecting, and gives up after one refresh', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 1000, urlTtlMs: 30_000 })
    const { app } = await build(t, sim)
    const base = await listen(app)
    const res = await fetchArchive(archiveUrl(base, exportId))
    assert.equal(res.status, 200)
    assert.equal(apiCalls(sim, 'GET', new RegExp(`/datasetExports/${exportId}$`)), 2, 'cached read, then a fresh one: 30 s left is under the 60 s margin')
    sim.fault({ target: 'storage', status: 403, times: 2 })
    const refused = await fetchArchive(archiveUrl(base, exportId), { keep: true })
    assert.equal(refused.status, 502)
    assert.equal(JSON.parse(refused.body.toString()).code, 'BFF_STORAGE_ERROR')
  })

  it('does not follow a storage redirect, and maps storage failures to 502/504', async t => {
    const { sim, exportId, base } = await setup(t, { ARCHIVE_HEADERS_TIMEOUT_MS: '300' })
    sim.fault({ target: 'storage', status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' }, times: 1 })
    const redirected = await fetchArchive(archiveUrl(base, exportId), { keep: true })
    assert.equal(redirected.status, 502)
    assert.match(JSON.parse(redirected.body.toString()).detail, /redirect/)
    assert.equal(storageRequests(sim).length, 1)
    sim.fault({ target: 'storage', status: 500, times: 1 })
    assert.equal((await fetchArchive(archiveUrl(base, exportId))).status, 502)
    sim.fault({ target: 'storage', delayMs: 2000, times: 1 })
    const slow = await fetchArchive(archiveUrl(base, exportId), { keep: true })
    assert.equal(slow.status, 504)
    assert.equal(JSON.parse(slow.body.toString()).code, 'BFF_STORAGE_TIMEOUT')
  })

  it('bounds what comes before the body by REQUEST_TIMEOUT_MS (504), never the body itself', async t => {
    const { sim, exportId, base } = await setup(t, { REQUEST_TIMEOUT_MS: '500' }, 16 * 1024 * 1024)
    sim.fault({ target: 'storage', delayMs: 5000, times: 1 })
    let started = Date.now()
    const slowStorage = await fetchArchive(archiveUrl(base, exportId), { keep: true })
    assert.equal(slowStorage.status, 504)
    assert.equal(JSON.parse(slowStorage.body.toString()).code, 'BFF_REQUEST_TIMEOUT')
    assert.ok(Date.now() - started < 3000, `answered after ${Date.now() - started} ms`)
    assert.ok(await eventually(() => sim.openStorageSockets() === 0, 2000), 'the storage request was abandoned')

    // A caller that stops reading for longer than the deadline (socket buffers full, storage paused) still gets it all.
    const slow = await new Promise<{ bytes: number, complete: boolean, sha: string }>((resolve, reject) => {
      const chunks: Buffer[] = []
      const req = httpRequest(archiveUrl(base, exportId), { headers: AUTH, agent: false }, res => {
        res.pause()
        setTimeout(() => res.resume(), 1500)
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('close', () => resolve({ bytes: chunks.reduce((n, c) => n + c.length, 0), complete: res.complete, sha: sha256(Buffer.concat(chunks)) }))
      })
      req.on('error', reject)
      req.end()
    })
    assert.equal(slow.complete, true)
    assert.equal(slow.sha, sim.archiveSha256(ORG, exportId))

    const other = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 1000 })
    sim.fault({ method: 'GET', path: new RegExp(`/datasetExports/${other}$`), delayMs: 5000, times: 1 })
    started = Date.now()
    const slowApi = await fetchArchive(archiveUrl(base, other), { keep: true })
    assert.equal(slowApi.status, 504)
    assert.equal(JSON.parse(slowApi.body.toString()).code, 'BFF_REQUEST_TIMEOUT')
    assert.ok(Date.now() - started < 3000, `answered after ${Date.now() - started} ms`)
  })
})
