// A real OpenID provider (oidc-provider) on loopback, for tests and `npm run demo`; never imported by src/.
// Users sign in on a plain HTML form that a browser or a test (one form POST) can complete.
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose'

export interface IdpUser {
  username: string
  password: string
  sub: string
  name: string
  email: string
  groups: string[]
}

export interface IdpClient {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  postLogoutRedirectUris?: string[]
}

export interface SimIdpOptions {
  clients: IdpClient[]
  users?: IdpUser[]
  host?: string
  port?: number
  /** Lifetime of ID and access tokens; default 3600. */
  tokenTtlS?: number
}

export interface SimIdp {
  /** The issuer (also the base URL): http://127.0.0.1:<port> */
  issuer: string
  users: IdpUser[]
  /** A JWT signed by the provider's current API signing key, published in its JWKS. */
  issueJwt (claims?: Record<string, unknown>, opts?: { expiresInS?: number, notBeforeS?: number, omitAudience?: boolean, audience?: string, issuer?: string }): Promise<string>
  /** A new API signing key becomes current; the old one leaves the JWKS unless keepOld. Returns the new kid. */
  rotateKeys (opts?: { keepOld?: boolean }): Promise<string>
  /** The public JWK of the current API signing key. */
  currentPublicJwk (): JWK
  /** How many times the JWKS was fetched. */
  jwksFetches (): number
  /**
   * Completes a sign-in over plain HTTP from the provider's authorization URL: follows its redirects,
   * posts the login form, and returns the URL the provider sends the browser back to (the client's redirect URI).
   */
  login (authorizationUrl: string, username?: string, password?: string): Promise<string>
  close (): Promise<void>
}

/** The demo user and groups; ROLE_SCOPES below maps the groups to vi-bff scopes. */
export const DEMO_USERS: IdpUser[] = [
  { username: 'demo', password: 'demo', sub: 'demo-user-0001', name: 'Demo User', email: 'demo@example.com', groups: ['vi-viewers', 'vi-exporters'] },
  { username: 'viewer', password: 'viewer', sub: 'viewer-user-0002', name: 'Read-only Viewer', email: 'viewer@example.com', groups: ['vi-viewers'] },
  { username: 'admin', password: 'admin', sub: 'admin-user-0003', name: 'Dataset Admin', email: 'admin@example.com', groups: ['vi-viewers', 'vi-exporters', 'vi-admins'] }
]
export const DEMO_ROLES_CLAIM = 'groups'
export const DEMO_ROLE_SCOPES = 'vi-viewers=datasets:read;vi-exporters=exports:write;vi-admins=datasets:delete+assets:delete+exports:write'

async function signingKey (alg: 'RS256' | 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const kid = randomUUID()
  return { kid, alg, privateKey, privateJwk: { ...await exportJWK(privateKey), kid, alg, use: 'sig' }, publicJwk: { ...await exportJWK(publicKey), kid, alg, use: 'sig' } }
}
type Key = Awaited<ReturnType<typeof signingKey>>

const html = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function loginPage (uid: string, clientId: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in - demo identity provider</title>
<style>body{font:16px system-ui;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}input{padding:.4rem}button{padding:.5rem}.error{color:#b00}</style></head>
<body><h1>Sign in</h1><p>to <strong>${html(clientId)}</strong> (demo provider: user <code>demo</code>, password <code>demo</code>)</p>
${error ? `<p class="error" role="alert">${html(error)}</p>` : ''}
<form method="post" action="/interaction/${html(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`
}

async function readForm (req: IncomingMessage): Promise<URLSearchParams> {
  let body = ''
  for await (const chunk of req) {
    body += String(chunk)
    if (body.length > 16_384) break
  }
  return new URLSearchParams(body)
}

/** Starts the provider on loopback (port 0 unless given). */
export async function startIdp (opts: SimIdpOptions): Promise<SimIdp> {
  const users = opts.users ?? DEMO_USERS
  const host = opts.host ?? '127.0.0.1'
  const server = createServer()
  const sockets = new Set<Socket>()
  server.on('connection', s => { sockets.add(s); s.once('close', () => sockets.delete(s)) })
  await new Promise<void>(resolve => server.listen(opts.port ?? 0, host, resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const issuer = `http://${host}:${port}`

  const providerKey = await signingKey('RS256')
  let apiKeys: Key[] = [await signingKey('RS256')]
  let fetches = 0
  const ttl = opts.tokenTtlS ?? 3600

  const configuration: Configuration = {
    clients: opts.clients.map(c => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic'
    })),
    jwks: { keys: [providerKey.privateJwk] },
    cookies: { keys: [randomUUID()] },
    // The demo's groups travel with the profile scope, as an IdP's "groups" claim mapper would put them.
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    ttl: { IdToken: ttl, AccessToken: ttl, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount (_ctx: KoaContextWithOIDC, id: string) {
      const user = users.find(u => u.sub === id)
      if (!user) return undefined
      return {
        accountId: id,
        claims: async () => ({ sub: id, name: user.name, preferred_username: user.username, email: user.email, email_verified: true, groups: user.groups })
      }
    },
    // First-party client: consent is implied, as a company IdP configures its own apps.
    async loadExistingGrant (ctx: KoaContextWithOIDC) {
      const { oidc } = ctx
      const existing = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId)
      if (existing) return oidc.provider.Grant.find(existing)
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! })
      grant.addOIDCScope('openid profile email')
      await grant.save()
      return grant
    }
  }
  const provider = new Provider(issuer, configuration)
  // Errors the provider answers on its own pages (bad client, bad redirect) are expected in tests, not worth a stack.
  provider.on('server_error', () => {})
  const callback = provider.callback()

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(err => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String((err as Error).message))
    })
  })

  async function handle (req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!
    if (path === '/jwks' && req.method === 'GET') {
      fetches++
      // The provider's ID-token key plus the API keys that issueJwt signs with (rotated by tests).
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'no-store' })
      res.end(JSON.stringify({ keys: [providerKey.publicJwk, ...apiKeys.map(k => k.publicJwk)] }))
      return
    }
    const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(path)
    if (!interaction) return callback(req, res)
    const details = await provider.interactionDetails(req, res)
    const clientId = String(details.params.client_id ?? '')
    if (req.method === 'GET' && !interaction[2]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(loginPage(details.uid, clientId))
      return
    }
    if (req.method === 'POST' && interaction[2]) {
      const form = await readForm(req)
      const user = users.find(u => u.username === form.get('username') && u.password === form.get('password'))
      if (!user) {
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        res.end(loginPage(details.uid, clientId, 'Unknown user or wrong password'))
        return
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false })
      return
    }
    res.writeHead(405, { 'content-type': 'text/plain' })
    res.end('method not allowed')
  }

  async function login (authorizationUrl: string, username = 'demo', password = 'demo'): Promise<string> {
    const jar = new Map<string, string>()
    const send = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } })
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';')
        const eq = pair!.indexOf('=')
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
      }
      await res.arrayBuffer()
      return res
    }
    let res = await send(authorizationUrl)
    for (let hops = 0; hops < 10; hops++) {
      const location = res.headers.get('location')
      if (!location) throw new Error(`the provider answered ${res.status} without a redirect`)
      const next = new URL(location, issuer)
      if (next.origin !== issuer) return next.href
      const uid = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(next.pathname)?.[1]
      res = uid
        ? await send(`${issuer}/interaction/${uid}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }).toString() })
        : await send(next.href)
      if (uid && res.status === 401) throw new Error('the provider refused the username or password')
    }
    throw new Error('too many redirects at the provider')
  }

  return {
    issuer,
    users,
    async issueJwt (claims = {}, o = {}) {
      const key = apiKeys[apiKeys.length - 1]!
      const now = Math.floor(Date.now() / 1000)
      const jwt = new SignJWT({ scope: '', ...claims })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(o.issuer ?? issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + (o.expiresInS ?? 300))
      if (!('sub' in claims)) jwt.setSubject('service-account-1')
      if (!o.omitAudience) jwt.setAudience(o.audience ?? opts.clients[0]?.clientId ?? 'vi-bff')
      if (o.notBeforeS !== undefined) jwt.setNotBefore(now + o.notBeforeS)
      return jwt.sign(key.privateKey as CryptoKey)
    },
    async rotateKeys (o = {}) {
      const next = await signingKey('RS256')
      apiKeys = o.keepOld ? [...apiKeys, next] : [next]
      return next.kid
    },
    currentPublicJwk: () => apiKeys[apiKeys.length - 1]!.publicJwk,
    jwksFetches: () => fetches,
    login,
    async close () {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
