import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { build, redisUrl, sleep } from '../helper.js'
import { setup, signIn, signInEnv } from './setup.js'

const me = async (app: Awaited<ReturnType<typeof setup>>['app'], s: { name: string, value: string }) =>
  (await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).statusCode

describe('server-side sessions', () => {
  it('in Redis: a session made on one replica is served by another, and a logout on either ends it on both at once', async t => {
    const a = await setup(t, { REDIS_URL: redisUrl() })
    const shared = { REDIS_URL: a.config.REDIS_URL, REDIS_KEY_PREFIX: a.config.REDIS_KEY_PREFIX }
    const b = await build(t, a.sim, signInEnv(a.idp, shared))
    const s = await signIn(a.app, a.idp)
    assert.equal(await me(a.app, s), 200)
    assert.equal(await me(b.app, s), 200, 'replica B reads the session from Redis')
    const out = await b.app.inject({ method: 'POST', url: '/auth/logout', headers: { 'x-csrf': '1' }, cookies: { [s.name]: s.value } })
    assert.equal(out.statusCode, 200)
    const cleared = String(out.headers['set-cookie'])
    assert.match(cleared, /vibff_session=;/)
    assert.match(cleared, /Max-Age=0|Expires=Thu, 01 Jan 1970/)
    assert.match(JSON.parse(out.body).endSessionUrl, /\/session\/end\?client_id=vi-bff&post_logout_redirect_uri=/)
    assert.ok(!out.body.includes('id_token_hint'), 'no token in the end-session URL')
    assert.equal(await me(a.app, s), 401, 'replica A refuses the cookie at once')
    assert.equal(await me(b.app, s), 401)
    assert.equal((await a.app.inject({ url: '/v1/datasets', cookies: { [s.name]: s.value } })).statusCode, 401)
  })

  for (const store of ['memory', 'redis'] as const) {
    const env = store === 'redis' ? { REDIS_URL: redisUrl() } : {}

    it(`${store}: an idle session ends after SESSION_IDLE_S; activity slides it`, async t => {
      const { app, idp } = await setup(t, { ...env, SESSION_IDLE_S: '2', SESSION_MAX_AGE_S: '60' })
      const s = await signIn(app, idp)
      for (let i = 0; i < 6; i++) {
        await sleep(500)
        assert.equal(await me(app, s), 200, `still active after ${(i + 1) * 0.5} s of use`)
      }
      await sleep(3200)
      assert.equal(await me(app, s), 401, 'ended after more than 2 s unused')
    })

    it(`${store}: a session ends at SESSION_MAX_AGE_S however active it is`, async t => {
      const { app, idp } = await setup(t, { ...env, SESSION_IDLE_S: '3', SESSION_MAX_AGE_S: '3' })
      const s = await signIn(app, idp)
      const started = Date.now()
      const body = JSON.parse((await app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } })).body)
      assert.ok(body.expiresAt <= started + 3000)
      while (Date.now() - started < 2000) {
        assert.equal(await me(app, s), 200)
        await sleep(400)
      }
      while (Date.now() - started < 4500) await sleep(400).then(() => me(app, s))
      assert.equal(await me(app, s), 401)
      assert.equal((await app.inject({ url: '/v1/datasets', cookies: { [s.name]: s.value } })).statusCode, 401)
    })
  }

  it('answers 503 (never 500 or a silent anonymous) when the session store cannot be read', async t => {
    const a = await setup(t, { REDIS_URL: redisUrl() })
    const s = await signIn(a.app, a.idp)
    const down = await build(t, a.sim, signInEnv(a.idp, { REDIS_URL: 'redis://127.0.0.1:9', REDIS_KEY_PREFIX: a.config.REDIS_KEY_PREFIX }))
    const res = await down.app.inject({ url: '/v1/datasets', cookies: { [s.name]: s.value } })
    assert.equal(res.statusCode, 503, res.body)
    assert.equal(JSON.parse(res.body).code, 'BFF_SESSION_STORE_UNAVAILABLE')
    assert.ok(res.headers['retry-after'])
  })
})
