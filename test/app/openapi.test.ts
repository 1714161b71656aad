import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import { Ajv2020 } from 'ajv/dist/2020.js'
import createClient from 'openapi-fetch'
import type { paths } from '../client/vi-bff.js'
import { openapiDocument, openapiTypes, TYPES_FILE } from '../../scripts/openapi.js'
import { Errors } from '../../src/errors.js'
import openapi from '../../src/plugins/swagger.js'
import { startSim, build, KEY, AUTH, ORG } from '../helper.js'
import { operations, deref, swaggerUiSample, prefilledParameter, type Json } from '../client/openapi-walk.js'

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with an operationId and tags on every route, named components and problem responses', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const res = await app.inject({ url: '/openapi.json' })
    assert.equal(res.statusCode, 200)
    const doc = res.json()
    assert.equal(doc.openapi, '3.1.0')
    const ops = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
    assert.ok(ops.length >= 11)
    const ids = new Set<string>()
    for (const { path, method, op } of ops) {
      assert.ok(op.operationId, `${method} ${path} has an operationId`)
      assert.ok(typeof op.description === 'string' && op.description.length > 20, `${method} ${path} has a description`)
      assert.ok(!ids.has(op.operationId as string), 'operationIds are unique')
      ids.add(op.operationId as string)
      assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${method} ${path} has tags`)
      if (path.startsWith('/v1/')) {
        const responses = op.responses as Record<string, { content?: Record<string, { schema: { $ref: string } }> }>
        if (method !== 'head') assert.equal(responses['401']?.content?.['application/problem+json']?.schema.$ref, '#/components/schemas/Problem')
        else assert.ok(responses['401'] && !responses['401'].content, `HEAD ${path} 401 has no body`)
      }
    }
    const schemas = Object.keys(doc.components.schemas)
    for (const name of ['Dataset', 'DatasetList', 'DatasetExport', 'DatasetExportList', 'DeletedDataset', 'BulkAssetDeletionSession', 'Problem']) assert.ok(schemas.includes(name), name)
    assert.equal(JSON.stringify(doc).includes('def-'), false)
    assert.deepEqual(doc.components.schemas.DatasetExport.properties.status.properties.state, { type: 'string', enum: ['pending', 'ready', 'failed'] })
    assert.deepEqual(doc.components.schemas.DatasetExport.properties.status.properties.downloadUrl.anyOf[1], { type: 'null' })
    assert.ok(doc.components.securitySchemes.bearerAuth)
    assert.ok(doc.components.securitySchemes.apiKeyHeader)
    assert.equal((await app.inject({ url: '/docs' })).statusCode < 400, true)
  })

  it('matches the committed generated client types (run `npm run openapi:types` after changing a route)', async () => {
    const fresh = await openapiTypes(await openapiDocument())
    assert.equal(await readFile(TYPES_FILE, 'utf8'), fresh)
  })
})

describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  it('drives the running service end to end', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Generated' })
    const { app } = await build(t, sim)
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
    const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${KEY}` } })

    const list = await client.GET('/v1/datasets', { params: { query: { pageSize: 10 } } })
    assert.equal(list.response.status, 200)
    assert.equal(list.data?.items[0]?.name, 'Generated')

    const one = await client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId: 'ds1' } } })
    assert.equal(one.data?.datasetId, 'ds1')

    const created = await client.POST('/v1/datasets/{datasetId}/exports', { params: { path: { datasetId: 'ds1' } }, body: { format: 'VI_JSONL', options: { splitRatio: 0.8 } } })
    assert.equal(created.response.status, 202)
    const exportId = created.data!.datasetExportId
    assert.equal(created.data?.status.state, 'pending')

    const got = await client.GET('/v1/datasets/{datasetId}/exports/{exportId}', { params: { path: { datasetId: 'ds1', exportId } } })
    assert.equal(got.data?.spec.format, 'VI_JSONL')

    const exports = await client.GET('/v1/datasets/{datasetId}/exports', { params: { path: { datasetId: 'ds1' }, query: {} } })
    assert.ok(exports.data?.items.some(e => e.datasetExportId === exportId))

    const session = await client.POST('/v1/datasets/{datasetId}/asset-deletions', { params: { path: { datasetId: 'ds1' } }, body: { strictQuery: true } })
    assert.equal(session.response.status, 202)

    const missing = await client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId: 'nope' } } })
    assert.equal(missing.response.status, 404)
    assert.equal(missing.error?.code, 'BFF_DATASET_NOT_FOUND')

    const deleted = await client.DELETE('/v1/datasets/{datasetId}', { params: { path: { datasetId: 'ds1' } } })
    assert.equal(deleted.response.status, 202)
    const deletion = await client.GET('/v1/datasets/{datasetId}/deletion', { params: { path: { datasetId: 'ds1' } } })
    assert.equal(deletion.data?.datasetId, 'ds1')
  })
})

describe('OpenAPI document for generators and linters', () => {
  it('has a relative server, binary archive bodies, Problem.code as the enum of Errors, and X-Request-Id on every response', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const doc = (await app.inject({ url: '/openapi.json' })).json()
    assert.deepEqual(doc.servers.map((s: Json) => s.url), ['/'])
    for (const path of ['/v1/datasets/{datasetId}/exports/{exportId}/archive', '/v1/datasets/{datasetId}/archive']) {
      for (const status of ['200', '206']) {
        const response = doc.paths[path].get.responses[status]
        assert.deepEqual(response.content, { 'application/zip': { schema: { type: 'string', format: 'binary', contentMediaType: 'application/zip' } } }, `${path} ${status}`)
        for (const name of ['Content-Length', 'Content-Disposition', 'Accept-Ranges', 'ETag']) assert.ok(response.headers[name], `${path} ${status} ${name}`)
      }
      assert.ok(doc.paths[path].get.responses['206'].headers['Content-Range'])
      assert.ok(doc.paths[path].get.responses['416'].headers['Content-Range'])
      assert.ok(doc.paths[path].get.responses['409'].headers['Retry-After'])
      const params = (doc.paths[path].get.parameters as Json[]).filter(p => p.in === 'header').map(p => p.name)
      assert.deepEqual(params.sort(), ['Cache-Control', 'If-Range', 'Range'])
    }
    const oneCall = doc.paths['/v1/datasets/{datasetId}/archive'].get.responses
    assert.ok(oneCall['200'].headers['Content-Location'])
    assert.ok(oneCall['202'].headers.Location && oneCall['202'].headers['Retry-After'])

    const codes = Object.values(Errors).map(E => new E().code)
    assert.deepEqual(doc.components.schemas.Problem.properties.code.enum, codes)
    assert.ok(codes.includes('BFF_DATASET_NOT_FOUND') && codes.includes('BFF_STORAGE_BUSY'))

    for (const { path, method, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        assert.ok(response.headers?.['X-Request-Id'], `${method} ${path} ${status} declares X-Request-Id`)
        if (status === '503') assert.ok(response.headers['Retry-After'], `${method} ${path} 503 declares Retry-After`)
        if (status === '202' && path.startsWith('/v1/')) assert.ok(response.headers.Location, `${method} ${path} 202 declares Location`)
      }
    }
    for (const [path, getId] of [['/v1/datasets', 'listDatasets'], ['/v1/datasets/{datasetId}', 'getDataset'], ['/v1/datasets/{datasetId}/exports', 'listExports'], ['/v1/datasets/{datasetId}/exports/{exportId}', 'getExport']] as const) {
      const get = doc.paths[path].get
      assert.equal(get.operationId, getId)
      assert.deepEqual((get.parameters as Json[]).filter(p => p.in === 'header').map(p => p.name).sort(), ['Cache-Control', 'If-None-Match'])
      for (const status of ['200', '304']) {
        for (const name of ['ETag', 'Cache-Status']) assert.ok(get.responses[status].headers[name], `${getId} ${status} ${name}`)
      }
    }
  })

  it('documents HEAD exactly where the server answers it: derived from the GET, no body, no Range, never doubled', async t => {
    const sim = await startSim(t)
    const check = async (server: FastifyInstance) => {
      const doc = (await server.inject({ url: '/openapi.json' })).json()
      const ids = operations(doc).map(o => o.op.operationId)
      assert.equal(new Set(ids).size, ids.length, 'operationIds are unique')
      let heads = 0
      for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
        const url = path.replace(/\{([^}]+)\}/g, ':$1')
        assert.equal(Boolean(item.head), Boolean(item.get) && server.hasRoute({ method: 'HEAD', url }), `HEAD ${path} documented iff served`)
        if (!item.head) continue
        heads++
        const { head, get } = item
        if (head.operationId === `${get.operationId}-head`) continue // @fastify/swagger's own, left as it made it
        assert.equal(head.operationId, get.operationId.startsWith('get') ? `head${get.operationId.slice(3)}` : `head${get.operationId[0].toUpperCase()}${get.operationId.slice(1)}`)
        assert.deepEqual(head.tags, get.tags)
        assert.ok(!(head.parameters ?? []).some((p: Json) => p.in === 'header' && /^(range|if-range)$/i.test(p.name)), `HEAD ${path} has no Range`)
        assert.equal(head.responses['206'], undefined)
        for (const [status, response] of Object.entries(head.responses as Record<string, Json>)) {
          assert.equal(response.content, undefined, `HEAD ${path} ${status} has no body`)
          assert.deepEqual(response.headers, get.responses[status].headers, `HEAD ${path} ${status} has the GET's headers`)
        }
      }
      return heads
    }
    const { app: served } = await build(t, sim)
    assert.ok(await check(served) >= 2, 'the archive routes answer HEAD today')

    // With Fastify's exposeHeadRoutes every GET gets a HEAD route: each is documented once, and a HEAD that
    // @fastify/swagger already documents (its own exposeHeadRoute flag) is kept, not derived again.
    for (const expose of [true, false]) {
      const server = Fastify({ exposeHeadRoutes: expose })
      t.after(() => server.close())
      await server.register(openapi)
      const schema = (operationId: string) => ({ operationId, tags: ['datasets'], description: 'An operation for this test', response: { 200: { type: 'object', description: 'OK' } } })
      server.get('/a/:id', { schema: schema('getA') }, async () => ({}))
      server.get('/b', { schema: schema('listB'), config: { swagger: { exposeHeadRoute: true } } }, async () => ({}))
      server.get('/c', { schema: { ...schema('getC'), hide: true } }, async () => ({}))
      await server.ready()
      const doc = server.swagger() as Json
      assert.equal(doc.paths['/a/{id}'].head?.operationId, expose ? 'headA' : undefined)
      assert.deepEqual(Object.keys(doc.paths['/b']).sort(), expose ? ['get', 'head'] : ['get'])
      if (expose) assert.equal(doc.paths['/b'].head.operationId, 'listB-head')
      assert.equal(doc.paths['/c'], undefined)
      assert.equal(await check(server), expose ? 2 : 0)
    }
  })

  it('accepts the header values clients really send: ranges, weak and listed ETags, repeated headers', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Headers' })
    const exportId = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 4096 })
    const { app } = await build(t, sim)
    const reads = ['/v1/datasets', '/v1/datasets/ds1', '/v1/datasets/ds1/exports', `/v1/datasets/ds1/exports/${exportId}`]
    const cached: Array<Record<string, string | string[]>> = [
      { 'if-none-match': 'W/"abc", "def", W/"x"' }, { 'if-none-match': '*, "x"' }, { 'if-none-match': ['"a"', 'W/"b"'] },
      { 'cache-control': 'no-cache, max-age=0' }, { 'cache-control': ['no-store', 'x-custom=1'] }, { 'if-none-match': '' }
    ]
    for (const url of reads) {
      for (const headers of cached) {
        const res = await app.inject({ url, headers: { ...AUTH, ...headers } })
        assert.ok([200, 304].includes(res.statusCode), `${url} ${JSON.stringify(headers)}: ${res.statusCode} ${res.body}`)
      }
    }
    const archive = `/v1/datasets/ds1/exports/${exportId}/archive`
    const ranged: Array<Record<string, string | string[]>> = [
      { range: 'bytes=0-9' }, { range: 'bytes=-10' }, { range: 'bytes=10-' }, { range: 'bytes=0-1, 5-9' }, { range: 'items=0-1' }, { range: 'bytes=garbage' },
      { range: 'bytes=0-9', 'if-range': 'W/"weak"' }, { range: 'bytes=0-9', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' }, { range: ['bytes=0-1', 'bytes=2-3'] },
      { range: 'bytes=0-9', 'cache-control': 'no-cache' }
    ]
    for (const headers of ranged) {
      const res = await app.inject({ url: archive, headers: { ...AUTH, ...headers } })
      assert.ok([200, 206].includes(res.statusCode), `${JSON.stringify(headers)}: ${res.statusCode} ${res.body.slice(0, 200)}`)
    }
  })

  it('every example is valid, and what Swagger UI pre-fills (bodies and parameters) is accepted by the API', async t => {
    const sim = await startSim(t)
    sim.addDataset(ORG, { id: 'ds1', name: 'Examples' })
    const readyExport = sim.addExport(ORG, 'ds1', { state: 'ready', archiveSize: 2048 })
    const { app } = await build(t, sim)
    const doc = (await app.inject({ url: '/openapi.json' })).json()
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
    const validate = (schema: Json, value: unknown, where: string) => {
      const check = ajv.compile(deref(doc, schema))
      assert.ok(check(value), `${where}: ${JSON.stringify(value)} ${ajv.errorsText(check.errors)}`)
    }

    // Every `examples` of a schema and every `example` of a parameter or media type, wherever it is.
    let examples = 0
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`))
      const o = node as Json
      if (Array.isArray(o.examples) && (o.type || o.properties || o.anyOf || o.$ref)) {
        const { examples: list, ...schema } = o
        for (const example of list) { validate(schema, example, where); examples++ }
      }
      if ('example' in o && o.schema) { validate(o.schema, o.example, where); examples++ }
      for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`)
    }
    walk(doc, '#')
    assert.ok(examples >= 4, `${examples} examples checked`)

    const ids: Record<string, string> = { datasetId: 'ds1', exportId: readyExport }
    const session = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/asset-deletions', headers: AUTH, payload: {} })
    ids.sessionId = session.json().deleteManyAssetsSessionId
    let tried = 0
    for (const { path, method, op } of operations(doc)) {
      if (method === 'delete') continue
      const query = new URLSearchParams()
      const headers: Record<string, string> = { ...AUTH }
      let prefilled = false
      for (const param of (op.parameters ?? []) as Json[]) {
        if (param.in === 'path') continue
        const value = prefilledParameter(param)
        if (value === undefined) continue
        validate(param.schema, value, `${method} ${path} ${param.name}`)
        prefilled = true
        if (param.in === 'query') query.set(param.name, String(value))
        if (param.in === 'header') headers[param.name] = String(value)
      }
      const json = op.requestBody?.content?.['application/json']
      const body = json ? swaggerUiSample(deref(doc, json.schema)) : undefined
      if (json) validate(json.schema, body, `${method} ${path} body`)
      if (!prefilled && !json) continue
      const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name]!) + (query.size > 0 ? `?${query}` : '')
      // A fresh app (same upstream) per operation: what one call leaves in the cache must not decide another's answer.
      const { app: fresh } = await build(t, sim)
      const res = await fresh.inject({ method: method.toUpperCase() as 'GET', url, headers, ...(json ? { payload: body as Json } : {}) })
      assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${method.toUpperCase()} ${url} with Swagger UI's values ${JSON.stringify({ headers, body })}: ${res.statusCode} ${res.body.slice(0, 300)}`)
      tried++
    }
    assert.ok(tried >= 5, `${tried} operations tried with pre-filled values`)
  })

  it('serves Swagger UI at /docs loading /openapi.json, with a CSP that allows everything the page loads and nothing inline', async t => {
    const sim = await startSim(t)
    const { app } = await build(t, sim)
    const page = await app.inject({ url: '/docs' })
    assert.equal(page.statusCode, 200)
    const csp = String(page.headers['content-security-policy'])
    const directives = new Map(csp.split(';').map(d => d.trim().split(/\s+/)).filter(d => d[0]).map(([name, ...values]) => [name!, values]))
    assert.deepEqual(directives.get('script-src'), ["'self'"], 'scripts: same-origin files only')
    assert.equal(directives.has('upgrade-insecure-requests'), false, 'a plain-HTTP deployment still loads its own assets')
    assert.ok(directives.get('connect-src')?.includes("'self'"), 'the UI may fetch /openapi.json and call the API')
    const html = page.body
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    assert.ok(scripts.length >= 3)
    for (const [, attrs, inline] of scripts) {
      assert.equal(inline!.trim(), '', 'no inline script (it would need a hash in script-src)')
      const src = /src="([^"]+)"/.exec(attrs!)?.[1]
      assert.ok(src && !/^[a-z]+:|^\/\//i.test(src), `same-origin script ${src}`)
      const asset = await app.inject({ url: new URL(src, 'http://x/docs').pathname })
      assert.equal(asset.statusCode, 200, src)
      assert.match(String(asset.headers['content-type']), /javascript/)
    }
    assert.doesNotMatch(html, /<style\b|\sstyle="|\son[a-z]+="/i, 'no inline styles or handlers')
    for (const [, href] of html.matchAll(/<link\b[^>]*href="([^"]+)"/g)) {
      assert.equal((await app.inject({ url: new URL(href!, 'http://x/docs').pathname })).statusCode, 200, href)
    }
    const init = (await app.inject({ url: '/docs/static/swagger-initializer.js' })).body
    assert.match(init, /"urls":\[\{"url":"\/openapi\.json"/)
    assert.equal((await app.inject({ url: '/openapi.json' })).statusCode, 200)
  })
})
