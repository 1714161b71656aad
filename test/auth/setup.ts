import type { TestContext } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startIdp, DEMO_ROLES_CLAIM, DEMO_ROLE_SCOPES, type SimIdp } from '../../sim/idp.js'
import { build, startSim, type Built } from '../helper.js'

export const CLIENT_ID = 'vi-bff'
export const CLIENT_SECRET = 'client-secret-for-tests-0123456789abcdef'
export const SESSION_SECRET = 'session-secret-for-tests-0123456789abcdefgh'
export const OLD_SESSION_SECRET = 'an-older-session-secret-0123456789abcdefgh'
export const PUBLIC_URL = 'http://localhost:3000'
export const HTTPS_PUBLIC_URL = 'https://app.example.com'

/** The test provider: the vi-bff client registered with both test PUBLIC_URLs' callbacks. */
export async function startTestIdp (t: TestContext, extra: { tokenTtlS?: number } = {}): Promise<SimIdp> {
  const idp = await startIdp({
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`${PUBLIC_URL}/auth/callback`, `${HTTPS_PUBLIC_URL}/auth/callback`],
      postLogoutRedirectUris: [`${PUBLIC_URL}/`, `${HTTPS_PUBLIC_URL}/`]
    }],
    ...extra
  })
  t.after(() => idp.close())
  return idp
}

export function signInEnv (idp: SimIdp, env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PUBLIC_URL,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    SESSION_SECRET,
    ROLES_CLAIM: DEMO_ROLES_CLAIM,
    ROLE_SCOPES: DEMO_ROLE_SCOPES,
    ...env
  }
}

/** The sim upstream, the provider and a vi-bff with sign-in on. */
export async function setup (t: TestContext, env: Record<string, string | undefined> = {}, idpOpts: { tokenTtlS?: number } = {}) {
  const sim = await startSim(t)
  sim.addDataset((await import('../helper.js')).ORG, { id: 'ds1' })
  const idp = await startTestIdp(t, idpOpts)
  const built = await build(t, sim, signInEnv(idp, env))
  return { sim, idp, ...built }
}

export interface Cookie { name: string, value: string, attributes: Record<string, string | true> }

export function setCookies (res: LightMyRequestResponse): Cookie[] {
  const raw = res.headers['set-cookie']
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  return list.map(line => {
    const [pair, ...attrs] = line.split(';').map(s => s.trim())
    const eq = pair!.indexOf('=')
    const attributes: Record<string, string | true> = {}
    for (const a of attrs) {
      const i = a.indexOf('=')
      attributes[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? true : a.slice(i + 1)
    }
    return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes }
  })
}

export function cookieNamed (res: LightMyRequestResponse, name: string): Cookie | undefined {
  return setCookies(res).find(c => c.name === name)
}

export interface SignedIn { name: string, value: string, location: string, callback: LightMyRequestResponse }

/** The whole browser sign-in: /auth/login, the provider's form, /auth/callback. Returns the session cookie. */
export async function signIn (app: FastifyInstance, idp: SimIdp, opts: { returnTo?: string, user?: string, headers?: Record<string, string>, cookies?: Record<string, string> } = {}): Promise<SignedIn> {
  const login = await app.inject({ method: 'GET', url: '/auth/login' + (opts.returnTo !== undefined ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''), headers: opts.headers ?? {} })
  if (login.statusCode !== 302) throw new Error(`login answered ${login.statusCode}: ${login.body}`)
  const loginCookie = setCookies(login).find(c => c.name.endsWith('vibff_login'))!
  const back = new URL(await idp.login(login.headers.location as string, opts.user ?? 'demo', opts.user ?? 'demo'))
  const callback = await app.inject({
    method: 'GET',
    url: back.pathname + back.search,
    headers: opts.headers ?? {},
    cookies: { ...opts.cookies, [loginCookie.name]: loginCookie.value }
  })
  if (callback.statusCode !== 302) throw new Error(`callback answered ${callback.statusCode}: ${callback.body}`)
  const session = setCookies(callback).find(c => c.name.endsWith('vibff_session'))!
  return { name: session.name, value: session.value, location: callback.headers.location as string, callback }
}

export type { Built, SimIdp }
