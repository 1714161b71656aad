import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import session from '@fastify/session'
import type { FastifyRequest } from 'fastify'
import type { Config, Scope } from '../config.js'
import { Errors, problem } from '../errors.js'
import type { Caller, Identity } from '../auth/caller.js'
import { apiKeyVerifier, looksLikeJwt } from '../auth/api-keys.js'
import { jwtVerifier } from '../auth/jwt.js'
import { createSessionBackend, type SessionBackend } from '../auth/sessions.js'
import { csrfCheck } from '../auth/csrf.js'
import { oidcClient, type OidcClient } from '../auth/oidc.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, for scope checks, logs and metrics. */
    caller?: Caller
    /** What /auth/me shows for a JWT or session caller. */
    identity?: Identity
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public. */
    scope?: Scope
    /** Identify the caller if it sent credentials, without requiring any (the /auth routes). */
    identify?: boolean
  }
  interface FastifyInstance {
    /** Sign-in parts, present when OIDC_ISSUER is set. */
    signIn?: { oidc: OidcClient, sessions: SessionBackend, config: NonNullable<Config['auth']['session']>, loginCookie: string }
  }
}

function presentedCredential (request: FastifyRequest): string | undefined | false {
  const header = request.headers.authorization
  if (header) {
    const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header)
    return match ? match[1] : false
  }
  const apiKey = request.headers['x-api-key']
  if (apiKey === undefined) return undefined
  return typeof apiKey === 'string' && apiKey.trim().length > 0 ? apiKey.trim() : false
}

/** Whether a request's route can use the caller's session: it identifies its caller, or it is a sign-in route (/auth/…). */
function readsSession (request: FastifyRequest): boolean {
  const { scope, identify } = request.routeOptions.config
  return scope !== undefined || identify === true || (request.routeOptions.url?.startsWith('/auth/') ?? false)
}

const HOW = 'Send an API key or a JWT as "Authorization: Bearer <credential>", an API key as "X-API-Key: <key>", or sign in at /auth/login'

/**
 * Caller authentication on routes that declare `config.scope` (or `config.identify`): an explicit credential
 * (API key or JWT, told apart by shape) wins over the session cookie; cookie-authenticated writes pass the
 * CSRF rule. Every failure is a 401/403 problem.
 */
export default fp<{ config: Config }>(async function auth (app, { config }) {
  const { auth } = config
  const identifyKey = apiKeyVerifier(config.apiKeys)
  const verifyJwt = auth.jwt ? jwtVerifier({ ...auth, jwt: auth.jwt }) : undefined
  const allowedOrigins = new Set([...(auth.publicOrigin ? [auth.publicOrigin] : []), ...config.corsOrigins])

  if (auth.oidc && auth.session && auth.publicOrigin) {
    const sessions = createSessionBackend(config)
    app.addHook('onClose', async () => { await sessions.close() })
    await app.register(cookie, { secret: auth.session.secrets })
    // @fastify/session looks the presented session up in its store on every route, before any route option is read.
    // Only routes that identify their caller (scope, identify) and the sign-in routes use a session, so on the others
    // (health probes, the OpenAPI document, static files) it does not see the cookie: they never wait on the store,
    // nor answer 503 while it is down, because a browser sent its cookie. Runs between the cookie and session hooks.
    const { cookieName } = auth.session
    app.addHook('onRequest', (request, _reply, done) => {
      if (!readsSession(request) && request.cookies[cookieName] !== undefined) delete request.cookies[cookieName]
      done()
    })
    await app.register(session, {
      secret: auth.session.secrets,
      cookieName: auth.session.cookieName,
      store: sessions.store,
      // Saved at sign-in only; activity slides the store's TTL (touch below), which cannot revive a destroyed session.
      saveUninitialized: false,
      rolling: false,
      cookie: { path: '/', httpOnly: true, secure: auth.session.secure, sameSite: auth.session.sameSite, maxAge: auth.session.maxAgeS * 1000 }
    })
    app.decorate('signIn', {
      oidc: oidcClient({ ...auth, oidc: auth.oidc, publicOrigin: auth.publicOrigin }),
      sessions,
      config: auth.session,
      loginCookie: auth.session.secure ? '__Host-vibff_login' : 'vibff_login'
    })
  }
  const sessions = app.signIn?.sessions

  async function sessionCaller (request: FastifyRequest): Promise<Caller | undefined> {
    const user = request.session?.user
    if (!user || !sessions) return undefined
    if (user.absExp <= Date.now()) {
      await request.session.destroy()
      return undefined
    }
    await new Promise<void>((resolve, reject) => sessions.store.touch(request.session.sessionId, request.session, err => (err ? reject(err) : resolve())))
    request.identity = { sub: user.sub, name: user.name, email: user.email, scopes: user.scopes, expiresAt: user.absExp }
    return { kind: 'session', id: user.sub, scopes: new Set(user.scopes) }
  }

  async function identify (request: FastifyRequest): Promise<Caller | undefined> {
    const presented = presentedCredential(request)
    if (presented === false) throw problem(Errors.Unauthenticated, [HOW])
    if (presented === undefined) return sessionCaller(request)
    if (verifyJwt && looksLikeJwt(presented)) {
      const { caller, identity } = await verifyJwt(presented)
      request.identity = identity
      return caller
    }
    const caller = identifyKey(presented)
    if (!caller) throw problem(Errors.Unauthenticated, [verifyJwt ? 'The credential is neither a valid API key nor a JWT' : 'The API key is not valid'])
    return caller
  }

  app.decorateRequest('caller', undefined)
  app.decorateRequest('identity', undefined)
  /** The rest of the hook once the caller is known: scope and CSRF checks. */
  function admit (request: FastifyRequest, caller: Caller | undefined, scope: Scope | undefined): void {
    if (!caller) {
      if (scope) throw problem(Errors.Unauthenticated, [HOW])
      return
    }
    request.caller = caller
    const csrf = csrfCheck(request, caller, allowedOrigins)
    if (csrf) throw csrf
    if (scope && !caller.scopes.has(scope)) throw problem(Errors.Forbidden, [scope])
  }

  // Callback-style: an API key (the common machine caller) is checked synchronously, without a promise per request.
  app.addHook('onRequest', (request, _reply, done) => {
    const { scope, identify: optional } = request.routeOptions.config
    if (!scope && !optional) return done()
    const presented = presentedCredential(request)
    if (typeof presented === 'string' && !(verifyJwt && looksLikeJwt(presented))) {
      const caller = identifyKey(presented)
      try {
        if (!caller) throw problem(Errors.Unauthenticated, [verifyJwt ? 'The credential is neither a valid API key nor a JWT' : 'The API key is not valid'])
        admit(request, caller, scope)
      } catch (err) {
        return done(err as Error)
      }
      return done()
    }
    identify(request).then(caller => admit(request, caller, scope)).then(() => done(), done)
  })
}, { name: 'auth' })
