import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { retryRule, backoffDelay, withRetries, type Decision } from '../../src/upstream/retry.js'
import { retryAfterMs, retryAfterSeconds, scrubMessage } from '../../src/upstream/errors.js'

describe('retryRule', () => {
  const cases: Array<[string, { status?: number, code?: string }, boolean, boolean]> = [
    // method, outcome, retry, sent
    ['GET', { status: 429 }, true, false],
    ['GET', { status: 500 }, true, true],
    ['GET', { status: 502 }, true, true],
    ['GET', { status: 503 }, true, true],
    ['GET', { status: 504 }, true, true],
    ['GET', { status: 501 }, false, true],
    ['GET', { status: 404 }, false, true],
    ['GET', { code: 'ECONNRESET' }, true, true],
    ['GET', { code: 'ECONNREFUSED' }, true, false],
    ['GET', { code: 'UND_ERR_SOCKET' }, true, true],
    ['GET', { code: 'UND_ERR_HEADERS_TIMEOUT' }, true, true],
    ['GET', { code: 'UND_ERR_BODY_TIMEOUT' }, true, true],
    ['GET', { code: 'UND_ERR_CONNECT_TIMEOUT' }, true, false],
    ['GET', { code: 'BFF_UPSTREAM_BODY_TOO_LARGE' }, false, true],
    ['DELETE', { status: 502 }, true, true],
    ['DELETE', { code: 'ECONNRESET' }, true, true],
    ['POST', { status: 429 }, true, false],
    ['POST', { code: 'ECONNREFUSED' }, true, false],
    ['POST', { code: 'UND_ERR_CONNECT_TIMEOUT' }, true, false],
    ['POST', { status: 500 }, false, true],
    ['POST', { status: 502 }, false, true],
    ['POST', { code: 'ECONNRESET' }, false, true],
    ['POST', { code: 'UND_ERR_SOCKET' }, false, true],
    ['POST', { code: 'UND_ERR_HEADERS_TIMEOUT' }, false, true]
  ]
  for (const [method, outcome, retry, sent] of cases) {
    it(`${method} ${outcome.status ?? outcome.code}: retry ${retry}, may have been performed ${sent}`, () => {
      assert.deepEqual(retryRule(method, outcome), { retry, sent })
    })
  }
})

describe('backoffDelay (full jitter)', () => {
  it('is uniform below min(max, min * 2^retry)', () => {
    const b = { maxRetries: 5, minDelayMs: 100, maxDelayMs: 1000 }
    assert.equal(backoffDelay(0, { ...b, random: () => 0.999 }), 99.9)
    assert.equal(backoffDelay(2, { ...b, random: () => 0.5 }), 200)
    assert.equal(backoffDelay(9, { ...b, random: () => 0.5 }), 500)
    assert.equal(backoffDelay(3, { ...b, random: () => 0 }), 0)
  })
})

describe('withRetries', () => {
  const b = { maxRetries: 2, minDelayMs: 1, maxDelayMs: 20 }
  const again: Decision = {}

  it('stops after maxRetries retries and returns the last result', async () => {
    const seen: number[] = []
    const r = await withRetries(async n => { seen.push(n); return n }, () => again, b)
    assert.deepEqual(seen, [0, 1, 2])
    assert.equal(r, 2)
  })

  it('stops when the decision says so', async () => {
    let calls = 0
    assert.equal(await withRetries(async () => ++calls, n => n < 2 ? again : false, { ...b, maxRetries: 10 }), 2)
  })

  it('does not wait out a Retry-After longer than the cap', async () => {
    let calls = 0
    const started = performance.now()
    await withRetries(async () => ++calls, () => ({ retryAfterMs: 60_000 }), b)
    assert.equal(calls, 1)
    assert.ok(performance.now() - started < 1000)
  })

  it('waits a Retry-After within the cap', async () => {
    let calls = 0
    await withRetries(async () => ++calls, () => ({ retryAfterMs: 20 }), { ...b, maxRetries: 1, maxDelayMs: 1000 })
    assert.equal(calls, 2)
  })

  it('asks permit once per retry, only when a retry is otherwise due, and stops when it refuses', async () => {
    let asked = 0
    let calls = 0
    const r = await withRetries(async () => ++calls, () => again, { ...b, maxRetries: 5 }, undefined, () => ++asked < 3)
    assert.equal(calls, 3)
    assert.equal(asked, 3)
    assert.equal(r, 3)
    asked = 0
    await withRetries(async () => 1, () => false, b, undefined, () => { asked++; return true })
    await withRetries(async () => 1, () => again, { ...b, maxRetries: 0 }, undefined, () => { asked++; return true })
    assert.equal(asked, 0, 'no retry was due: nothing taken from the budget')
  })

  it('ends a backoff wait as soon as the signal fires', async () => {
    const ac = new AbortController()
    let calls = 0
    const started = performance.now()
    setTimeout(() => ac.abort(), 50)
    await assert.rejects(withRetries(async () => ++calls, () => ({ retryAfterMs: 30_000 }), { ...b, maxDelayMs: 60_000 }, ac.signal))
    assert.equal(calls, 1)
    assert.ok(performance.now() - started < 5000, 'the 30 s wait was cut short')
  })
})

describe('Retry-After for callers', () => {
  const cap = 300
  const cases: Array<[string, number]> = [
    ['0', 1], ['1', 1], ['2.2', 3], ['120', 120], ['1e30', cap], ['-5', 1], ['NaN', 1], ['abc', 1], ['', 1], ['Infinity', 1],
    [new Date(Date.now() + 10 * 365 * 86_400_000).toUTCString(), cap], ['Thu, 01 Jan 1970 00:00:00 GMT', 1]
  ]
  for (const [header, expected] of cases) {
    it(`"${header}" → ${expected}`, () => {
      const s = retryAfterSeconds(retryAfterMs(header), cap)
      assert.equal(s, expected)
      assert.ok(Number.isInteger(s) && s >= 1 && s <= cap)
    })
  }
})

describe('scrubMessage', () => {
  const m = { organizationId: 'org-1', secretKey: 'k3y-value-without-prefix' }
  const cases: Array<[string, string]> = [
    ['key k3y-value-without-prefix is wrong', 'key [redacted] is wrong'],
    ['token dtvi_abcDEF123 expired.', 'token [redacted] expired.'],
    ['Authorization: Bearer abc.def.ghi rejected', 'Authorization: Bearer [redacted] rejected'],
    ['see https://storage.googleapis.com/b/o.zip?X-Goog-Signature=abc&X-Goog-Expires=9 now', 'see [redacted] now'],
    ['docs at (http://example.com/x)', 'docs at ([redacted]'],
    ['bucket storage.example.com/o.zip?sig=abc failed', 'bucket [redacted] failed'],
    ['param X-Goog-Signature=abcdef leaked', 'param X-Goog-Signature=[redacted] leaked'],
    ['dataset org-1_ds1 is archived', 'dataset ds1 is archived']
  ]
  for (const [input, output] of cases) {
    it(JSON.stringify(input), () => assert.equal(scrubMessage(input, m), output))
  }

  it('is linear on a long word without spaces', () => {
    const started = performance.now()
    scrubMessage('a'.repeat(16 * 1024 * 1024), m)
    assert.ok(performance.now() - started < 2000)
  })
})
