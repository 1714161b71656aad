import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose'
import type { AuthConfig } from '../config.js'
import { Errors, problem } from '../errors.js'
import { identityFromClaims, scopesFromClaims, type Caller, type Identity } from './caller.js'

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA']
const DISCOVERY_TIMEOUT_MS = 5_000

/** Why a token was refused, in the words the 401 problem uses. */
function reason (err: unknown): string | undefined {
  if (err instanceof joseErrors.JWTExpired) return 'expired'
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return err.reason === 'missing' ? 'no audience' : 'bad audience'
    if (err.claim === 'iss') return err.reason === 'missing' ? 'no issuer' : 'bad issuer'
    if (err.claim === 'nbf') return 'not yet valid'
    if (err.claim === 'iat') return 'issued in the future'
    return err.reason === 'missing' ? `no ${err.claim} claim` : `bad ${err.claim} claim`
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof joseErrors.JOSENotSupported) return 'algorithm not allowed'
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) return 'unknown signing key'
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature'
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'malformed'
  return undefined
}

async function discoverJwksUri (issuer: string): Promise<URL> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS), redirect: 'error' })
  if (!res.ok) throw new Error(`discovery answered HTTP ${res.status}`)
  const meta = await res.json() as { jwks_uri?: unknown }
  if (typeof meta.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri')
  return new URL(meta.jwks_uri)
}

/**
 * Bearer JWTs (jose): signature by the issuer's JWKS with an asymmetric allowlist, iss, aud, exp, nbf with skew.
 * The JWKS is cached; a token with an unknown kid refetches it at most once per cooldown (one minute).
 */
export function jwtVerifier (auth: AuthConfig & { jwt: NonNullable<AuthConfig['jwt']> }) {
  const { jwt } = auth
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined

  function keys () {
    keySet ??= (jwt.jwksUrl ? Promise.resolve(new URL(jwt.jwksUrl)) : discoverJwksUri(jwt.issuer))
      .then(url => createRemoteJWKSet(url, { cooldownDuration: jwt.cooldownMs, cacheMaxAge: 10 * 60_000, timeoutDuration: DISCOVERY_TIMEOUT_MS }))
    // A failed discovery is retried by the next token, not remembered.
    keySet.catch(() => { keySet = undefined })
    return keySet
  }

  return async function verify (token: string): Promise<{ caller: Caller, identity: Identity }> {
    let payload: JWTPayload
    try {
      const set = await keys()
      ;({ payload } = await jwtVerify(token, set, {
        algorithms: ALGORITHMS,
        issuer: jwt.issuer,
        audience: jwt.audience,
        clockTolerance: jwt.clockSkewS,
        requiredClaims: ['aud', 'exp', 'sub']
      }))
    } catch (err) {
      const why = reason(err)
      if (why) throw problem(Errors.Unauthenticated, [`The bearer token was refused: ${why}`])
      throw problem(Errors.SignInUnavailable, [(err as { code?: string }).code ?? 'signing keys unavailable'], { retryAfter: 5 })
    }
    const scopes = scopesFromClaims(auth, payload as Record<string, unknown>)
    return {
      caller: { kind: 'jwt', id: String(payload.sub), scopes },
      identity: identityFromClaims(payload as Record<string, unknown>, scopes, payload.exp ?? null)
    }
  }
}
