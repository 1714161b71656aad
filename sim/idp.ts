// A local OpenID provider (oidc-provider) on loopback for `npm run demo` and the browser test: one confidential
// client (vi-bff), one demo user whose groups map to vi-bff scopes, a login page that checks the password, and
// consent granted without asking (a first-party app). Never imported by src/.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import Provider from 'oidc-provider'

export interface IdpUser { sub: string, login: string, password: string, name: string, email: string, groups: string[] }

export interface IdpOptions {
  host?: string
  clientId: string
  clientSecret: string
  redirectUris: string[]
  postLogoutRedirectUris?: string[]
  users?: IdpUser[]
}

export interface Idp {
  issuer: string
  /** The user `npm run demo` prints (the first of `users`). */
  demoUser: IdpUser
  /** vi-bff's ROLE_SCOPES for the demo groups. */
  roleScopes: string
  close: () => Promise<void>
}

export const DEMO_USER: IdpUser = {
  sub: 'demo-user-0001',
  login: 'demo',
  password: 'demo-password',
  name: 'Dana Demo',
  email: 'dana.demo@example.com',
  groups: ['vi-viewers', 'vi-exporters']
}
export const DEMO_ROLE_SCOPES = 'vi-viewers=datasets:read;vi-exporters=exports:write;vi-admins=datasets:delete+assets:delete'

const esc = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function page (title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}
label{display:block;margin:.75rem 0 .25rem}input{font:inherit;width:100%;padding:.4rem;box-sizing:border-box}
button{font:inherit;margin-top:1rem;padding:.5rem 1rem}.error{color:#b3261e}.hint{color:#5b6470;font-size:.9rem}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`
}

function loginForm (uid: string, error?: string, login = ''): string {
  return page('Demo identity provider', `${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label for="login">Login</label><input id="login" name="login" required autofocus value="${esc(login)}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>
<p class="hint">A local provider for the vi-bff demo; <code>npm run demo</code> prints the login.</p>`)
}

async function readForm (req: IncomingMessage): Promise<URLSearchParams> {
  let body = ''
  for await (const chunk of req) {
    body += String(chunk)
    if (body.length > 16_384) break
  }
  return new URLSearchParams(body)
}

export async function startIdp (opts: IdpOptions): Promise<Idp> {
  const host = opts.host ?? '127.0.0.1'
  const users = opts.users ?? [DEMO_USER]
  const server = createServer()
  const sockets = new Set<Socket>()
  server.on('connection', s => { sockets.add(s); s.once('close', () => sockets.delete(s)) })
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, host, () => resolve()) })
  const { port } = server.address() as AddressInfo
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const provider = new Provider(issuer, {
    clients: [{
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      redirect_uris: opts.redirectUris,
      post_logout_redirect_uris: opts.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic'
    }],
    jwks: { keys: [{ ...key, kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'groups'], email: ['email', 'email_verified'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // `form` is the provider's hidden logout form (with its xsrf token); the buttons submit it.
        logoutSource: (ctx: { body: string }, form: string) => {
          ctx.body = page('Sign out', `${form}<p>Sign out of the demo identity provider too?</p>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`)
        }
      }
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const user = users.find(u => u.sub === sub)
      if (!user) return undefined
      return { accountId: sub, claims: () => ({ sub, name: user.name, email: user.email, email_verified: true, groups: user.groups }) }
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 }
  })
  const callback = provider.callback()

  async function interaction (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const details = await provider.interactionDetails(req, res)
    if (details.uid !== uid) throw new Error('interaction mismatch')
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body)
    }
    if (details.prompt.name === 'login') {
      if (req.method === 'GET' && action === undefined) return html(200, loginForm(uid))
      if (req.method === 'POST' && action === 'login') {
        const form = await readForm(req)
        const user = users.find(u => u.login === form.get('login') && u.password === form.get('password'))
        if (!user) return html(401, loginForm(uid, 'Unknown login or wrong password.', form.get('login') ?? ''))
        return provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false })
      }
    }
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      // First-party demo client: grant what it asked for without a consent page.
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) })
      grant.addOIDCScope(String(details.params.scope ?? 'openid'))
      grant.addOIDCClaims(['name', 'email', 'email_verified', 'groups'])
      const grantId = await grant.save()
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true })
    }
    return html(400, page('Sign-in problem', '<p>This sign-in step is not supported; start again from the app.</p>'))
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?$/.exec((req.url ?? '').split('?')[0] ?? '')
    if (!m) return callback(req, res)
    interaction(req, res, m[1] as string, m[2]).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Sign-in expired', '<p>This sign-in has expired; start again from the app.</p>'))
      else res.destroy()
    })
  })

  return {
    issuer,
    demoUser: users[0] as IdpUser,
    roleScopes: DEMO_ROLE_SCOPES,
    close: () => new Promise<void>(resolve => {
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
    })
  }
}
