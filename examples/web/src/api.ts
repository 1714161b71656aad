// The only way this app talks to anything: same-origin calls to vi-bff with the session cookie.
// No token or key is ever held in JavaScript; writes carry X-CSRF: 1 as vi-bff requires for cookie callers.

export interface Me { sub: string, name?: string | null, email?: string | null, scopes: string[], expiresAt?: number | null }

export interface Dataset {
  datasetId: string
  name: string
  type: string
  description: string | null
  createDate: number
  lastAccessed: number
  statistic: { assetTotal: number, annotationTotal: number, assetAnnotated: number }
}

export type ExportState = 'pending' | 'ready' | 'failed'

export interface DatasetExport {
  datasetId: string
  datasetExportId: string
  spec: { format: string, options: { normalized: boolean, splitRatio: number | null } }
  status: {
    state: ExportState
    conditions: Array<{ condition: string, status: string, reason: string | null, message: string | null }>
    downloadUrl: { url: string, expiresAt: number } | null
  }
  metadata: { timeCreated: number }
  selfLink: string
}

export interface Page<T> { items: T[], nextPageToken: string | null }

export interface Problem { type?: string, title?: string, status?: number, detail?: string, code?: string }

/** A non-2xx answer, carrying the problem+json body vi-bff sends with every error. */
export class ApiError extends Error {
  constructor (readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`)
  }
}

async function problemOf (res: Response): Promise<ApiError> {
  let problem: Problem = { title: res.statusText || `HTTP ${res.status}`, status: res.status }
  try {
    const body: unknown = await res.json()
    if (body !== null && typeof body === 'object') problem = body as Problem
  } catch {}
  return new ApiError(res.status, problem)
}

async function call<T> (method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') headers['X-CSRF'] = '1'
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { method, credentials: 'include', headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, { title: 'vi-bff cannot be reached', detail: 'The network request failed; check that vi-bff is running.' })
  }
  if (!res.ok) throw await problemOf(res)
  return await res.json() as T
}

const seg = encodeURIComponent

export const api = {
  me: () => call<Me>('GET', '/auth/me'),
  logout: () => call<{ endSessionUrl: string | null }>('POST', '/auth/logout'),
  datasets: (pageToken?: string) => call<Page<Dataset>>('GET', `/v1/datasets?pageSize=50${pageToken ? `&pageToken=${seg(pageToken)}` : ''}`),
  dataset: (id: string) => call<Dataset>('GET', `/v1/datasets/${seg(id)}`),
  exports: (id: string) => call<Page<DatasetExport>>('GET', `/v1/datasets/${seg(id)}/exports?pageSize=50`),
  createExport: (id: string, body: { format: string, options: { normalized: boolean, splitRatio: number | null } }) =>
    call<DatasetExport>('POST', `/v1/datasets/${seg(id)}/exports`, body),
  eventsUrl: (e: DatasetExport) => `/v1/datasets/${seg(e.datasetId)}/exports/${seg(e.datasetExportId)}/events`,
  loginUrl: (returnTo: string) => `/auth/login?returnTo=${seg(returnTo)}`
}
