import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setup, signIn, setCookies, cookieNamed, PUBLIC_URL, HTTPS_PUBLIC_URL, CLIENT_ID, CLIENT_SECRET, SESSION_SECRET, OLD_SESSION_SECRET } from './setup.js'

const problemCode = (body: string) => (JSON.parse(body) as { code: string }).code

describe('sign-in (OpenID Connect code flow against a real provider)', () => {
  it('redirects to the provider with code flow, PKCE S256, state, nonce and the redirect URI from PUBLIC_URL', async t => {
    const { app, idp } = await setup(t)
    const res = await app.inject({ url: '/auth/login?returnTo=/datasets', headers: { host: 'evil.example' } })
    assert.equal(res.statusCode, 302)
    const url = new URL(res.headers.location as string)
    assert.equal(url.origin, idp.issuer)
    const q = url.searchParams
    assert.equal(q.get('response_type'), 'code')
    assert.equal(q.get('client_id'), CLIENT_ID)
    assert.equal(q.get('redirect_uri'), `${PUBLIC_URL}/auth/callback`, 'never built from the request\'s Host')
    assert.equal(q.get('code_challenge_method'), 'S256')
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.ok((q.get('state') ?? '').length >= 22)
    assert.ok((q.get('nonce') ?? '').length >= 22)
    assert.equal(q.get('scope'), 'openid profile email')
    const login = cookieNamed(res, 'vibff_login')!
    assert.equal(login.attributes.httponly, true)
    assert.equal(login.attributes.samesite, 'Lax')
    assert.ok(!login.value.includes(q.get('state')!), 'the login cookie holds an id, not the state or the verifier')
    // A second login gets a fresh state.
    const again = await app.inject({ url: '/auth/login' })
    assert.notEqual(new URL(again.headers.location as string).searchParams.get('state'), q.get('state'))
  })

  it('answers HEAD on /auth/login and /auth/callback with 405 and starts or consumes nothing', async t => {
    const { app } = await setup(t)
    for (const url of ['/auth/login?returnTo=/x', '/auth/callback?code=c&state=s']) {
      const res = await app.inject({ method: 'HEAD', url })
      assert.equal(res.statusCode, 405, url)
      assert.match(String(res.headers.allow), /GET/)
      assert.equal(res.headers['set-cookie'], undefined, `${url} sets no cookie`)
    }
  })

  it('signs in, sets the session cookie, returns to returnTo, and /auth/me shows the user with scopes from the groups', async t => {
    const { app, idp } = await setup(t)
    const s = await signIn(app, idp, { returnTo: '/datasets/ds1?tab=exports#top' })
    assert.equal(s.location, '/datasets/ds1?tab=exports#top')
    const me = await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })
    assert.equal(me.statusCode, 200)
    const body = JSON.parse(me.body)
    assert.equal(body.sub, 'demo-user-0001')
    assert.equal(body.name, 'Demo User')
    assert.equal(body.email, 'demo@example.com')
    assert.deepEqual(body.scopes, ['datasets:read', 'exports:write'])
    assert.ok(body.expiresAt > Date.now() + 28_000_000 && body.expiresAt <= Date.now() + 28_800_000)
    assert.equal(me.headers['cache-control'], 'no-store')
    const list = await app.inject({ url: '/v1/datasets', cookies: { [s.name]: s.value } })
    assert.equal(list.statusCode, 200)
  })

  it('maps scopes: groups through ROLE_SCOPES, SCOPES_CLAIM, DEFAULT_USER_SCOPES; a viewer cannot write', async t => {
    const { app, idp } = await setup(t)
    const viewer = await signIn(app, idp, { user: 'viewer' })
    const me = JSON.parse((await app.inject({ url: '/auth/me', cookies: { [viewer.name]: viewer.value } })).body)
    assert.deepEqual(me.scopes, ['datasets:read'])
    const write = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { 'x-csrf': '1' }, cookies: { [viewer.name]: viewer.value }, payload: {} })
    assert.equal(write.statusCode, 403)
    assert.equal(problemCode(write.body), 'BFF_FORBIDDEN')
    assert.match(JSON.parse(write.body).detail, /exports:write/)
    const admin = await signIn(app, idp, { user: 'admin' })
    const adminMe = JSON.parse((await app.inject({ url: '/auth/me', cookies: { [admin.name]: admin.value } })).body)
    assert.deepEqual(adminMe.scopes, ['datasets:read', 'datasets:delete', 'exports:write', 'assets:delete'])
  })

  it('fixes a session\'s scopes at sign-in: a later group change shows at the next sign-in only', async t => {
    const { app, idp } = await setup(t)
    const before = await signIn(app, idp, { user: 'viewer' })
    idp.users.find(u => u.username === 'viewer')!.groups.push('vi-exporters')
    const scopes = async (s: { name: string, value: string }) => JSON.parse((await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).body).scopes
    assert.deepEqual(await scopes(before), ['datasets:read'])
    assert.deepEqual(await scopes(await signIn(app, idp, { user: 'viewer' })), ['datasets:read', 'exports:write'])
  })

  it('with no role mapping, everyone signed in gets DEFAULT_USER_SCOPES only', async t => {
    const { app, idp } = await setup(t, { ROLES_CLAIM: undefined, ROLE_SCOPES: undefined, DEFAULT_USER_SCOPES: 'datasets:read' })
    const s = await signIn(app, idp)
    assert.deepEqual(JSON.parse((await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).body).scopes, ['datasets:read'])
  })

  for (const [given, expected] of [
    ['/\\evil.example', '/'], ['//evil.example/x', '/'], ['https:evil.example', '/'], ['javascript:alert(1)', '/'],
    ['https://evil.example/', '/'], ['/\t/evil.example', '/'], ['http://localhost:3000/ok', '/'], ['', '/'],
    ['/ok/path?a=1', '/ok/path?a=1'], ['/a/../b', '/b']
  ] as const) {
    it(`returnTo ${JSON.stringify(given)} returns to ${expected}`, async t => {
      const { app, idp } = await setup(t)
      const s = await signIn(app, idp, { returnTo: given })
      assert.equal(s.location, expected)
    })
  }

  it('refuses a callback with no sign-in in progress, a replayed one, a foreign state, a provider error or no code: 400 and no session', async t => {
    const { app, idp } = await setup(t)
    const start = async () => {
      const login = await app.inject({ url: '/auth/login' })
      const cookie = cookieNamed(login, 'vibff_login')!
      return { cookie, back: new URL(await idp.login(login.headers.location as string)) }
    }
    const call = (url: URL | string, cookie?: { name: string, value: string }) => app.inject({
      url: typeof url === 'string' ? url : url.pathname + url.search,
      cookies: cookie ? { [cookie.name]: cookie.value } : {}
    })
    const noSession = (res: Awaited<ReturnType<typeof call>>) => {
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(problemCode(res.body), 'BFF_SIGN_IN_FAILED')
      assert.ok(!setCookies(res).some(c => c.name === 'vibff_session' && c.value), 'no session cookie')
    }
    // No login cookie at all (the callback URL opened in another browser).
    const a = await start()
    noSession(await call(a.back))
    // Replayed: the same callback twice; the first works, the second finds nothing.
    const b = await start()
    assert.equal((await call(b.back, b.cookie)).statusCode, 302)
    noSession(await call(b.back, b.cookie))
    // Foreign: this browser's cookie with another sign-in's code and state.
    const mine = await start()
    const theirs = await start()
    noSession(await call(theirs.back, mine.cookie))
    // Wrong state with this browser's own cookie.
    const c = await start()
    c.back.searchParams.set('state', 'not-the-state')
    noSession(await call(c.back, c.cookie))
    // The provider's error=, with the right state.
    const d = await app.inject({ url: '/auth/login' })
    const dState = new URL(d.headers.location as string).searchParams.get('state')!
    noSession(await call(`/auth/callback?error=access_denied&state=${dState}`, cookieNamed(d, 'vibff_login')))
    // No code, with the right state.
    const e = await app.inject({ url: '/auth/login' })
    const eState = new URL(e.headers.location as string).searchParams.get('state')!
    noSession(await call(`/auth/callback?state=${eState}`, cookieNamed(e, 'vibff_login')))
    // A forged login cookie (bad signature).
    const f = await start()
    noSession(await call(f.back, { name: f.cookie.name, value: f.cookie.value.slice(0, -3) + 'AAA' }))
    // A code the provider never issued, with the right state: the token endpoint refuses it.
    const g = await start()
    g.back.searchParams.set('code', 'forged-code-0000000000000000000000000000000')
    noSession(await call(g.back, g.cookie))
  })

  it('renews the session id at sign-in (no fixation) and /auth/login always goes to the provider', async t => {
    const { app, idp } = await setup(t)
    const first = await signIn(app, idp)
    const again = await app.inject({ url: '/auth/login', cookies: { [first.name]: first.value } })
    assert.equal(again.statusCode, 302)
    assert.equal(new URL(again.headers.location as string).origin, idp.issuer)
    // Signing in while carrying an existing session cookie (planted or old) gives a new id; the old one is dead.
    const second = await signIn(app, idp, { cookies: { [first.name]: first.value } })
    assert.notEqual(second.value.split('.')[0], first.value.split('.')[0])
    assert.equal((await app.inject({ url: '/auth/me', cookies: { [first.name]: first.value } })).statusCode, 401)
    assert.equal((await app.inject({ url: '/auth/me', cookies: { [second.name]: second.value } })).statusCode, 200)
  })

  it('sets the cookie HttpOnly, Path=/, SameSite=Lax, not Secure on http; an id of 128+ bits, signed', async t => {
    const { app, idp } = await setup(t)
    const s = await signIn(app, idp)
    const c = cookieNamed(s.callback, 'vibff_session')!
    assert.equal(c.attributes.httponly, true)
    assert.equal(c.attributes.path, '/')
    assert.equal(c.attributes.samesite, 'Lax')
    assert.equal(c.attributes.secure, undefined)
    assert.equal(c.attributes.domain, undefined)
    const [id, sig] = decodeURIComponent(c.value).split('.')
    assert.ok(Buffer.from(id!, 'base64url').length >= 16, 'at least 128 bits')
    assert.ok(sig && sig.length >= 40)
  })

  it('with an https PUBLIC_URL: Secure, __Host- prefix, SESSION_SAMESITE honoured', async t => {
    const { app, idp } = await setup(t, { PUBLIC_URL: HTTPS_PUBLIC_URL, TRUST_PROXY: 'true', SESSION_SAMESITE: 'strict' })
    const headers = { 'x-forwarded-proto': 'https' }
    const login = await app.inject({ url: '/auth/login', headers })
    assert.equal(new URL(login.headers.location as string).searchParams.get('redirect_uri'), `${HTTPS_PUBLIC_URL}/auth/callback`)
    const loginCookie = cookieNamed(login, '__Host-vibff_login')!
    assert.equal(loginCookie.attributes.secure, true)
    const s = await signIn(app, idp, { headers })
    assert.equal(s.name, '__Host-vibff_session')
    const c = cookieNamed(s.callback, '__Host-vibff_session')!
    assert.equal(c.attributes.secure, true)
    assert.equal(c.attributes.path, '/')
    assert.equal(c.attributes.samesite, 'Strict')
    assert.equal(c.attributes.domain, undefined)
    assert.equal((await app.inject({ url: '/auth/me', headers, cookies: { [s.name]: s.value } })).statusCode, 200)
  })

  it('refuses a tampered cookie as not signed in (401), never a 500', async t => {
    const { app, idp } = await setup(t)
    const s = await signIn(app, idp)
    const [id, sig] = s.value.split('.')
    const flip = (x: string) => x.slice(0, -1) + (x.endsWith('A') ? 'B' : 'A')
    for (const value of [`${flip(id!)}.${sig}`, `${id}.${flip(sig!)}`, id!, `${id}.`, 'garbage', '']) {
      for (const url of ['/auth/me', '/v1/datasets']) {
        const res = await app.inject({ url, cookies: { [s.name]: value } })
        assert.equal(res.statusCode, 401, `${url} with ${JSON.stringify(value)}`)
        assert.equal(problemCode(res.body), 'BFF_UNAUTHENTICATED')
      }
    }
  })

  it('rotates SESSION_SECRET: the first secret signs, every one verifies; a dropped secret ends its sessions', async t => {
    const { app, idp, sim, config } = await setup(t, { SESSION_SECRET: OLD_SESSION_SECRET, REDIS_URL: (await import('../helper.js')).redisUrl() })
    const old = await signIn(app, idp)
    const { build } = await import('../helper.js')
    const { signInEnv } = await import('./setup.js')
    const shared = { REDIS_URL: config.REDIS_URL, REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX }
    const rotated = await build(t, sim, signInEnv(idp, { ...shared, SESSION_SECRET: `${SESSION_SECRET},${OLD_SESSION_SECRET}` }))
    assert.equal((await rotated.app.inject({ url: '/auth/me', cookies: { [old.name]: old.value } })).statusCode, 200, 'the old secret still verifies')
    const fresh = await signIn(rotated.app, idp)
    const onlyNew = await build(t, sim, signInEnv(idp, { ...shared, SESSION_SECRET }))
    assert.equal((await onlyNew.app.inject({ url: '/auth/me', cookies: { [fresh.name]: fresh.value } })).statusCode, 200, 'signed with the first secret')
    assert.equal((await onlyNew.app.inject({ url: '/auth/me', cookies: { [old.name]: old.value } })).statusCode, 401, 'the dropped secret no longer verifies')
  })

  it('keeps tokens, cookies and secrets out of every response and log line', async t => {
    const { app, idp, logs } = await setup(t)
    const s = await signIn(app, idp, { returnTo: '/x' })
    const responses: string[] = []
    for (const req of [
      { url: '/auth/me' }, { url: '/v1/datasets' }, { url: '/v1/datasets/missing-ds' },
      { method: 'POST' as const, url: '/v1/datasets/ds1/exports', payload: {} },
      { method: 'POST' as const, url: '/auth/logout', headers: { 'x-csrf': '1' } }
    ]) {
      const res = await app.inject({ ...req, cookies: { [s.name]: s.value } })
      responses.push(JSON.stringify(res.headers) + res.body)
    }
    const sessionId = decodeURIComponent(s.value).split('.')[0]!
    const text = logs.join('') + responses.join('')
    for (const secret of [s.value, sessionId, SESSION_SECRET, CLIENT_SECRET]) {
      assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}...`)
    }
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.test(text), 'no JWT (ID or access token) anywhere')
    assert.ok(logs.some(l => l.includes('"caller":{"kind":"session","id":"demo-user-0001"}')), 'the request line names the caller')
  })
})

describe('sign-in with the provider unreachable', () => {
  it('answers 503 on /auth/login and still signs out (endSessionUrl null)', async t => {
    const { startSim, build } = await import('../helper.js')
    const sim = await startSim(t)
    const { app } = await build(t, sim, {
      PUBLIC_URL, OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, SESSION_SECRET
    })
    const res = await app.inject({ url: '/auth/login' })
    assert.equal(res.statusCode, 503, res.body)
    assert.equal(problemCode(res.body), 'BFF_SIGN_IN_UNAVAILABLE')
    assert.ok(res.headers['retry-after'])
    const out = await app.inject({ method: 'POST', url: '/auth/logout' })
    assert.equal(out.statusCode, 200)
    assert.deepEqual(JSON.parse(out.body), { endSessionUrl: null })
  })
})
