import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { freePort, startRedisServer } from '../../scripts/redis.js'
import { setup, setCookies, signIn } from './setup.js'

/** A signed-in session on an app whose sessions live in a redis-server of the test's own (killed when it ends). */
async function signedInWithOwnRedis (t: TestContext) {
  const port = await freePort()
  const redis = { server: await startRedisServer(port) }
  t.after(() => { redis.server.kill('SIGKILL') })
  const a = await setup(t, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: '1000' })
  const s = await signIn(a.app, a.idp)
  const stopRedis = async () => {
    redis.server.kill('SIGKILL')
    await new Promise(resolve => redis.server.once('exit', resolve))
  }
  const restartRedis = async () => { redis.server = await startRedisServer(port) }
  return { a, s, stopRedis, restartRedis }
}

describe('sign-in routes while the session store (Redis) is down', () => {
  it('answer 503 BFF_SESSION_STORE_UNAVAILABLE with Retry-After on login, callback, me and logout (never 500)', async t => {
    const { a, s, stopRedis, restartRedis } = await signedInWithOwnRedis(t)
    // A sign-in begun while Redis was up, finished at the provider while it is down.
    const login = await a.app.inject({ url: '/auth/login' })
    assert.equal(login.statusCode, 302)
    const loginCookie = setCookies(login).find(c => c.name.endsWith('vibff_login'))!
    const back = new URL(await a.idp.login(login.headers.location as string, 'demo', 'demo'))
    await stopRedis()
    const answers = {
      login: await a.app.inject({ url: '/auth/login' }),
      callback: await a.app.inject({ url: back.pathname + back.search, cookies: { [loginCookie.name]: loginCookie.value } }),
      me: await a.app.inject({ url: '/auth/me', cookies: { [s.name]: s.value } }),
      logout: await a.app.inject({ method: 'POST', url: '/auth/logout', headers: { 'x-csrf': '1' }, cookies: { [s.name]: s.value } })
    }
    for (const [route, res] of Object.entries(answers)) {
      assert.equal(res.statusCode, 503, `${route}: ${res.body}`)
      assert.equal(res.json().code, 'BFF_SESSION_STORE_UNAVAILABLE', route)
      assert.ok(Number(res.headers['retry-after']) >= 1, route)
    }
    // Redis back: sign-in works again.
    await restartRedis()
    let ok = false
    for (let i = 0; i < 40 && !ok; i++) {
      ok = (await a.app.inject({ url: '/auth/login' })).statusCode === 302
      if (!ok) await new Promise(resolve => setTimeout(resolve, 250))
    }
    assert.ok(ok, 'login works once Redis answers again')
  })

  it('health probes and other public routes answer without reading the session: a session cookie does not make them depend on Redis', async t => {
    const { a, s, stopRedis } = await signedInWithOwnRedis(t)
    await stopRedis()
    const cookies = { [s.name]: s.value }
    const health = await a.app.inject({ url: '/healthz', cookies })
    assert.equal(health.statusCode, 200, health.body)
    assert.deepEqual(health.json(), { status: 'ok' })
    const ready = await a.app.inject({ url: '/readyz', cookies })
    assert.equal(ready.statusCode, 200, ready.body)
    assert.equal(ready.json().status, 'ready')
    const openapi = await a.app.inject({ url: '/openapi.json', cookies })
    assert.equal(openapi.statusCode, 200, openapi.body.slice(0, 200))
    for (const res of [health, ready, openapi]) assert.equal(res.headers['set-cookie'], undefined, 'the session cookie is left alone')
    // A route that identifies its caller still reads the session, and says the store is down.
    const me = await a.app.inject({ url: '/auth/me', cookies })
    assert.equal(me.statusCode, 503, me.body)
    assert.equal(me.json().code, 'BFF_SESSION_STORE_UNAVAILABLE')
  })
})
