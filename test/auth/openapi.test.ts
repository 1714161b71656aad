import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openapiDocument } from '../../scripts/openapi.js'

describe('OpenAPI document with sign-in configured', () => {
  it('documents the /auth routes under the auth tag and the session cookie beside the key schemes', async () => {
    const doc = await openapiDocument() as {
      paths: Record<string, Record<string, { operationId: string, tags: string[], security?: unknown[] }>>
      components: { securitySchemes: Record<string, { type: string, in?: string, name?: string }> }
      security: Array<Record<string, unknown>>
    }
    for (const [path, method, id] of [['/auth/login', 'get', 'signIn'], ['/auth/callback', 'get', 'signInCallback'], ['/auth/me', 'get', 'getMe'], ['/auth/logout', 'post', 'signOut']]) {
      const op = doc.paths[path!]?.[method!]
      assert.equal(op?.operationId, id, `${method} ${path}`)
      assert.deepEqual(op?.tags, ['auth'])
    }
    assert.deepEqual(doc.paths['/auth/login']!.get!.security, [])
    const cookie = doc.components.securitySchemes.sessionCookie!
    assert.deepEqual([cookie.type, cookie.in, cookie.name], ['apiKey', 'cookie', '__Host-vibff_session'])
    assert.ok(doc.components.securitySchemes.bearerAuth && doc.components.securitySchemes.apiKeyHeader)
    assert.ok(doc.security.some(s => 'sessionCookie' in s))
  })
})
