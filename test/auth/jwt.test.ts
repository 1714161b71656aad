import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { generateKeyPair, SignJWT } from 'jose'
import { createHmac } from 'node:crypto'
import { loadConfig } from '../../src/config.js'
import app, { serverOptions } from '../../src/app.js'
import { startSim, testEnv, KEY, sleep } from '../helper.js'
import { startTestIdp, signInEnv, type SimIdp } from './setup.js'

/** vi-bff accepting JWTs from the test provider; the JWKS refetch cooldown shortened where a test needs it. */
async function jwtApp (t: TestContext, idp: SimIdp, env: Record<string, string | undefined> = {}, cooldownMs?: number) {
  const sim = await startSim(t)
  sim.addDataset((await import('../helper.js')).ORG, { id: 'ds1' })
  const config = loadConfig(testEnv(sim, { API_KEYS: undefined, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: 'vi-bff-api', ...env }))
  if (cooldownMs !== undefined) config.auth.jwt!.cooldownMs = cooldownMs
  const logs: string[] = []
  const server = Fastify(serverOptions(config, { level: 'debug', stream: { write: (l: string) => logs.push(l) } }))
  await server.register(app, { config })
  await server.ready()
  t.after(() => server.close())
  return { app: server, logs }
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

describe('bearer JWTs', () => {
  it('accepts a valid token: caller and scopes from its claims, unknown scope names dropped; no API_KEYS needed', async t => {
    const idp = await startTestIdp(t)
    const { app, logs } = await jwtApp(t, idp)
    const token = await idp.issueJwt({ sub: 'svc-reporting', scope: 'datasets:read exports:write admin:everything' }, { audience: 'vi-bff-api' })
    const me = await app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } })
    assert.equal(me.statusCode, 200, me.body)
    const body = JSON.parse(me.body)
    assert.equal(body.sub, 'svc-reporting')
    assert.deepEqual(body.scopes, ['datasets:read', 'exports:write'])
    assert.ok(Math.abs(body.expiresAt - (Date.now() + 300_000)) < 30_000)
    assert.equal((await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
    assert.ok(logs.some(l => l.includes('"caller":{"kind":"jwt","id":"svc-reporting"}')))
    assert.ok(!logs.join('').includes(token.split('.')[2]!), 'the token is never logged')
  })

  it('reads scopes from an array claim (SCOPES_CLAIM) and roles (ROLES_CLAIM + ROLE_SCOPES)', async t => {
    const idp = await startTestIdp(t)
    const { app } = await jwtApp(t, idp, { SCOPES_CLAIM: 'scp', ROLES_CLAIM: 'realm_access.roles', ROLE_SCOPES: 'cleaner=assets:delete', DEFAULT_USER_SCOPES: 'none' })
    const token = await idp.issueJwt({ scp: ['exports:write', 'bogus'], realm_access: { roles: ['cleaner', 'other'] } }, { audience: 'vi-bff-api' })
    const me = JSON.parse((await app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } })).body)
    assert.deepEqual(me.scopes, ['exports:write', 'assets:delete'])
  })

  it('refuses each bad token with a 401 naming the failed check, never a 500', async t => {
    const idp = await startTestIdp(t)
    const { app } = await jwtApp(t, idp)
    const aud = { audience: 'vi-bff-api' }
    const claims = { scope: 'datasets:read' }
    const foreign = await generateKeyPair('RS256')
    const current = idp.currentPublicJwk()
    const now = Math.floor(Date.now() / 1000)
    const payload = { iss: idp.issuer, aud: 'vi-bff-api', sub: 'x', exp: now + 300, iat: now, scope: 'datasets:read' }
    // HS256 with the provider's public key as the HMAC secret (the classic key-confusion attack).
    const publicAsSecret = JSON.stringify(current)
    const hsInput = `${b64({ alg: 'HS256', kid: current.kid, typ: 'JWT' })}.${b64(payload)}`
    const hs256 = `${hsInput}.${createHmac('sha256', publicAsSecret).update(hsInput).digest('base64url')}`
    const cases: Array<[string, string, RegExp]> = [
      ['expired', await idp.issueJwt(claims, { ...aud, expiresInS: -120 }), /expired/],
      ['nbf in the future', await idp.issueJwt(claims, { ...aud, notBeforeS: 300 }), /not yet valid/],
      ['wrong audience', await idp.issueJwt(claims, { audience: 'someone-else' }), /bad audience/],
      ['no audience', await idp.issueJwt(claims, { omitAudience: true }), /no audience/],
      ['wrong issuer', await idp.issueJwt(claims, { ...aud, issuer: 'https://other-idp.example' }), /bad issuer/],
      ['foreign key, unknown kid', await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'not-a-known-kid' }).sign(foreign.privateKey), /unknown signing key/],
      ['foreign key, known kid', await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: current.kid! }).sign(foreign.privateKey), /bad signature/],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`, /algorithm not allowed|malformed/],
      ['HS256 signed with the public key', hs256, /algorithm not allowed/],
      ['no sub', await new SignJWT({ ...payload, sub: undefined }).setProtectedHeader({ alg: 'RS256', kid: 'x' }).sign(foreign.privateKey), /unknown signing key|no sub/],
      ['garbage', 'eyJhbGciOiJSUzI1NiJ9.not-json.sig', /malformed|unknown signing key/]
    ]
    for (const [label, token, why] of cases) {
      const res = await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${token}` } })
      assert.equal(res.statusCode, 401, `${label}: ${res.body}`)
      const body = JSON.parse(res.body)
      assert.equal(body.code, 'BFF_UNAUTHENTICATED', label)
      assert.match(body.detail, why, label)
      assert.ok(!res.body.includes(token), `${label}: the token is not echoed`)
    }
    // Within the 30 s skew an expired-by-10-s token still passes.
    const late = await idp.issueJwt(claims, { ...aud, expiresInS: -10 })
    assert.equal((await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${late}` } })).statusCode, 200)
  })

  it('answers 403 naming the scope a valid token lacks', async t => {
    const idp = await startTestIdp(t)
    const { app } = await jwtApp(t, idp)
    const token = await idp.issueJwt({ scope: 'datasets:read' }, { audience: 'vi-bff-api' })
    const res = await app.inject({ method: 'POST', url: '/v1/datasets/ds1/exports', headers: { authorization: `Bearer ${token}` }, payload: {} })
    assert.equal(res.statusCode, 403)
    assert.equal(JSON.parse(res.body).code, 'BFF_FORBIDDEN')
    assert.match(JSON.parse(res.body).detail, /exports:write/)
  })

  it('refetches the JWKS for an unknown kid after a rotation, at most once per cooldown', async t => {
    const idp = await startTestIdp(t)
    const { app } = await jwtApp(t, idp, {}, 4000)
    const call = async (token: string) => (await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${token}` } })).statusCode
    assert.equal(await call(await idp.issueJwt({ scope: 'datasets:read' }, { audience: 'vi-bff-api' })), 200)
    const fetchesBefore = idp.jwksFetches()
    await sleep(4100)
    await idp.rotateKeys()
    const rotated = await idp.issueJwt({ scope: 'datasets:read' }, { audience: 'vi-bff-api' })
    assert.equal(await call(rotated), 200, 'the new kid is fetched')
    assert.equal(idp.jwksFetches(), fetchesBefore + 1)
    // A second rotation within the cooldown: refused (no refetch storm), accepted once the cooldown passed.
    await idp.rotateKeys()
    const again = await idp.issueJwt({ scope: 'datasets:read' }, { audience: 'vi-bff-api' })
    const statuses = await Promise.all(Array.from({ length: 20 }, () => call(again)))
    assert.ok(statuses.every(s => s === 401), String(statuses))
    assert.equal(idp.jwksFetches(), fetchesBefore + 1, 'no refetch within the cooldown')
    await sleep(4100)
    assert.equal(await call(again), 200)
    assert.equal(idp.jwksFetches(), fetchesBefore + 2)
  })

  it('with the default one-minute cooldown, a flood of unknown kids costs at most one JWKS fetch', async t => {
    const idp = await startTestIdp(t)
    const { app } = await jwtApp(t, idp)
    const foreign = await generateKeyPair('ES256')
    const now = Math.floor(Date.now() / 1000)
    for (let i = 0; i < 10; i++) {
      const token = await new SignJWT({ iss: idp.issuer, aud: 'vi-bff-api', sub: 'x', exp: now + 60 }).setProtectedHeader({ alg: 'ES256', kid: `unknown-${i}` }).sign(foreign.privateKey)
      assert.equal((await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
    }
    assert.ok(idp.jwksFetches() <= 1, `${idp.jwksFetches()} fetches`)
  })

  it('keeps API keys working beside JWTs, and answers 503 (not 500) when the signing keys cannot be fetched', async t => {
    const idp = await startTestIdp(t)
    const { app } = await jwtApp(t, idp, { API_KEYS: `all:${KEY}`, JWT_JWKS_URL: 'http://127.0.0.1:9/jwks' })
    assert.equal((await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${KEY}` } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/v1/datasets', headers: { 'x-api-key': KEY } })).statusCode, 200)
    assert.equal((await app.inject({ url: '/v1/datasets', headers: { authorization: 'Bearer not-a-key' } })).statusCode, 401)
    const token = await idp.issueJwt({ scope: 'datasets:read' }, { audience: 'vi-bff-api' })
    const res = await app.inject({ url: '/v1/datasets', headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.statusCode, 503, res.body)
    assert.equal(JSON.parse(res.body).code, 'BFF_SIGN_IN_UNAVAILABLE')
  })

  it('with sign-in configured, accepts the provider\'s tokens for the OIDC client id as audience by default', async t => {
    const idp = await startTestIdp(t)
    const sim = await startSim(t)
    const config = loadConfig(testEnv(sim, signInEnv(idp)))
    assert.equal(config.auth.jwt?.audience, 'vi-bff')
    assert.equal(config.auth.jwt?.issuer, idp.issuer)
  })
})
