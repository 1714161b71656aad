import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig, ConfigError } from '../../src/config.js'
import { SECRET } from '../helper.js'

const BASE = { DATATURE_VI_SECRET_KEY: SECRET, DATATURE_VI_ORGANIZATION_ID: 'a1b2c3d4-0000-4000-8000-000000000001' }
const SIGN_IN = {
  ...BASE,
  PUBLIC_URL: 'https://app.example.com',
  OIDC_ISSUER: 'https://login.example.com/realms/acme',
  OIDC_CLIENT_ID: 'vi-bff',
  OIDC_CLIENT_SECRET: 'client-secret-value',
  SESSION_SECRET: 'a'.repeat(32)
}

describe('configuration of sign-in, sessions and JWTs', () => {
  it('needs API_KEYS only when neither sign-in nor JWTs are configured', () => {
    assert.throws(() => loadConfig(BASE), /API_KEYS is required/)
    const c = loadConfig(SIGN_IN)
    assert.deepEqual(c.apiKeys, [])
    assert.equal(c.auth.session?.cookieName, '__Host-vibff_session')
    assert.equal(c.auth.session?.secure, true)
    assert.equal(c.auth.session?.maxAgeS, 28_800)
    assert.equal(c.auth.session?.idleS, 3_600)
    assert.equal(c.auth.session?.sameSite, 'lax')
    assert.equal(c.auth.oidc?.scopes, 'openid profile email')
    assert.equal(c.auth.jwt?.issuer, 'https://login.example.com/realms/acme')
    assert.equal(c.auth.jwt?.audience, 'vi-bff')
    assert.equal(c.auth.jwt?.clockSkewS, 30)
    assert.deepEqual(c.auth.defaultUserScopes, ['datasets:read'])
    assert.deepEqual(loadConfig({ ...BASE, JWT_ISSUER: 'https://idp.example.com', JWT_AUDIENCE: 'api' }).apiKeys, [])
  })

  it('parses ROLE_SCOPES and refuses unknown scope names at boot', () => {
    const c = loadConfig({ ...SIGN_IN, ROLES_CLAIM: 'groups', ROLE_SCOPES: 'viewers=datasets:read; admins=datasets:delete+assets:delete', DEFAULT_USER_SCOPES: 'none' })
    assert.deepEqual([...c.auth.roleScopes], [['viewers', ['datasets:read']], ['admins', ['datasets:delete', 'assets:delete']]])
    assert.deepEqual(c.auth.defaultUserScopes, [])
  })

  const bad: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['PUBLIC_URL', { PUBLIC_URL: undefined }, /^PUBLIC_URL is required when OIDC_ISSUER is set/],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://app.example.com/path' }, /^PUBLIC_URL is invalid/],
    ['SESSION_SECRET', { SESSION_SECRET: undefined }, /^SESSION_SECRET is required/],
    ['SESSION_SECRET', { SESSION_SECRET: 'short' }, /^SESSION_SECRET is invalid/],
    ['SESSION_SECRET', { SESSION_SECRET: `${'a'.repeat(32)},short` }, /^SESSION_SECRET is invalid: every comma-separated secret/],
    ['OIDC_CLIENT_ID', { OIDC_CLIENT_ID: undefined }, /^OIDC_CLIENT_ID is required/],
    ['OIDC_CLIENT_SECRET', { OIDC_CLIENT_SECRET: undefined }, /^OIDC_CLIENT_SECRET is required/],
    ['OIDC_ISSUER', { OIDC_ISSUER: 'http://login.example.com' }, /^OIDC_ISSUER is invalid: must be an https URL \(plain http only on a loopback host\)/],
    ['OIDC_SCOPES', { OIDC_SCOPES: 'profile email' }, /^OIDC_SCOPES is invalid: must include "openid"/],
    ['SESSION_SAMESITE', { SESSION_SAMESITE: 'none', PUBLIC_URL: 'http://localhost:3000' }, /^SESSION_SAMESITE is invalid: "none" needs an https PUBLIC_URL/],
    ['SESSION_SAMESITE', { SESSION_SAMESITE: 'sometimes' }, /^SESSION_SAMESITE is invalid/],
    ['SESSION_IDLE_S', { SESSION_IDLE_S: '90000', SESSION_MAX_AGE_S: '3600' }, /^SESSION_IDLE_S is invalid: longer than SESSION_MAX_AGE_S/],
    ['ROLE_SCOPES', { ROLES_CLAIM: 'groups', ROLE_SCOPES: 'x=datasets:write' }, /^ROLE_SCOPES is invalid: unknown scope "datasets:write"/],
    ['ROLES_CLAIM', { ROLE_SCOPES: 'x=datasets:read' }, /^ROLES_CLAIM is required when ROLE_SCOPES is set/],
    ['DEFAULT_USER_SCOPES', { DEFAULT_USER_SCOPES: 'everything' }, /^DEFAULT_USER_SCOPES is invalid: unknown scope/],
    ['JWT_AUDIENCE', { JWT_ISSUER: 'https://idp.example.com' }, /^JWT_AUDIENCE is required when JWT_ISSUER is set/],
    ['JWT_JWKS_URL', { JWT_ISSUER: 'https://idp.example.com', JWT_AUDIENCE: 'a', JWT_JWKS_URL: 'http://idp.example.com/jwks' }, /^JWT_JWKS_URL is invalid/],
    ['JWT_CLOCK_SKEW_S', { JWT_CLOCK_SKEW_S: '-1' }, /^JWT_CLOCK_SKEW_S is invalid/],
    ['STATIC_DIR', { STATIC_DIR: '/nonexistent/dir' }, /^STATIC_DIR is invalid: no index.html/]
  ]
  for (const [variable, env, message] of bad) {
    it(`names ${variable} when ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig({ ...SIGN_IN, ...env }), (err: unknown) => {
        assert.ok(err instanceof ConfigError)
        assert.equal(err.variable, variable)
        assert.match(err.message, message)
        assert.ok(!err.message.includes('client-secret-value') && !err.message.includes('a'.repeat(32)), 'no secret in the message')
        return true
      })
    })
  }

  it('allows plain http for a loopback issuer only (the demo provider)', () => {
    for (const issuer of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']) {
      assert.equal(loadConfig({ ...SIGN_IN, OIDC_ISSUER: issuer }).auth.oidc?.insecure, true, issuer)
    }
  })
})
