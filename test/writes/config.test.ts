import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig, ConfigError } from '../../src/config.js'
import { SECRET } from '../helper.js'

const VALID = {
  DATATURE_VI_SECRET_KEY: SECRET,
  DATATURE_VI_ORGANIZATION_ID: 'a1b2c3d4-0000-4000-8000-000000000001',
  API_KEYS: 'frontend:fe-key-123'
}

describe('idempotency configuration', () => {
  it('defaults to a 24 h replay window and a 120 s in-flight marker', () => {
    const c = loadConfig(VALID)
    assert.equal(c.IDEMPOTENCY_TTL_S, 86_400)
    assert.equal(c.IDEMPOTENCY_LOCK_S, 120)
  })

  for (const [env, variable] of [
    [{ IDEMPOTENCY_TTL_S: '0' }, 'IDEMPOTENCY_TTL_S'],
    [{ IDEMPOTENCY_TTL_S: 'day' }, 'IDEMPOTENCY_TTL_S'],
    [{ IDEMPOTENCY_LOCK_S: '0' }, 'IDEMPOTENCY_LOCK_S'],
    [{ IDEMPOTENCY_LOCK_S: '30' }, 'IDEMPOTENCY_LOCK_S'],
    [{ IDEMPOTENCY_LOCK_S: '60', REQUEST_TIMEOUT_MS: '60000' }, 'IDEMPOTENCY_LOCK_S']
  ] as const) {
    it(`rejects ${JSON.stringify(env)} naming ${variable}`, () => {
      assert.throws(() => loadConfig({ ...VALID, ...env }), (err: unknown) => err instanceof ConfigError && err.variable === variable)
    })
  }
})
