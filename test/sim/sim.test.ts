import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { crc32 } from 'node:zlib'
import { crc32Combine, crc32Repeat } from '../../sim/crc.js'
import { seedDemo, startSimUpstream, type SimUpstream } from '../../sim/index.js'

const ORG = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b'
const KEY = 'dtvi_' + 'a'.repeat(98)
const ORG2 = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'
const KEY2 = 'dtvi_' + 'b'.repeat(98)
const AUTH = { authorization: `Bearer ${KEY}`, 'organization-id': ORG, accept: 'application/json' }
const AUTH2 = { authorization: `Bearer ${KEY2}`, 'organization-id': ORG2, accept: 'application/json' }
const D = (id: string, org = ORG): string => `/workspaces/${org}/datasets/${org}_${id}`

type Json = any

interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: Buffer; complete: boolean; error?: Error }

/** node:http with a fresh connection per request, so drops are observed exactly (no client retries). */
function rawRequest (url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      let error: Error | undefined
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', (e) => { error = e })
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete, ...(error ? { error } : {}) }))
    })
    req.on('error', (error) => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), complete: false, error }))
    req.end()
  })
}

describe('sim upstream', () => {
  let sim: SimUpstream
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(sim.url + path, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) } })
  const getJson = async (path: string): Promise<Json> => {
    const r = await api(path)
    assert.equal(r.status, 200, `GET ${path}`)
    return r.json()
  }
  const postJson = (path: string, body: unknown): Promise<Response> =>
    api(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
  const readyExport = async (datasetId: string, e: Parameters<SimUpstream['addExport']>[2] = {}): Promise<{ id: string; wire: Json }> => {
    const id = sim.addExport(ORG, datasetId, { state: 'ready', ...e })
    return { id, wire: await getJson(`${D(datasetId)}/datasetExports/${id}`) }
  }

  before(async () => {
    sim = await startSimUpstream({
      orgs: [{ id: ORG, secretKey: KEY }, { id: ORG2, secretKey: KEY2 }],
      exportReadyAfterMs: 300,
      deletionDoneAfterMs: 200
    })
    sim.addDataset(ORG, { id: 'ds1', name: 'Shelf photos', type: 'phrase-grounding', assetTotal: 50, assetAnnotated: 50 })
    sim.addDataset(ORG, { id: 'ds2', type: 'vqa', assetTotal: 2 })
    for (let i = 0; i < 25; i++) sim.addDataset(ORG2, { id: `p${String(i).padStart(2, '0')}` })
  })
  after(() => sim.close())

  describe('auth and routing', () => {
    it('rejects missing or wrong credentials with 401 and records the request', async () => {
      sim.clearRequests()
      const none = await fetch(`${sim.url}${D('ds1')}`)
      assert.equal(none.status, 401)
      assert.match(none.headers.get('content-type') ?? '', /^application\/json/)
      assert.equal(typeof (await none.json() as Json).message, 'string')
      const badKey = await fetch(`${sim.url}${D('ds1')}`, { headers: { ...AUTH, authorization: `Bearer ${KEY2}` } })
      assert.equal(badKey.status, 401)
      const noOrg = await fetch(`${sim.url}${D('ds1')}`, { headers: { authorization: AUTH.authorization } })
      assert.equal(noOrg.status, 401)
      assert.equal(sim.count({ target: 'api', path: D('ds1') }), 3)
    })

    it('answers 403 when the path names another workspace', async () => {
      const r = await api(D('p00', ORG2))
      assert.equal(r.status, 403)
      assert.equal(typeof (await r.json() as Json).message, 'string')
    })

    it('404s unknown paths and malformed dataset segments, 405s wrong methods', async () => {
      assert.equal((await api('/nope')).status, 404)
      assert.equal((await api(`/workspaces/${ORG}/datasets/ds1`)).status, 404)
      assert.equal((await api(`${D('ds1')}/somethingElse`)).status, 404)
      assert.equal((await api(D('missing'))).status, 404)
      const put = await api(D('ds1'), { method: 'PUT' })
      assert.equal(put.status, 405)
      assert.match(put.headers.get('allow') ?? '', /GET/)
      assert.equal((await api(`/workspaces/${ORG}/datasets`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status, 405)
    })

    it('enforces Accept and POST content type', async () => {
      assert.equal((await api(D('ds1'), { headers: { accept: 'text/html' } })).status, 406)
      assert.equal((await api(D('ds1'), { headers: { accept: '*/*' } })).status, 200)
      const noType = await api(`${D('ds1')}/datasetExports`, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } })
      assert.equal(noType.status, 400)
      const badJson = await api(`${D('ds1')}/datasetExports`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } })
      assert.equal(badJson.status, 400)
    })
  })

  describe('datasets', () => {
    it('serves the full wire shape', async () => {
      const d = await getJson(D('ds1'))
      assert.equal(d.kind, 'Dataset')
      assert.equal(d.datasetId, `${ORG}_ds1`)
      assert.equal(d.workspaceId, ORG)
      assert.equal(d.organizationId, undefined)
      assert.equal(d.content, 'Image')
      assert.ok(Number.isInteger(d.createDate) && Number.isInteger(d.lastAccessed))
      for (const k of ['name', 'owner', 'type', 'statistic', 'users', 'tags', 'cohorts', 'status', 'isLocked', 'access', 'preference', 'assetStatuses', 'selfLink', 'etag']) {
        assert.ok(k in d, `missing ${k}`)
      }
      for (const k of ['assetTotal', 'annotationTotal', 'tagsCount', 'assetAnnotated']) assert.ok(k in d.statistic, `missing statistic.${k}`)
      assert.ok('isPublic' in d.access && 'isReadOnly' in d.access)
      assert.equal(d.selfLink, sim.url + D('ds1'))
      assert.deepEqual(sim.getDatasetWire(ORG, 'ds1'), d)
      assert.equal((await getJson(D('ds1'))).etag, d.etag, 'etag is stable while nothing changes')
    })

    it('paginates with pageSize/pageToken', async () => {
      const h = { headers: AUTH2 }
      const first = await (await fetch(`${sim.url}/workspaces/${ORG2}/datasets`, h)).json() as Json
      assert.equal(first.items.length, 10)
      assert.equal(first.prevPage, null)
      const seen: string[] = []
      let token: string | null = null
      let pages = 0
      do {
        const qs: string = token === null ? '?pageSize=10' : `?pageSize=10&pageToken=${encodeURIComponent(token)}`
        const page = await (await fetch(`${sim.url}/workspaces/${ORG2}/datasets${qs}`, h)).json() as Json
        seen.push(...page.items.map((d: Json) => d.datasetId))
        if (pages > 0) assert.notEqual(page.prevPage, null)
        token = page.nextPage
        pages++
      } while (token !== null)
      assert.equal(pages, 3)
      assert.equal(new Set(seen).size, 25)
      for (const bad of ['pageSize=0', 'pageSize=1001', 'pageSize=abc', 'pageToken=garbage', 'pageToken=']) {
        assert.equal((await fetch(`${sim.url}/workspaces/${ORG2}/datasets?${bad}`, h)).status, 400, bad)
      }
    })
  })

  describe('exports', () => {
    it('validates the create body strictly', async () => {
      const path = `${D('ds1')}/datasetExports`
      const cases: Array<[unknown, RegExp]> = [
        [{ format: 'ViFull' }, /spec/],
        [{ spec: { format: 'vi_jsonl', options: { normalized: true, splitRatio: null } } }, /format/],
        [{ spec: { format: 'ViFull' } }, /spec\.options/],
        [{ spec: { format: 'ViFull', options: { normalized: true } } }, /splitRatio/],
        [{ spec: { format: 'ViFull', options: { normalized: true, split_ratio: 0.8 } } }, /splitRatio|split_ratio/],
        [{ spec: { format: 'ViFull', options: { normalized: 'yes', splitRatio: null } } }, /normalized/],
        [{ spec: { format: 'ViFull', options: { normalized: true, splitRatio: 1.5 } } }, /splitRatio/],
        [{ spec: { format: 'ViFull', options: { normalized: true, splitRatio: null }, extra: 1 } }, /extra/]
      ]
      for (const [body, msg] of cases) {
        const r = await postJson(path, body)
        assert.equal(r.status, 400, JSON.stringify(body))
        assert.match((await r.json() as Json).message, msg)
      }
    })

    it('creates an export that becomes ready, lists newest first', async () => {
      const r = await postJson(`${D('ds1')}/datasetExports`, { spec: { format: 'ViJsonl', options: { normalized: true, splitRatio: 0.8 } } })
      assert.equal(r.status, 201)
      const created = await r.json() as Json
      assert.equal(created.kind, 'DatasetExport')
      assert.equal(created.datasetId, `${ORG}_ds1`)
      assert.deepEqual(created.spec, { format: 'ViJsonl', options: { normalized: true, splitRatio: 0.8 } })
      assert.deepEqual(created.status.conditions.map((c: Json) => [c.condition, c.status]), [['Started', 'Reached']])
      assert.equal(created.status.downloadUrl, null)
      const id = created.datasetExportId
      const later = sim.addExport(ORG, 'ds1', {})
      const list = await getJson(`${D('ds1')}/datasetExports`)
      assert.equal(list.items[0].datasetExportId, later)
      assert.equal(list.items[1].datasetExportId, id)
      await sleep(350)
      const ready = await getJson(`${D('ds1')}/datasetExports/${id}`)
      assert.deepEqual(ready.status.conditions.map((c: Json) => [c.condition, c.status]), [['Finished', 'Reached'], ['Started', 'Reached']])
      assert.ok(Number.isInteger(ready.status.conditions[0].lastTransitionTime))
      assert.notEqual(ready.etag, created.etag)
      const { url, expiresAt } = ready.status.downloadUrl
      assert.ok(url.startsWith(`${sim.storageUrl}/archives/${ORG}/${id}.zip?`))
      assert.equal(new URL(url).searchParams.get('expires'), String(expiresAt))
      assert.equal((await getJson(`${D('ds1')}/datasetExports/${id}`)).status.downloadUrl.url, url, 'URL is stable until it expires')
      assert.equal((await api(`${D('ds1')}/datasetExports/nope`)).status, 404)
    })

    it('reports a failed export with FailedReach and no URL', async () => {
      const id = sim.addExport(ORG, 'ds1', { state: 'failed' })
      const e = await getJson(`${D('ds1')}/datasetExports/${id}`)
      const failed = e.status.conditions.find((c: Json) => c.status === 'FailedReach')
      assert.ok(failed && typeof failed.reason === 'string' && typeof failed.message === 'string')
      assert.equal(e.status.downloadUrl, null)
    })
  })

  describe('signed storage', () => {
    it('expires, rejects tampering and re-signs after expireUrls', async () => {
      sim.clearRequests()
      const { id, wire } = await readyExport('ds1')
      const url: string = wire.status.downloadUrl.url
      assert.equal((await fetch(url)).status, 200)
      const tampered = url.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`)
      assert.equal((await fetch(tampered)).status, 403)
      const longer = url.replace(/expires=(\d+)/, (_m, n: string) => `expires=${Number(n) + 1000}`)
      assert.equal((await fetch(longer)).status, 403)
      sim.expireUrls(ORG, id)
      assert.equal((await fetch(url)).status, 403)
      const again = await getJson(`${D('ds1')}/datasetExports/${id}`)
      assert.notEqual(again.status.downloadUrl.url, url)
      assert.equal((await fetch(again.status.downloadUrl.url)).status, 200)
      const storageReqs = sim.requests.filter((r) => r.target === 'storage')
      assert.ok(storageReqs.length >= 4)
      for (const r of storageReqs) {
        assert.equal(r.headers.authorization, undefined)
        assert.equal(r.headers['organization-id'], undefined)
      }
    })

    it('lets a URL lapse after its TTL and signs a fresh one on the next read', async () => {
      const { id, wire } = await readyExport('ds1', { urlTtlMs: 150 })
      const url: string = wire.status.downloadUrl.url
      await sleep(200)
      const r = await fetch(url)
      assert.equal(r.status, 403)
      assert.match(await r.text(), /Expired/)
      const fresh = await getJson(`${D('ds1')}/datasetExports/${id}`)
      assert.ok(fresh.status.downloadUrl.expiresAt > wire.status.downloadUrl.expiresAt)
      assert.equal((await fetch(fresh.status.downloadUrl.url)).status, 200)
    })

    it('answers HEAD, Range, suffix ranges, 416 and If-Range', async () => {
      const size = 300_000
      const { id, wire } = await readyExport('ds1', { archiveSize: size })
      const url: string = wire.status.downloadUrl.url
      const head = await fetch(url, { method: 'HEAD' })
      assert.equal(head.status, 200)
      assert.equal(head.headers.get('content-length'), String(size))
      assert.equal(head.headers.get('content-type'), 'application/zip')
      assert.equal(head.headers.get('accept-ranges'), 'bytes')
      const etag = head.headers.get('etag') ?? ''
      assert.match(etag, /^".+"$/)
      assert.ok(head.headers.get('last-modified'))
      const full = Buffer.from(await (await fetch(url)).arrayBuffer())
      assert.equal(full.length, size)
      assert.equal(createHash('sha256').update(full).digest('hex'), sim.archiveSha256(ORG, id))

      const part = await fetch(url, { headers: { range: 'bytes=1000-1999' } })
      assert.equal(part.status, 206)
      assert.equal(part.headers.get('content-range'), `bytes 1000-1999/${size}`)
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), full.subarray(1000, 2000))
      const open = await fetch(url, { headers: { range: `bytes=${size - 10}-` } })
      assert.equal(open.status, 206)
      assert.deepEqual(Buffer.from(await open.arrayBuffer()), full.subarray(size - 10))
      const suffix = await fetch(url, { headers: { range: 'bytes=-500' } })
      assert.equal(suffix.status, 206)
      assert.equal(suffix.headers.get('content-range'), `bytes ${size - 500}-${size - 1}/${size}`)
      assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), full.subarray(size - 500))
      const clamped = await fetch(url, { headers: { range: `bytes=${size - 5}-${size + 100}` } })
      assert.equal(clamped.status, 206)
      assert.equal((await clamped.arrayBuffer()).byteLength, 5)
      const bad = await fetch(url, { headers: { range: `bytes=${size}-` } })
      assert.equal(bad.status, 416)
      assert.equal(bad.headers.get('content-range'), `bytes */${size}`)
      await bad.arrayBuffer()
      const multi = await fetch(url, { headers: { range: 'bytes=0-1,5-6' } })
      assert.equal(multi.status, 200)
      await multi.arrayBuffer()
      const stale = await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } })
      assert.equal(stale.status, 200)
      assert.equal((await stale.arrayBuffer()).byteLength, size)
      const fresh = await fetch(url, { headers: { range: 'bytes=0-9', 'if-range': etag } })
      assert.equal(fresh.status, 206)
      assert.equal((await fresh.arrayBuffer()).byteLength, 10)
      const headRange = await fetch(url, { method: 'HEAD', headers: { range: 'bytes=0-99' } })
      assert.equal(headRange.status, 206)
      assert.equal(headRange.headers.get('content-length'), '100')
    })

    it('404s unknown or pending archives, 405s other methods', async () => {
      const id = sim.addExport(ORG, 'ds1', { state: 'pending' })
      const e = await getJson(`${D('ds1')}/datasetExports/${id}`)
      assert.equal(e.status.downloadUrl, null)
      assert.equal((await fetch(`${sim.storageUrl}/archives/${ORG}/${id}.zip`)).status, 403, 'unsigned')
      assert.equal((await fetch(`${sim.storageUrl}/elsewhere`)).status, 404)
      const { wire } = await readyExport('ds1')
      assert.equal((await fetch(wire.status.downloadUrl.url, { method: 'DELETE' })).status, 405)
    })

    it('streams a larger archive whose sha256 matches archiveSha256()', async () => {
      const size = 24 * 1024 * 1024 + 7
      const { id, wire } = await readyExport('ds2', { archiveSize: size })
      const res = await fetch(wire.status.downloadUrl.url)
      const h = createHash('sha256')
      let n = 0
      for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) { h.update(c); n += c.length }
      assert.equal(n, size)
      assert.equal(sim.archiveSize(ORG, id), size)
      assert.equal(h.digest('hex'), sim.archiveSha256(ORG, id))
    })

    it('serves a small archive that is a valid zip', async () => {
      const { wire } = await readyExport('ds1', { archiveSize: 64 * 1024 })
      const buf = Buffer.from(await (await fetch(wire.status.downloadUrl.url)).arrayBuffer())
      assert.equal(buf.readUInt32LE(buf.length - 22), 0x06054b50, 'end of central directory at the end')
      assert.equal(buf.readUInt32LE(0), 0x04034b50, 'local header at the start')
      const unzip = ['/usr/bin/unzip', '/bin/unzip', '/usr/local/bin/unzip'].find((p) => existsSync(p))
      if (!unzip) return // only this check needs the binary
      const dir = mkdtempSync(join(tmpdir(), 'sim-zip-'))
      try {
        const file = join(dir, 'a.zip')
        writeFileSync(file, buf)
        const out = execFileSync(unzip, ['-t', file]).toString()
        assert.match(out, /No errors detected/)
        assert.match(out, /training\/images\/.+\.jpg/)
        assert.match(out, /annotations\/.+\.jsonl/)
        const listing = execFileSync(unzip, ['-p', file, '*.jsonl']).toString().trim().split('\n')
        const line = JSON.parse(listing[0] ?? '') as Json
        assert.equal(line.contents.type, 'PhraseGrounding')
        assert.ok(Array.isArray(line.contents.groundedPhrases))
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })

  describe('faults', () => {
    it('replaces answers with a status for `times` requests', async () => {
      const remove = sim.fault({ path: D('ds1'), method: 'GET', status: 503, headers: { 'Retry-After': '2' }, times: 2 })
      const a = await api(D('ds1'))
      assert.equal(a.status, 503)
      assert.equal(a.headers.get('retry-after'), '2')
      assert.equal((await api(D('ds1'))).status, 503)
      assert.equal((await api(D('ds1'))).status, 200)
      remove()
      const removeAll = sim.fault({ path: `/workspaces/${ORG}/*`, status: 500, body: { message: 'boom' } })
      const b = await api(D('ds2'))
      assert.equal(b.status, 500)
      assert.deepEqual(await b.json(), { message: 'boom' })
      removeAll()
      assert.equal((await api(D('ds2'))).status, 200)
    })

    it('drops the connection before headers', async () => {
      sim.fault({ path: /_ds1$/, drop: 'before-headers', times: 1 })
      const r = await rawRequest(sim.url + D('ds1'), { headers: AUTH })
      assert.equal(r.status, 0)
      assert.ok(r.error)
      assert.equal((await rawRequest(sim.url + D('ds1'), { headers: AUTH })).status, 200)
    })

    it('drops storage bodies mid-way after afterBytes', async () => {
      const { wire } = await readyExport('ds1', { archiveSize: 1_000_000 })
      sim.fault({ target: 'storage', drop: 'mid-body', afterBytes: 100_000, times: 1 })
      const r = await rawRequest(wire.status.downloadUrl.url)
      assert.equal(r.status, 200)
      assert.equal(r.headers['content-length'], '1000000')
      assert.equal(r.complete, false)
      assert.equal(r.body.length, 100_000)
      const ok = await rawRequest(wire.status.downloadUrl.url)
      assert.equal(ok.complete, true)
      assert.equal(ok.body.length, 1_000_000)
    })

    it('delays answers and can ignore Range', async () => {
      const { wire } = await readyExport('ds1')
      sim.fault({ target: 'storage', ignoreRange: true, delayMs: 150, times: 1 })
      const t0 = Date.now()
      const r = await fetch(wire.status.downloadUrl.url, { headers: { range: 'bytes=0-9' } })
      assert.ok(Date.now() - t0 >= 140)
      assert.equal(r.status, 200)
      assert.equal((await r.arrayBuffer()).byteLength, 64 * 1024)
      sim.fault({ delayMs: 5_000, path: D('ds2'), times: 1 })
      const ac = new AbortController()
      const pending = api(D('ds2'), { signal: ac.signal })
      await sleep(50)
      ac.abort()
      await assert.rejects(pending)
      assert.equal((await api(D('ds2'))).status, 200, 'sim survives a client leaving mid-delay')
      sim.clearFaults()
    })
  })

  describe('operations', () => {
    it('bulk asset deletion validates, lowers assetTotal and completes', async () => {
      const path = `${D('ds1')}/deleteManyAssetsSessions`
      assert.equal((await postJson(path, { spec: { filter: null, metadataQuery: null, ruleQuery: null } })).status, 400)
      assert.equal((await postJson(path, { spec: { filter: 1, metadataQuery: null, ruleQuery: null, strictQuery: null } })).status, 400)
      const before = await getJson(D('ds1'))
      const r = await postJson(path, { spec: { filter: 'status:active', metadataQuery: null, ruleQuery: null, strictQuery: true } })
      assert.equal(r.status, 201)
      const s = await r.json() as Json
      assert.equal(s.kind, 'DeleteManyAssetsSession')
      assert.deepEqual(s.status.conditions.map((c: Json) => c.status), ['Waiting'])
      assert.equal(s.spec.filter, 'status:active')
      const afterDs = await getJson(D('ds1'))
      assert.equal(afterDs.statistic.assetTotal, before.statistic.assetTotal - 3)
      assert.notEqual(afterDs.etag, before.etag)
      await sleep(250)
      const done = await getJson(`${path}/${s.deleteManyAssetsSessionId}`)
      assert.ok(done.status.conditions.length > 0 && done.status.conditions.every((c: Json) => c.status === 'Reached'))
      assert.equal((await api(`${path}/nope`)).status, 404)
    })

    it('deletes a dataset: gone at once, operation completes later', async () => {
      sim.addDataset(ORG, { id: 'doomed' })
      const exp = sim.addExport(ORG, 'doomed', { state: 'ready' })
      assert.equal((await api(`${D('ds2')}/deleteOperation`)).status, 404)
      const r = await api(D('doomed'), { method: 'DELETE' })
      assert.equal(r.status, 202)
      const op = await r.json() as Json
      assert.equal(op.kind, 'DatasetDeleteOperation')
      assert.equal(op.datasetId, `${ORG}_doomed`)
      assert.deepEqual(op.status.conditions.map((c: Json) => [c.condition, c.status]), [['Started', 'Waiting']])
      assert.equal((await api(D('doomed'))).status, 404)
      assert.equal((await api(`${D('doomed')}/datasetExports/${exp}`)).status, 404)
      assert.equal((await api(D('doomed'), { method: 'DELETE' })).status, 404)
      await sleep(250)
      const done = await getJson(`${D('doomed')}/deleteOperation`)
      assert.ok(done.status.conditions.every((c: Json) => c.status === 'Reached'))
      assert.ok(done.status.conditions.some((c: Json) => c.condition === 'Finished'))
      assert.notEqual(done.etag, op.etag)
    })
  })

  describe('lifecycle', () => {
    it('closes quickly with open keep-alive and stalled streaming sockets', async () => {
      const s2 = await startSimUpstream({ orgs: [{ id: ORG, secretKey: KEY }] })
      seedDemo(s2, ORG)
      const list = await (await fetch(`${s2.url}/workspaces/${ORG}/datasets`, { headers: AUTH })).json() as Json
      assert.ok(list.items.length >= 5)
      assert.ok(list.items.some((d: Json) => d.type === 'vqa') && list.items.some((d: Json) => d.type === 'phrase-grounding'))
      s2.addDataset(ORG, { id: 'big' })
      const id = s2.addExport(ORG, 'big', { state: 'ready', archiveSize: 512 * 1024 * 1024 })
      const e = await (await fetch(`${s2.url}${D('big')}/datasetExports/${id}`, { headers: AUTH })).json() as Json
      const req = http.get(e.status.downloadUrl.url, (res) => res.pause()) // never read: server hits backpressure
      req.on('error', () => {})
      await sleep(100)
      assert.equal(s2.openStorageSockets(), 1)
      const t0 = Date.now()
      await s2.close()
      assert.ok(Date.now() - t0 < 1000, 'close() is quick')
      req.destroy()
    })
  })
})

describe('crc32Combine', () => {
  it('matches zlib for concatenations and repeats', () => {
    const a = Buffer.from('hello, ')
    const b = Buffer.from('world with a longer tail '.repeat(50))
    assert.equal(crc32Combine(crc32(a), crc32(b), b.length), crc32(Buffer.concat([a, b])))
    assert.equal(crc32Repeat(b, 7), crc32(Buffer.concat(Array(7).fill(b))))
    assert.equal(crc32Repeat(b, 0), 0)
  })
})
