import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { loadConfig, ConfigError } from '../../src/config.js'
import { SECRET } from '../helper.js'

const VALID = {
  DATATURE_VI_SECRET_KEY: SECRET,
  DATATURE_VI_ORGANIZATION_ID: 'a1b2c3d4-0000-4000-8000-000000000001',
  API_KEYS: 'frontend:fe-key-123,reader:rd-key-456:datasets:read+exports:write'
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(VALID)
    assert.equal(c.PORT, 3000)
    assert.equal(c.HOST, '0.0.0.0')
    assert.equal(c.upstreamOrigin, 'https://api.vi.datature.com')
    assert.deepEqual(c.archiveHosts, ['api.vi.datature.com', 'storage.googleapis.com'])
    assert.equal(c.LOG_LEVEL, 'info')
    assert.equal(c.REDIS_URL, undefined)
    assert.deepEqual(c.apiKeys.map(k => [k.name, [...k.scopes]]), [
      ['frontend', ['datasets:read', 'datasets:delete', 'exports:write', 'assets:delete']],
      ['reader', ['datasets:read', 'exports:write']]
    ])
  })

  const bad: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['DATATURE_VI_SECRET_KEY', { DATATURE_VI_SECRET_KEY: undefined }, /^DATATURE_VI_SECRET_KEY is required$/],
    ['DATATURE_VI_SECRET_KEY', { DATATURE_VI_SECRET_KEY: 'dtvi_short' }, /starts with "dtvi_" and is 103 characters/],
    ['DATATURE_VI_ORGANIZATION_ID', { DATATURE_VI_ORGANIZATION_ID: undefined }, /is required/],
    ['DATATURE_VI_ORGANIZATION_ID', { DATATURE_VI_ORGANIZATION_ID: 'org/../x' }, /is invalid/],
    ['API_KEYS', { API_KEYS: undefined }, /is required/],
    ['API_KEYS', { API_KEYS: 'a:k1,a:k2' }, /duplicate name/],
    ['API_KEYS', { API_KEYS: 'a:k1:datasets:write' }, /unknown scope "datasets:write"/],
    ['PORT', { PORT: 'eighty' }, /PORT is invalid: must be integer \(got "eighty"\)/],
    ['DATATURE_VI_API_ENDPOINT', { DATATURE_VI_API_ENDPOINT: 'ftp://x' }, /scheme must be http or https/],
    ['DATATURE_VI_API_ENDPOINT', { DATATURE_VI_API_ENDPOINT: 'https://x.example/vi' }, /without path/],
    ['REDIS_URL', { REDIS_URL: 'http://localhost:6379' }, /REDIS_URL is invalid/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL is invalid/],
    ['ARCHIVE_HOST_ALLOWLIST', { ARCHIVE_HOST_ALLOWLIST: 'https://storage.example.com/' }, /hostnames/]
  ]
  for (const [variable, env, message] of bad) {
    it(`rejects a bad ${variable}: ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig({ ...VALID, ...env }), (err: unknown) => {
        assert.ok(err instanceof ConfigError)
        assert.equal(err.variable, variable)
        assert.match(err.message, message)
        return true
      })
    })
  }

  it('never echoes a secret value in its error', () => {
    const secret = 'dtvi_' + 'x'.repeat(50)
    assert.throws(() => loadConfig({ ...VALID, DATATURE_VI_SECRET_KEY: secret }), (err: Error) => !err.message.includes(secret))
    assert.throws(() => loadConfig({ ...VALID, API_KEYS: 'n:bad key with spaces' }), (err: Error) => !err.message.includes('bad key with spaces'))
  })

  it('stops the process at boot with one line naming the variable', () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...VALID, DATATURE_VI_ORGANIZATION_ID: '' }
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, encoding: 'utf8', timeout: 30_000 })
    assert.equal(run.status, 1)
    assert.equal(run.stdout, '')
    assert.equal(run.stderr.trim(), 'vi-bff: configuration error: DATATURE_VI_ORGANIZATION_ID is required')
  })
})
