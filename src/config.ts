import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { getHeapStatistics } from 'node:v8'

/**
 * The process environment as vi-bff reads it: one TypeBox schema, validated once at boot.
 * The upstream credentials keep the Vi SDK's own variable names so one `.env` serves both.
 */
const Millis = (def: number, min = 1) => Type.Integer({ minimum: min, maximum: 3_600_000, default: def })
const Seconds = (def: number, min = 0) => Type.Integer({ minimum: min, maximum: 86_400, default: def })

export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  DATATURE_VI_SECRET_KEY: Type.String({ minLength: 1 }),
  DATATURE_VI_ORGANIZATION_ID: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\s/?#%]+$' }),
  DATATURE_VI_API_ENDPOINT: Type.String({ default: 'https://api.vi.datature.com' }),
  API_KEYS: Type.Optional(Type.String({ minLength: 1 })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  ARCHIVE_HOST_ALLOWLIST: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  CORS_ORIGINS: Type.String({ default: '' }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  UPSTREAM_CONNECT_TIMEOUT_MS: Millis(5_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: Millis(10_000),
  UPSTREAM_BODY_TIMEOUT_MS: Millis(30_000),
  UPSTREAM_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 1024, default: 64 }),
  UPSTREAM_MAX_RETRIES: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
  UPSTREAM_RETRY_MAX_DELAY_MS: Millis(2_000),
  // Upstream protection (design.md "Operations"): retry budget, circuit breakers, bounded concurrency.
  UPSTREAM_RETRY_BUDGET: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
  UPSTREAM_RETRY_MIN_PER_S: Type.Number({ minimum: 0, maximum: 1000, default: 3 }),
  UPSTREAM_BREAKER_THRESHOLD: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.5 }),
  UPSTREAM_BREAKER_MIN_REQUESTS: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 20 }),
  UPSTREAM_BREAKER_WINDOW_MS: Millis(10_000, 1000),
  UPSTREAM_BREAKER_HALF_OPEN_MS: Millis(5_000, 100),
  UPSTREAM_MAX_CONCURRENT: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  UPSTREAM_QUEUE_SIZE: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 256 }),
  SHUTDOWN_GRACE_MS: Millis(10_000),
  // Bounds on every request and socket (design.md "Behaviour under faults and odd requests").
  REQUEST_TIMEOUT_MS: Millis(30_000, 100),
  MAX_CONNECTIONS: Type.Integer({ minimum: 16, maximum: 1_000_000, default: 8192 }),
  HTTP_HEADERS_TIMEOUT_MS: Millis(10_000, 100),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Millis(5_000, 100),
  RETRY_AFTER_MAX_S: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  CACHE_TTL_DATASET_S: Seconds(30, 1),
  CACHE_TTL_LIST_S: Seconds(10, 1),
  CACHE_TTL_EXPORT_PENDING_S: Seconds(1, 1),
  CACHE_TTL_EXPORT_READY_S: Seconds(300, 1),
  CACHE_TTL_EXPORT_FAILED_S: Seconds(300, 1),
  CACHE_TTL_NOT_FOUND_S: Seconds(5, 0),
  CACHE_STALE_S: Seconds(30, 0),
  CACHE_STALE_IF_ERROR_S: Seconds(300, 0),
  CACHE_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 10_000 }),
  CACHE_MAX_BYTES: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024 }),
  REDIS_COMMAND_TIMEOUT_MS: Millis(250),
  REDIS_MODE: Type.Enum(['standalone', 'sentinel', 'cluster'], { default: 'standalone' }),
  REDIS_NODES: Type.Optional(Type.String({ pattern: '^[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*$' })),
  REDIS_SENTINEL_NAME: Type.String({ minLength: 1, default: 'mymaster' }),
  REDIS_KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9:_-]*$', default: 'vi-bff:' }),
  // Archive streaming from signed storage URLs (src/archive, src/services/archives.ts).
  ARCHIVE_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 4096, default: 256 }),
  ARCHIVE_CONNECT_TIMEOUT_MS: Millis(5_000),
  ARCHIVE_HEADERS_TIMEOUT_MS: Millis(30_000),
  ARCHIVE_BODY_TIMEOUT_MS: Millis(60_000),
  ARCHIVE_IDLE_TIMEOUT_MS: Millis(120_000, 100),
  ARCHIVE_MAX_WAIT_S: Type.Integer({ minimum: 0, maximum: 600, default: 55 }),
  ARCHIVE_QUEUE_TIMEOUT_MS: Millis(10_000, 1),
  // Fair use per caller (design.md "Fair use and safe writes"): 0 disables a limit.
  RATE_LIMIT_READS: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 600 }),
  RATE_LIMIT_WRITES: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 60 }),
  ARCHIVE_MAX_PER_CALLER: Type.Integer({ minimum: 0, maximum: 10_000, default: 4 }),
  EVENTS_MAX_PER_CALLER: Type.Integer({ minimum: 0, maximum: 10_000, default: 8 }),
  LIMITS_LEASE_TTL_MS: Millis(30_000, 500),
  LIMITS_REDIS_TIMEOUT_MS: Millis(100, 5),
  // Frontends: OpenID Connect sign-in, sessions, bearer JWTs, the served app (design.md "Signing in frontends").
  PUBLIC_URL: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_CLIENT_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  OIDC_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  OIDC_SCOPES: Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$', default: 'openid profile email' }),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  SESSION_MAX_AGE_S: Type.Integer({ minimum: 1, maximum: 30 * 86_400, default: 28_800 }),
  SESSION_IDLE_S: Type.Integer({ minimum: 1, maximum: 30 * 86_400, default: 3_600 }),
  SESSION_SAMESITE: Type.Enum(['lax', 'strict', 'none'], { default: 'lax' }),
  JWT_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  JWT_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  JWT_JWKS_URL: Type.Optional(Type.String({ minLength: 1 })),
  JWT_CLOCK_SKEW_S: Type.Integer({ minimum: 0, maximum: 600, default: 30 }),
  SCOPES_CLAIM: Type.String({ pattern: '^[^\\s]{1,200}$', default: 'scope' }),
  ROLES_CLAIM: Type.Optional(Type.String({ pattern: '^[^\\s]{1,200}$' })),
  ROLE_SCOPES: Type.String({ default: '' }),
  DEFAULT_USER_SCOPES: Type.String({ default: 'datasets:read' }),
  STATIC_DIR: Type.Optional(Type.String({ minLength: 1 })),
  // Idempotency-Key on POST exports and asset deletions (design.md "Fair use and safe writes").
  IDEMPOTENCY_TTL_S: Type.Integer({ minimum: 1, maximum: 30 * 86_400, default: 86_400 }),
  IDEMPOTENCY_LOCK_S: Type.Integer({ minimum: 1, maximum: 3_600, default: 120 }),
  // Load shedding (design.md "Operations"): past a limit, requests get 503 BFF_OVERLOADED; 0 turns a limit off.
  SHED_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1_000 }),
  SHED_EVENT_LOOP_UTILIZATION: Type.Number({ minimum: 0, maximum: 1, default: 0 }),
  SHED_HEAP_USED_BYTES: Type.Optional(Type.Integer({ minimum: 0 })),
  SHED_RSS_BYTES: Type.Integer({ minimum: 0, default: 0 }),
  SHED_SAMPLE_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 1_000 }),
  SHED_RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 3_600, default: 5 }),
  // Traces (src/telemetry): the OpenTelemetry SDK's standard variables, checked here so a typo stops the boot.
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ minLength: 1 })),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: Type.Optional(Type.String({ minLength: 1 })),
  OTEL_EXPORTER_OTLP_PROTOCOL: Type.Optional(Type.String({ minLength: 1 })),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: Type.Optional(Type.String({ minLength: 1 })),
  OTEL_SERVICE_NAME: Type.String({ minLength: 1, maxLength: 255, default: 'vi-bff' })
})
export type Env = Static<typeof EnvSchema>

export type Scope = 'datasets:read' | 'datasets:delete' | 'exports:write' | 'assets:delete'
export const ALL_SCOPES: readonly Scope[] = ['datasets:read', 'datasets:delete', 'exports:write', 'assets:delete']

export interface ApiKey { name: string, key: string, scopes: ReadonlySet<Scope> }

/** What sign-in, sessions and JWT checks need, derived from the environment (see loadAuthConfig). */
export interface AuthConfig {
  /** PUBLIC_URL's origin; redirect URIs and the CSRF Origin check use it, never the request's Host. */
  publicOrigin?: string
  oidc?: { issuer: string, clientId: string, clientSecret: string, scopes: string, insecure: boolean }
  session?: { secrets: string[], maxAgeS: number, idleS: number, sameSite: 'lax' | 'strict' | 'none', secure: boolean, cookieName: string }
  jwt?: { issuer: string, audience: string, jwksUrl?: string, insecure: boolean, clockSkewS: number, cooldownMs: number }
  scopesClaim: string
  rolesClaim?: string
  roleScopes: Map<string, Scope[]>
  defaultUserScopes: Scope[]
  staticDir?: string
}

export interface Config extends Env {
  apiKeys: ApiKey[]
  auth: AuthConfig
  upstreamOrigin: string
  archiveHosts: string[]
  corsOrigins: string[]
  /** SHED_HEAP_USED_BYTES, or 90 % of V8's heap limit when unset; 0: off. */
  shedHeapUsedBytes: number
  /** The OTLP/HTTP traces endpoint when tracing is on (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or _ENDPOINT set). */
  tracesEndpoint?: string
}

export class ConfigError extends Error {
  constructor (readonly variable: string, message: string) {
    super(`${variable} ${message}`)
    this.name = 'ConfigError'
  }
}

/** A heap or RSS limit below this is a unit mistake (bytes, not MiB): vi-bff itself uses more. */
const MIN_SHED_BYTES = 16 * 1024 * 1024
/** Default heap limit for shedding: this share of V8's heap limit (past it V8 collects garbage nearly nonstop). */
export const SHED_HEAP_SHARE = 0.9

const SECRET_KEY = /^dtvi_[A-Za-z0-9_-]{98}$/
const KEY = /^[A-Za-z0-9._~+/=-]{1,512}$/

/**
 * Validates the environment and derives what the rest of the app needs.
 * Throws a ConfigError naming the first bad variable; never echoes a secret value.
 */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const parsed = Value.Convert(EnvSchema, Value.Default(EnvSchema, raw))
  const firstError = Value.Errors(EnvSchema, parsed)[0]
  if (firstError) {
    const variable = firstError.instancePath.split('/')[1] ||
      String((firstError.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? 'environment')
    const value = raw[variable]
    const shown = variable.includes('SECRET') || variable.includes('TOKEN') || variable === 'API_KEYS' || variable === 'REDIS_URL'
      ? ''
      : value === undefined ? '' : ` (got ${JSON.stringify(value)})`
    throw new ConfigError(variable, value === undefined ? 'is required' : `is invalid: ${firstError.message}${shown}`)
  }
  const base = parsed as Env

  if (!SECRET_KEY.test(base.DATATURE_VI_SECRET_KEY)) {
    throw new ConfigError('DATATURE_VI_SECRET_KEY', 'is invalid: a Vi secret key starts with "dtvi_" and is 103 characters long')
  }
  const upstreamOrigin = parseOrigin('DATATURE_VI_API_ENDPOINT', base.DATATURE_VI_API_ENDPOINT)
  const auth = loadAuthConfig(base)
  const apiKeys = base.API_KEYS || (!auth.oidc && !auth.jwt) ? parseApiKeys(base.API_KEYS ?? '') : []
  const archiveHosts = base.ARCHIVE_HOST_ALLOWLIST
    ? splitList(base.ARCHIVE_HOST_ALLOWLIST).map(h => h.toLowerCase())
    : [new URL(upstreamOrigin).hostname, 'storage.googleapis.com']
  if (base.ARCHIVE_HOST_ALLOWLIST && archiveHosts.some(h => !/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h))) {
    throw new ConfigError('ARCHIVE_HOST_ALLOWLIST', 'is invalid: expected comma-separated hostnames (no scheme, port or path)')
  }
  if (base.IDEMPOTENCY_LOCK_S * 1000 <= base.REQUEST_TIMEOUT_MS) {
    // A marker that expired while its request still runs would let a retry create a second export.
    throw new ConfigError('IDEMPOTENCY_LOCK_S', `is invalid: must be longer than REQUEST_TIMEOUT_MS (${base.REQUEST_TIMEOUT_MS} ms)`)
  }
  const corsOrigins = splitList(base.CORS_ORIGINS)
  for (const origin of corsOrigins) {
    if (origin !== '*') parseOrigin('CORS_ORIGINS', origin)
  }
  const shedHeapUsedBytes = loadShedding(base)
  const tracesEndpoint = loadTracing(base)
  return { ...base, apiKeys, upstreamOrigin, archiveHosts, corsOrigins, auth, shedHeapUsedBytes, ...(tracesEndpoint ? { tracesEndpoint } : {}) }
}

/** The shedding limits that need more than the schema: byte limits of a plausible size, a utilisation in (0, 1). */
function loadShedding (base: Env): number {
  for (const name of ['SHED_HEAP_USED_BYTES', 'SHED_RSS_BYTES'] as const) {
    const value = base[name]
    if (value !== undefined && value !== 0 && value < MIN_SHED_BYTES) {
      throw new ConfigError(name, `is invalid: ${value} bytes is below what vi-bff itself uses; give bytes (at least ${MIN_SHED_BYTES}) or 0 for off`)
    }
  }
  if (base.SHED_EVENT_LOOP_UTILIZATION >= 1) {
    throw new ConfigError('SHED_EVENT_LOOP_UTILIZATION', 'is invalid: a share of time the event loop is busy, below 1 (e.g. 0.98), or 0 for off')
  }
  return base.SHED_HEAP_USED_BYTES ?? Math.floor(getHeapStatistics().heap_size_limit * SHED_HEAP_SHARE)
}

/**
 * Tracing is on when an OTLP endpoint is set. vi-bff sends OTLP/HTTP with JSON bodies (the exporter it ships),
 * so a protocol setting may only ask for that; the endpoint must be an http(s) URL without credentials
 * (OTEL_EXPORTER_OTLP_HEADERS carries a collector's token).
 */
function loadTracing (base: Env): string | undefined {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'] as const) {
    const value = base[name]
    if (value !== undefined && value !== 'http/json') throw new ConfigError(name, `is invalid: vi-bff exports traces as OTLP/HTTP JSON; set "http/json" or leave it unset (got ${JSON.stringify(value)})`)
  }
  const traces = base.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  const name = traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT'
  const value = traces ?? base.OTEL_EXPORTER_OTLP_ENDPOINT
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(name, 'is invalid: not a URL')
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new ConfigError(name, `is invalid: expected an http(s) URL without credentials (got ${JSON.stringify(url.protocol + '//' + url.host)})`)
  }
  // The SDK's rule: the generic endpoint gets /v1/traces appended, the traces endpoint is used as given.
  return traces ? url.href : new URL('v1/traces', url.href.endsWith('/') ? url.href : url.href + '/').href
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/

/** An http(s) URL; plain http only on a loopback host (the demo's local provider). */
function secureUrl (variable: string, value: string): { url: URL, insecure: boolean } {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(variable, `is invalid: not a URL (got ${JSON.stringify(value)})`)
  }
  const insecure = url.protocol === 'http:'
  if (!(url.protocol === 'https:' || (insecure && LOOPBACK.test(url.hostname))) || url.username || url.password || url.hash) {
    throw new ConfigError(variable, `is invalid: must be an https URL (plain http only on a loopback host), without credentials (got ${JSON.stringify(url.protocol + '//' + url.host)})`)
  }
  return { url, insecure }
}

function scopeList (variable: string, value: string, separator: RegExp): Scope[] {
  const scopes: Scope[] = []
  for (const s of value.split(separator).map(x => x.trim()).filter(Boolean)) {
    if (!ALL_SCOPES.includes(s as Scope)) throw new ConfigError(variable, `is invalid: unknown scope "${s}"; known: ${ALL_SCOPES.join(', ')}`)
    if (!scopes.includes(s as Scope)) scopes.push(s as Scope)
  }
  return scopes
}

/**
 * The frontend settings: sign-in is on with OIDC_ISSUER; JWTs are accepted with JWT_ISSUER or OIDC_ISSUER.
 * Each missing or malformed companion setting is named at boot.
 */
function loadAuthConfig (base: Env): AuthConfig {
  const requireVar = (name: keyof Env, why: string) => {
    if (base[name] === undefined) throw new ConfigError(name, `is required ${why}`)
    return String(base[name])
  }
  let publicOrigin: string | undefined
  let publicSecure = false
  if (base.PUBLIC_URL) {
    publicOrigin = parseOrigin('PUBLIC_URL', base.PUBLIC_URL.replace(/\/+$/, ''))
    publicSecure = publicOrigin.startsWith('https:')
  }
  const auth: AuthConfig = {
    scopesClaim: base.SCOPES_CLAIM,
    roleScopes: new Map(),
    defaultUserScopes: base.DEFAULT_USER_SCOPES.trim() === 'none' ? [] : scopeList('DEFAULT_USER_SCOPES', base.DEFAULT_USER_SCOPES, /[\s,+]+/)
  }
  if (publicOrigin) auth.publicOrigin = publicOrigin
  if (base.ROLES_CLAIM) auth.rolesClaim = base.ROLES_CLAIM
  for (const [i, entry] of splitList(base.ROLE_SCOPES.replace(/;/g, ',')).entries()) {
    const eq = entry.indexOf('=')
    if (eq < 1) throw new ConfigError('ROLE_SCOPES', `is invalid: entry ${i + 1} is not "role=scope+scope"`)
    auth.roleScopes.set(entry.slice(0, eq).trim(), scopeList('ROLE_SCOPES', entry.slice(eq + 1), /\+/))
  }
  if (auth.roleScopes.size > 0 && !auth.rolesClaim) throw new ConfigError('ROLES_CLAIM', 'is required when ROLE_SCOPES is set (the claim holding the roles, e.g. groups)')

  if (base.OIDC_ISSUER) {
    const { url, insecure } = secureUrl('OIDC_ISSUER', base.OIDC_ISSUER)
    const why = 'when OIDC_ISSUER is set (sign-in)'
    if (!publicOrigin) requireVar('PUBLIC_URL', why + ': the origin browsers use, e.g. https://app.example.com')
    const secrets = splitList(requireVar('SESSION_SECRET', why + ': 32+ random characters; a comma-separated list rotates'))
    if (secrets.some(s => s.length < 32)) throw new ConfigError('SESSION_SECRET', 'is invalid: every comma-separated secret needs 32 or more characters')
    if (!base.OIDC_SCOPES.split(' ').includes('openid')) throw new ConfigError('OIDC_SCOPES', 'is invalid: must include "openid"')
    if (base.SESSION_SAMESITE === 'none' && !publicSecure) throw new ConfigError('SESSION_SAMESITE', 'is invalid: "none" needs an https PUBLIC_URL (browsers drop SameSite=None cookies without Secure)')
    if (base.SESSION_IDLE_S > base.SESSION_MAX_AGE_S) throw new ConfigError('SESSION_IDLE_S', `is invalid: longer than SESSION_MAX_AGE_S (${base.SESSION_MAX_AGE_S})`)
    auth.oidc = {
      issuer: url.href.replace(/\/$/, url.pathname === '/' ? '' : '/'),
      clientId: requireVar('OIDC_CLIENT_ID', why),
      clientSecret: requireVar('OIDC_CLIENT_SECRET', why + ' (vi-bff is a confidential client)'),
      scopes: base.OIDC_SCOPES,
      insecure
    }
    auth.session = {
      secrets,
      maxAgeS: base.SESSION_MAX_AGE_S,
      idleS: base.SESSION_IDLE_S,
      sameSite: base.SESSION_SAMESITE,
      secure: publicSecure,
      // __Host-: the browser refuses it unless Secure, Path=/ and no Domain, so no sibling host can plant it.
      cookieName: publicSecure ? '__Host-vibff_session' : 'vibff_session'
    }
  }
  const jwtIssuer = base.JWT_ISSUER ?? auth.oidc?.issuer
  if (jwtIssuer) {
    const { insecure } = secureUrl(base.JWT_ISSUER ? 'JWT_ISSUER' : 'OIDC_ISSUER', jwtIssuer)
    const audience = base.JWT_AUDIENCE ?? (base.JWT_ISSUER ? undefined : auth.oidc?.clientId)
    if (!audience) throw new ConfigError('JWT_AUDIENCE', 'is required when JWT_ISSUER is set (the audience vi-bff\'s tokens are issued for)')
    auth.jwt = { issuer: base.JWT_ISSUER ?? jwtIssuer, audience, insecure, clockSkewS: base.JWT_CLOCK_SKEW_S, cooldownMs: 60_000 }
    if (base.JWT_JWKS_URL) {
      const jwks = secureUrl('JWT_JWKS_URL', base.JWT_JWKS_URL)
      auth.jwt.jwksUrl = jwks.url.href
      auth.jwt.insecure = insecure || jwks.insecure
    }
  } else if (base.JWT_AUDIENCE || base.JWT_JWKS_URL) {
    throw new ConfigError('JWT_ISSUER', 'is required when JWT_AUDIENCE or JWT_JWKS_URL is set')
  }
  if (base.STATIC_DIR) {
    if (!existsSync(join(base.STATIC_DIR, 'index.html'))) throw new ConfigError('STATIC_DIR', `is invalid: no index.html in ${JSON.stringify(base.STATIC_DIR)}`)
    auth.staticDir = resolve(base.STATIC_DIR)
  }
  return auth
}

function splitList (value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(Boolean)
}

function parseOrigin (variable: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(variable, `is invalid: not a URL (got ${JSON.stringify(value)})`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, `is invalid: scheme must be http or https (got ${JSON.stringify(url.protocol)})`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    // The SDK joins absolute paths onto the endpoint, dropping any prefix; refusing one avoids a silent surprise.
    throw new ConfigError(variable, `is invalid: expected an origin such as https://api.vi.datature.com, without path, query or credentials (got ${JSON.stringify(url.origin + url.pathname)})`)
  }
  return url.origin
}

/** `key`, `name:key` or `name:key:scope+scope`, comma-separated. A key without scopes gets them all. */
function parseApiKeys (value: string): ApiKey[] {
  const keys: ApiKey[] = []
  for (const [i, entry] of splitList(value).entries()) {
    const parts = entry.split(':')
    if (parts.length > 3 + ALL_SCOPES.length) throw new ConfigError('API_KEYS', `is invalid: entry ${i + 1} has too many ':'`)
    // Scopes themselves contain ':' (datasets:read), so the third field is everything after name and key.
    const [name, key] = parts.length === 1 ? [`key${i + 1}`, parts[0]!] : [parts[0]!, parts[1]!]
    const scopeText = parts.slice(2).join(':')
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new ConfigError('API_KEYS', `is invalid: entry ${i + 1} has a bad name (letters, digits, . _ - only)`)
    if (!KEY.test(key)) throw new ConfigError('API_KEYS', `is invalid: entry ${i + 1} ("${name}") has an empty key or one with characters outside [A-Za-z0-9._~+/=-]`)
    const scopes = new Set<Scope>()
    for (const s of scopeText ? scopeText.split('+') : ALL_SCOPES) {
      if (!ALL_SCOPES.includes(s as Scope)) throw new ConfigError('API_KEYS', `is invalid: entry ${i + 1} ("${name}") has unknown scope "${s}"; known: ${ALL_SCOPES.join(', ')}`)
      scopes.add(s as Scope)
    }
    if (keys.some(k => k.name === name)) throw new ConfigError('API_KEYS', `is invalid: duplicate name "${name}"`)
    if (keys.some(k => k.key === key)) throw new ConfigError('API_KEYS', `is invalid: entry ${i + 1} ("${name}") repeats another entry's key`)
    keys.push({ name, key, scopes })
  }
  if (keys.length === 0) throw new ConfigError('API_KEYS', 'is required: at least one caller key (or configure OIDC_ISSUER or JWT_ISSUER)')
  return keys
}
