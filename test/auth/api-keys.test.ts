import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiKeyVerifier } from '../../src/auth/api-keys.js'
import { readOptions } from '../../src/routes/http.js'
import type { FastifyRequest } from 'fastify'

const KEYS = [
  { name: 'ci', key: 'dtvi_ci_key_0000000000000000000001', scopes: new Set(['datasets:read'] as const) },
  { name: 'ops', key: 'dtvi_ops_key_000000000000000000002', scopes: new Set(['datasets:read', 'datasets:delete'] as const) }
]

describe('API key verifier (digest kept per presented key)', () => {
  it('identifies each configured key by name and refuses others, however often and in whatever order they are presented', () => {
    const identify = apiKeyVerifier(KEYS, 4)
    for (let round = 0; round < 3; round++) {
      assert.equal(identify(KEYS[0]!.key)?.id, 'ci')
      assert.equal(identify(KEYS[1]!.key)?.id, 'ops')
      assert.deepEqual([...identify(KEYS[1]!.key)!.scopes], ['datasets:read', 'datasets:delete'])
      assert.equal(identify(KEYS[0]!.key + 'x'), undefined)
      assert.equal(identify(KEYS[0]!.key.slice(0, -1)), undefined)
      assert.equal(identify(''), undefined)
    }
  })

  it('stays correct when more distinct keys are presented than it keeps digests for (a stream of invalid keys)', () => {
    const identify = apiKeyVerifier(KEYS, 4)
    for (let i = 0; i < 50; i++) {
      assert.equal(identify(`dtvi_guess_${i}`), undefined)
      if (i % 7 === 0) assert.equal(identify(KEYS[0]!.key)?.id, 'ci')
    }
    assert.equal(identify(KEYS[1]!.key)?.id, 'ops')
    assert.equal(identify('dtvi_guess_3'), undefined)
  })
})

describe('readOptions', () => {
  it('reads the request deadline only when the signal is used (a cache hit never makes it)', () => {
    let made = 0
    const deadline = new AbortController().signal
    const request = {
      id: 'r1',
      log: {},
      headers: { pragma: 'no-cache' },
      get deadline () { made++; return deadline }
    } as unknown as FastifyRequest
    const opts = readOptions(request)
    assert.equal(opts.noCache, true)
    assert.equal(opts.requestId, 'r1')
    assert.equal(made, 0)
    assert.equal(opts.signal, deadline)
    assert.equal(opts.signal, deadline)
    assert.equal(made, 2)
    // A prototype getter, not an accessor of each object: V8 gives every object literal with a getter a hidden class
    // of its own, which kept requests alive through young-generation collections. (So a spread drops `signal`.)
    assert.equal(Object.getOwnPropertyDescriptor(opts, 'signal'), undefined)
    assert.equal(readOptions({ ...request, headers: { 'cache-control': 'private, Max-Age=0' } } as unknown as FastifyRequest).noCache, true)
    assert.equal(readOptions({ ...request, headers: { 'cache-control': 'max-age=60' } } as unknown as FastifyRequest).noCache, false)
  })
})
