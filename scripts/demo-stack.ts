import { createServer } from 'node:net'
import { startSimUpstream, seedDemo, type SimUpstream } from '../sim/index.js'
import { DEMO_ROLES_CLAIM, DEMO_ROLE_SCOPES, startIdp, type IdpUser, type SimIdp } from '../sim/idp.js'

/**
 * The demo's moving parts, shared by `npm run demo` and the browser test: the simulated Vi upstream (seeded),
 * a local OpenID provider with the demo user, and the environment that points vi-bff at both and at the
 * built example app. Nothing here is on the production start path.
 */
export const DEMO_ORG = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f'
const DEMO_SECRET = 'dtvi_' + 'demo'.repeat(24) + 'de'
export const DEMO_CLIENT_ID = 'vi-bff-demo'
// Demo-only values: a real deployment takes these from its provider and its secret store.
const DEMO_CLIENT_SECRET = 'demo-client-secret-not-for-production-0001'
const DEMO_SESSION_SECRET = 'demo-session-secret-not-for-production-000000000001'

export interface DemoStackOptions {
  /** The origin browsers use for vi-bff (PUBLIC_URL), e.g. http://127.0.0.1:3000. */
  publicUrl: string
  staticDir: string
  apiKey: string
  host?: string
  exportReadyAfterMs?: number
}

export interface DemoStack {
  sim: SimUpstream
  idp: SimIdp
  /** The user `npm run demo` prints; the browser test signs in as this one. */
  user: IdpUser
  /** vi-bff's environment for this stack (PORT/HOST excluded). */
  env: Record<string, string>
  close: () => Promise<void>
}

export async function startDemoStack (opts: DemoStackOptions): Promise<DemoStack> {
  const sim = await startSimUpstream({ orgs: [{ id: DEMO_ORG, secretKey: DEMO_SECRET }], exportReadyAfterMs: opts.exportReadyAfterMs ?? 20_000 })
  seedDemo(sim, DEMO_ORG)
  let idp: SimIdp
  try {
    idp = await startIdp({
      host: opts.host ?? '127.0.0.1',
      clients: [{
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        redirectUris: [`${opts.publicUrl}/auth/callback`],
        postLogoutRedirectUris: [`${opts.publicUrl}/`]
      }]
    })
  } catch (err) {
    await sim.close()
    throw err
  }
  const env: Record<string, string> = {
    DATATURE_VI_SECRET_KEY: DEMO_SECRET,
    DATATURE_VI_ORGANIZATION_ID: DEMO_ORG,
    DATATURE_VI_API_ENDPOINT: sim.url,
    API_KEYS: `demo:${opts.apiKey}`,
    ARCHIVE_HOST_ALLOWLIST: new URL(sim.storageUrl).hostname,
    PUBLIC_URL: opts.publicUrl,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: DEMO_CLIENT_ID,
    OIDC_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    SESSION_SECRET: DEMO_SESSION_SECRET,
    ROLES_CLAIM: DEMO_ROLES_CLAIM,
    ROLE_SCOPES: DEMO_ROLE_SCOPES,
    DEFAULT_USER_SCOPES: 'datasets:read',
    STATIC_DIR: opts.staticDir
  }
  return {
    sim,
    idp,
    user: idp.users[0] as IdpUser,
    env,
    close: async () => { await Promise.allSettled([idp.close(), sim.close()]) }
  }
}

/** A port that was free a moment ago on `host` (vi-bff's port must be known before its config exists). */
export function freePort (host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, host, () => {
      const addr = s.address()
      s.close(() => (addr !== null && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}
