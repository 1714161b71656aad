/**
 * orval's fetch client through its documented "mutator" hook: the base URL and key of the test's vi-bff, and the
 * body parsed by its Content-Type (orval 7's built-in fetch client parses every body as JSON, archives included).
 */
export const orvalTarget = { baseUrl: '', headers: {} as Record<string, string> }

export async function viBffFetch<T> (url: string, init: RequestInit): Promise<T> {
  const headers = new Headers(init.headers)
  for (const [name, value] of Object.entries(orvalTarget.headers)) if (!headers.has(name)) headers.set(name, value)
  const res = await fetch(new URL(url, orvalTarget.baseUrl), { ...init, headers })
  const type = res.headers.get('content-type') ?? ''
  const empty = init.method === 'HEAD' || [204, 205, 304].includes(res.status)
  const data = empty ? undefined : /json/.test(type) ? await res.json() : /^application\/zip/.test(type) ? await res.blob() : await res.text()
  // orval's mutator contract: the generic T is the generated {status, data, headers} union for this operation.
  return { status: res.status, data, headers: res.headers } as T
}
