import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig, ConfigError } from '../../src/config.js'
import { SECRET } from '../helper.js'

const VALID = { DATATURE_VI_SECRET_KEY: SECRET, DATATURE_VI_ORGANIZATION_ID: 'org-1', API_KEYS: 'k:key-0001' }

describe('upstream protection settings', () => {
  it('has safe defaults', () => {
    const c = loadConfig(VALID)
    assert.equal(c.UPSTREAM_RETRY_BUDGET, 0.2)
    assert.equal(c.UPSTREAM_RETRY_MIN_PER_S, 3)
    assert.equal(c.UPSTREAM_BREAKER_THRESHOLD, 0.5)
    assert.equal(c.UPSTREAM_BREAKER_MIN_REQUESTS, 20)
    assert.equal(c.UPSTREAM_BREAKER_WINDOW_MS, 10_000)
    assert.equal(c.UPSTREAM_BREAKER_HALF_OPEN_MS, 5_000)
    assert.equal(c.UPSTREAM_MAX_CONCURRENT, undefined, 'unset: UPSTREAM_CONNECTIONS')
    assert.equal(c.UPSTREAM_QUEUE_SIZE, 256)
  })

  it('reads fractions and turns the breaker off with 0', () => {
    const c = loadConfig({ ...VALID, UPSTREAM_RETRY_BUDGET: '0.1', UPSTREAM_BREAKER_THRESHOLD: '0', UPSTREAM_MAX_CONCURRENT: '8', UPSTREAM_QUEUE_SIZE: '0' })
    assert.equal(c.UPSTREAM_RETRY_BUDGET, 0.1)
    assert.equal(c.UPSTREAM_BREAKER_THRESHOLD, 0)
    assert.equal(c.UPSTREAM_MAX_CONCURRENT, 8)
    assert.equal(c.UPSTREAM_QUEUE_SIZE, 0)
  })

  const bad: Array<[string, string]> = [
    ['UPSTREAM_RETRY_BUDGET', '1.5'],
    ['UPSTREAM_RETRY_BUDGET', '-0.1'],
    ['UPSTREAM_RETRY_BUDGET', 'lots'],
    ['UPSTREAM_RETRY_MIN_PER_S', '-1'],
    ['UPSTREAM_BREAKER_THRESHOLD', '1'],
    ['UPSTREAM_BREAKER_MIN_REQUESTS', '0'],
    ['UPSTREAM_BREAKER_WINDOW_MS', '10'],
    ['UPSTREAM_BREAKER_HALF_OPEN_MS', '0'],
    ['UPSTREAM_MAX_CONCURRENT', '0'],
    ['UPSTREAM_QUEUE_SIZE', '-1']
  ]
  for (const [variable, value] of bad) {
    it(`refuses ${variable}=${value} at boot, naming it`, () => {
      assert.throws(() => loadConfig({ ...VALID, [variable]: value }), (err: unknown) => {
        assert.ok(err instanceof ConfigError)
        assert.equal(err.variable, variable)
        return true
      })
    })
  }
})
