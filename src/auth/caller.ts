import { ALL_SCOPES, type AuthConfig, type Scope } from '../config.js'

/** Who is calling, whatever the credential: API key (by name), JWT or session (by `sub`). */
export interface Caller {
  kind: 'apiKey' | 'jwt' | 'session'
  id: string
  scopes: ReadonlySet<Scope>
}

/** What /auth/me shows about a signed-in or bearer caller. */
export interface Identity {
  sub: string
  name: string | null
  email: string | null
  scopes: Scope[]
  /** Epoch seconds: the token's exp, or the session's absolute end. */
  expiresAt: number | null
}

function names (value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}

/** A claim by name; a dotted name (`realm_access.roles`) walks nested objects, as Keycloak puts roles there. */
function claim (claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name]
  let value: unknown = claims
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** A user's scopes: SCOPES_CLAIM names, ROLES_CLAIM through ROLE_SCOPES, and DEFAULT_USER_SCOPES; unknown names dropped. */
export function scopesFromClaims (auth: AuthConfig, claims: Record<string, unknown>): Set<Scope> {
  const scopes = new Set<Scope>(auth.defaultUserScopes)
  for (const s of names(claim(claims, auth.scopesClaim))) if (ALL_SCOPES.includes(s as Scope)) scopes.add(s as Scope)
  if (auth.rolesClaim) {
    for (const role of names(claim(claims, auth.rolesClaim))) for (const s of auth.roleScopes.get(role) ?? []) scopes.add(s)
  }
  return scopes
}

export function identityFromClaims (claims: Record<string, unknown>, scopes: Iterable<Scope>, expiresAt: number | null): Identity {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null)
  return {
    sub: String(claims.sub),
    name: str(claims.name) ?? str(claims.preferred_username),
    email: str(claims.email),
    scopes: ALL_SCOPES.filter(s => new Set(scopes).has(s)),
    expiresAt
  }
}
