import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ALL_SCOPES, type Config } from '../config.js'
import { Errors, problem } from '../errors.js'
import { loginId, safeReturnTo } from '../auth/oidc.js'
import { StringEnum } from '../schemas/common.js'
import { problems } from './http.js'

const LOGIN_TTL_S = 600

const Me = Type.Object({
  sub: Type.String({ description: 'The user\'s subject at the identity provider (an API key\'s name for key callers)' }),
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(StringEnum([...ALL_SCOPES])),
  expiresAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds, as every time in this API: the session\'s absolute end or the token\'s exp; null for API keys' })
}, { additionalProperties: false })

const Logout = Type.Object({
  endSessionUrl: Type.Union([Type.String(), Type.Null()], { description: 'The identity provider\'s end-session URL to send the browser to, or null' })
}, { additionalProperties: false })

const redirect = (description: string) => ({ description, headers: { location: { type: 'string' } }, type: 'null' })

/** The frontend sign-in routes (design.md "Signing in frontends"): login, callback, me, logout. */
const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async function (app, { config: appConfig }) {
  app.get('/auth/me', {
    config: { identify: true },
    schema: {
      operationId: 'getMe',
      tags: ['auth'],
      summary: 'Who is calling: the signed-in user (session cookie) or the bearer caller, with its scopes',
      description: 'A frontend calls this at start to learn whether the browser is signed in (200) or should offer the sign-in link (401).',
      response: { 200: { ...Me, description: 'The caller' }, ...problems(401, 403, 503) }
    }
  }, async (request, reply) => {
    const { caller } = request
    if (!caller) throw problem(Errors.Unauthenticated, ['Not signed in: sign in at /auth/login, or send a credential'])
    reply.header('cache-control', 'no-store')
    if (request.identity) return request.identity
    return { sub: caller.id, name: caller.id, email: null, scopes: ALL_SCOPES.filter(s => caller.scopes.has(s)), expiresAt: null }
  })

  const signIn = app.signIn
  if (!signIn) return
  const { oidc, sessions, config } = signIn
  let warnedProtocol = false
  const loginCookieOptions = { path: '/', httpOnly: true, secure: config.secure, sameSite: 'lax' as const, signed: true }

  function clearLoginCookie (reply: FastifyReply) {
    reply.clearCookie(signIn!.loginCookie, { path: '/', secure: config.secure, httpOnly: true, sameSite: 'lax' })
  }

  app.get('/auth/login', {
    // Each GET starts a sign-in (a stored pending state and a cookie): a HEAD would have side effects, so none (405).
    exposeHeadRoute: false,
    schema: {
      operationId: 'signIn',
      tags: ['auth'],
      summary: 'Start signing in: redirects to the identity provider (code flow, PKCE S256, state, nonce)',
      description: 'Always goes to the provider, even with a valid session. `returnTo` must be a path on vi-bff\'s origin; anything else returns to `/`.',
      security: [],
      querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2048, description: 'A path on this origin to return to after sign-in' })) }),
      response: { 302: redirect('To the identity provider\'s authorization endpoint'), ...problems(400, 503) }
    }
  }, async (request, reply) => {
    if (config.secure && request.protocol !== 'https' && !warnedProtocol) {
      warnedProtocol = true
      request.log.warn('PUBLIC_URL is https but this request arrived over http: behind a TLS-terminating proxy set TRUST_PROXY=true, or browsers cannot receive the Secure session cookie')
    }
    const { login, url } = await oidc.start(safeReturnTo(appConfig.auth.publicOrigin!, request.query.returnTo))
    const id = loginId()
    await sessions.putLogin(id, login, LOGIN_TTL_S)
    reply.setCookie(signIn.loginCookie, id, { ...loginCookieOptions, maxAge: LOGIN_TTL_S })
    return reply.header('cache-control', 'no-store').redirect(url, 302)
  })

  app.get('/auth/callback', {
    // A GET consumes the pending sign-in: no HEAD (405), which must not.
    exposeHeadRoute: false,
    schema: {
      operationId: 'signInCallback',
      tags: ['auth'],
      summary: 'The identity provider returns here: checks state, exchanges the code, creates the session, redirects to returnTo',
      description: 'Registered at the provider as `PUBLIC_URL` + `/auth/callback`. A wrong, replayed or foreign state, a provider error, a missing code or an ID token that fails a check is a 4xx problem and creates no session.',
      security: [],
      querystring: Type.Object({
        code: Type.Optional(Type.String({ maxLength: 4096 })),
        state: Type.Optional(Type.String({ maxLength: 1024 })),
        error: Type.Optional(Type.String({ maxLength: 256 })),
        error_description: Type.Optional(Type.String({ maxLength: 4096 })),
        iss: Type.Optional(Type.String({ maxLength: 2048 }))
      }, { additionalProperties: true }),
      response: { 302: redirect('Signed in: to returnTo, with the session cookie set'), ...problems(400, 503) }
    }
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    clearLoginCookie(reply)
    const login = await takeLogin(request)
    const { query } = request
    if (!login) throw problem(Errors.SignInFailed, ['this browser has no sign-in in progress (it expired, was already completed, or started elsewhere); start again at /auth/login'])
    if (query.state !== login.state) throw problem(Errors.SignInFailed, ['the state does not match the sign-in this browser started'])
    if (query.error) throw problem(Errors.SignInFailed, [`the identity provider answered ${query.error.replace(/[^\x20-\x7e]/g, '').slice(0, 64)}`])
    if (!query.code) throw problem(Errors.SignInFailed, ['the identity provider sent no code'])
    const search = request.url.slice(request.url.indexOf('?'))
    const user = await oidc.finish(search, login, config.maxAgeS)
    // A new session id at sign-in: an id planted before sign-in (fixation) is never the signed-in one.
    await request.session.regenerate()
    request.session.user = user
    request.log.info({ caller: { kind: 'session', id: user.sub } }, 'signed in')
    return reply.redirect(login.returnTo, 302)
  })

  async function takeLogin (request: FastifyRequest) {
    const raw = request.cookies[signIn!.loginCookie]
    if (!raw) return undefined
    const unsigned = request.unsignCookie(raw)
    if (!unsigned.valid || !unsigned.value) return undefined
    return sessions.takeLogin(unsigned.value)
  }

  app.post('/auth/logout', {
    config: { identify: true },
    schema: {
      operationId: 'signOut',
      tags: ['auth'],
      summary: 'Sign out: destroys the server-side session on every replica and clears the cookie',
      description: 'Needs `X-CSRF: 1` when the session cookie is sent. Then send the browser to `endSessionUrl` (when not null) to end the provider\'s session too.',
      response: { 200: { ...Logout, description: 'Signed out' }, ...problems(401, 403, 503) }
    }
  }, async (request, reply) => {
    if (request.session?.user) await request.session.destroy()
    reply.clearCookie(config.cookieName, { path: '/', secure: config.secure, httpOnly: true, sameSite: config.sameSite })
    reply.header('cache-control', 'no-store')
    return { endSessionUrl: await oidc.endSessionUrl() }
  })
}
export default routes
