import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ORG, KEY, apiCalls } from '../helper.js'
import { setup, signIn, PUBLIC_URL } from './setup.js'

const FRONTEND = 'https://frontend.example.com'
const exportPosts = (sim: Parameters<typeof apiCalls>[0]) => apiCalls(sim, 'POST', `/workspaces/${ORG}/datasets/${ORG}_ds1/datasetExports`)

describe('CSRF rule for cookie-authenticated requests', () => {
  it('accepts a cookie write only with X-CSRF: 1 and an allowed or absent Origin; explicit credentials are not subject to it', async t => {
    const { app, idp, sim } = await setup(t, { CORS_ORIGINS: FRONTEND })
    const s = await signIn(app, idp)
    const post = (headers: Record<string, string>, withCookie = true) => app.inject({
      method: 'POST', url: '/v1/datasets/ds1/exports', headers, payload: {}, ...(withCookie ? { cookies: { [s.name]: s.value } } : {})
    })
    const matrix: Array<[string, Record<string, string>, number]> = [
      ['no X-CSRF', {}, 403],
      ['X-CSRF: 0', { 'x-csrf': '0' }, 403],
      ['X-CSRF: true', { 'x-csrf': 'true' }, 403],
      ['X-CSRF: 1 from a foreign Origin', { 'x-csrf': '1', origin: 'https://evil.example' }, 403],
      ['X-CSRF: 1 from Origin null', { 'x-csrf': '1', origin: 'null' }, 403],
      ['X-CSRF: 1 from a look-alike Origin', { 'x-csrf': '1', origin: `${PUBLIC_URL}.evil.example` }, 403],
      ['X-CSRF: 1, no Origin', { 'x-csrf': '1' }, 202],
      ['X-CSRF: 1 from PUBLIC_URL', { 'x-csrf': '1', origin: PUBLIC_URL }, 202],
      ['X-CSRF: 1 from a CORS origin', { 'x-csrf': '1', origin: FRONTEND }, 202]
    ]
    let accepted = 0
    for (const [label, headers, status] of matrix) {
      const res = await post(headers)
      assert.equal(res.statusCode, status, `${label}: ${res.body}`)
      if (status === 403) assert.equal(JSON.parse(res.body).code, 'BFF_CSRF_REJECTED', label)
      else accepted++
    }
    assert.equal(exportPosts(sim), accepted, 'refused requests never reached the upstream')
    // An API key (even beside the cookie, and from any Origin) is not cookie-authenticated.
    assert.equal((await post({ authorization: `Bearer ${KEY}`, origin: 'https://evil.example' })).statusCode, 202)
    assert.equal((await post({ 'x-api-key': KEY }, false)).statusCode, 202)
    // Safe methods by cookie need nothing.
    assert.equal((await app.inject({ url: '/v1/datasets', cookies: { [s.name]: s.value }, headers: { origin: 'https://evil.example' } })).statusCode, 200)
  })

  it('guards DELETE and logout too: a forged logout leaves the session alive', async t => {
    const { app, idp } = await setup(t)
    const s = await signIn(app, idp, { user: 'admin' })
    const del = await app.inject({ method: 'DELETE', url: '/v1/datasets/ds1', cookies: { [s.name]: s.value } })
    assert.equal(del.statusCode, 403)
    assert.equal(JSON.parse(del.body).code, 'BFF_CSRF_REJECTED')
    const forged = await app.inject({ method: 'POST', url: '/auth/logout', cookies: { [s.name]: s.value }, headers: { origin: 'https://evil.example', 'x-csrf': '1' } })
    assert.equal(forged.statusCode, 403)
    const plain = await app.inject({ method: 'POST', url: '/auth/logout', cookies: { [s.name]: s.value } })
    assert.equal(plain.statusCode, 403)
    assert.equal((await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).statusCode, 200)
    const out = await app.inject({ method: 'POST', url: '/auth/logout', cookies: { [s.name]: s.value }, headers: { 'x-csrf': '1', origin: PUBLIC_URL } })
    assert.equal(out.statusCode, 200)
    assert.equal((await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).statusCode, 401)
  })

  it('a cookie GET never creates an export on the one-call archive route; X-CSRF: 1 or an API key may', async t => {
    const { app, idp, sim } = await setup(t)
    const s = await signIn(app, idp)
    const get = (headers: Record<string, string>, cookie = true) => app.inject({
      url: '/v1/datasets/ds1/archive?wait=0', headers, ...(cookie ? { cookies: { [s.name]: s.value } } : {})
    })
    const plain = await get({})
    assert.equal(plain.statusCode, 403, plain.body)
    assert.equal(exportPosts(sim), 0, 'nothing created by a cookie GET without X-CSRF')
    const withHeader = await get({ 'x-csrf': '1' })
    assert.equal(withHeader.statusCode, 202, withHeader.body)
    assert.equal(exportPosts(sim), 1)
    // Now that it exists, a plain cookie GET may join it (nothing new is created).
    const join = await get({})
    assert.equal(join.statusCode, 202)
    assert.equal(exportPosts(sim), 1)
    const byKey = await app.inject({ url: '/v1/datasets/ds1/archive?wait=0&format=VI_JSONL', headers: { authorization: `Bearer ${KEY}` } })
    assert.equal(byKey.statusCode, 202)
    assert.equal(exportPosts(sim), 2)
  })

  it('CORS lets a configured frontend origin send cookies and X-CSRF and read the headers it needs', async t => {
    const { app, idp } = await setup(t, { CORS_ORIGINS: FRONTEND })
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/v1/datasets/ds1/exports',
      headers: { origin: FRONTEND, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf,content-type' }
    })
    assert.equal(pre.statusCode, 204)
    assert.equal(pre.headers['access-control-allow-origin'], FRONTEND)
    assert.equal(pre.headers['access-control-allow-credentials'], 'true')
    assert.match(String(pre.headers['access-control-allow-headers']), /x-csrf/)
    const s = await signIn(app, idp)
    const res = await app.inject({ url: '/v1/datasets', headers: { origin: FRONTEND }, cookies: { [s.name]: s.value } })
    assert.equal(res.headers['access-control-allow-origin'], FRONTEND)
    assert.equal(res.headers['access-control-allow-credentials'], 'true')
    const exposed = String(res.headers['access-control-expose-headers']).split(',').map(h => h.trim().toLowerCase())
    for (const h of ['etag', 'location', 'retry-after', 'content-range', 'content-disposition', 'content-location', 'cache-status', 'x-request-id']) {
      assert.ok(exposed.includes(h), h)
    }
    const foreign = await app.inject({ url: '/v1/datasets', headers: { origin: 'https://evil.example' }, cookies: { [s.name]: s.value } })
    assert.equal(foreign.headers['access-control-allow-origin'], undefined)
  })
})
