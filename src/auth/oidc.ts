import * as client from 'openid-client'
import { randomBytes } from 'node:crypto'
import type { AuthConfig } from '../config.js'
import { Errors, problem } from '../errors.js'
import { identityFromClaims, scopesFromClaims } from './caller.js'
import type { PendingLogin, SessionUser } from './sessions.js'

const PROVIDER_TIMEOUT_S = 10

/**
 * Where to send the browser after sign-in: `returnTo` resolved as a browser resolves it against PUBLIC_URL,
 * kept only if it stays on PUBLIC_URL's origin (so `//evil`, `/\evil`, `https:evil`, `javascript:` give `/`).
 */
export function safeReturnTo (publicOrigin: string, returnTo: unknown): string {
  if (typeof returnTo !== 'string' || returnTo.length === 0 || returnTo.length > 2048) return '/'
  // Browsers drop tabs and newlines and treat '\' as '/' in special URLs: WHATWG URL does the same.
  if (!returnTo.startsWith('/')) return '/'
  let url: URL
  try {
    url = new URL(returnTo, publicOrigin + '/')
  } catch {
    return '/'
  }
  if (url.origin !== publicOrigin) return '/'
  return url.pathname + url.search + url.hash
}

type Oidc = NonNullable<AuthConfig['oidc']>

/** The OpenID Connect client (openid-client): discovery once (retried after a failure), code flow with PKCE. */
export function oidcClient (auth: AuthConfig & { oidc: Oidc, publicOrigin: string }) {
  const { oidc } = auth
  const redirectUri = `${auth.publicOrigin}/auth/callback`
  let discovered: Promise<client.Configuration> | undefined

  function configuration (): Promise<client.Configuration> {
    discovered ??= client.discovery(new URL(oidc.issuer), oidc.clientId, {
      client_secret: oidc.clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code']
    }, client.ClientSecretBasic(oidc.clientSecret), {
      timeout: PROVIDER_TIMEOUT_S,
      ...(oidc.insecure ? { execute: [client.allowInsecureRequests] } : {})
    })
    discovered.catch(() => { discovered = undefined })
    return discovered.catch(err => {
      throw problem(Errors.SignInUnavailable, [(err as { code?: string }).code ?? 'discovery failed'], { retryAfter: 5 })
    })
  }

  return {
    redirectUri,

    /** A new pending login and the provider URL to send the browser to. */
    async start (returnTo: string): Promise<{ login: PendingLogin, url: string }> {
      const config = await configuration()
      const login: PendingLogin = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        returnTo
      }
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: oidc.scopes,
        response_type: 'code',
        state: login.state,
        nonce: login.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(login.codeVerifier),
        code_challenge_method: 'S256'
      })
      return { login, url: url.href }
    },

    /**
     * Exchanges the code of a callback whose state the caller already matched against `login`, validates the
     * ID token (issuer, audience, nonce, expiry, signature) and returns the session's user.
     */
    async finish (query: string, login: PendingLogin, maxAgeS: number): Promise<SessionUser> {
      const config = await configuration()
      let claims: Record<string, unknown>
      try {
        const tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri}${query}`), {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true
        })
        claims = { ...tokens.claims() } as Record<string, unknown>
        if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
          // Providers often put groups and e-mail only in userinfo; ID token claims win where both have one.
          const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))
          claims = { ...info, ...claims }
        }
      } catch (err) {
        if (err instanceof client.AuthorizationResponseError) throw problem(Errors.SignInFailed, [`the identity provider answered ${err.error}`])
        if (err instanceof client.ResponseBodyError) throw problem(Errors.SignInFailed, [`the identity provider refused the code (${err.error})`])
        const code = (err as { code?: string }).code
        if (err instanceof TypeError || code === 'OAUTH_TIMEOUT' || code === 'ECONNREFUSED') throw problem(Errors.SignInUnavailable, [code ?? 'network error'], { retryAfter: 5 })
        throw problem(Errors.SignInFailed, [`the identity provider's answer failed a check (${code ?? 'invalid response'})`])
      }
      const scopes = scopesFromClaims(auth, claims)
      const absExp = Date.now() + maxAgeS * 1000
      const identity = identityFromClaims(claims, scopes, Math.floor(absExp / 1000))
      return { sub: identity.sub, name: identity.name, email: identity.email, scopes: identity.scopes, absExp }
    },

    /** The provider's RP-initiated logout URL (client_id and post-logout redirect; no token), or null. */
    async endSessionUrl (): Promise<string | null> {
      const config = await configuration().catch(() => undefined)
      if (!config?.serverMetadata().end_session_endpoint) return null
      return client.buildEndSessionUrl(config, { client_id: oidc.clientId, post_logout_redirect_uri: `${auth.publicOrigin}/` }).href
    }
  }
}

export type OidcClient = ReturnType<typeof oidcClient>

/** A random id for the login cookie (128 bits). */
export const loginId = () => randomBytes(16).toString('base64url')
