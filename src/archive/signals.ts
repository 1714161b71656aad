/** `work`, or the signal's reason as soon as the signal fires (the work itself is left to stop on its own signal). */
export function bounded<T> (work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

const ABORT_NAMES = new Set(['AbortError', 'TimeoutError'])
const ABORT_CODES = new Set(['ABORT_ERR', 'UND_ERR_ABORTED', 'BFF_CLIENT_CLOSED', 'BFF_REQUEST_TIMEOUT'])

/** Whether an error is a signal firing (whoever threw it), not a failure of its own. */
export function isAbort (err: unknown): boolean {
  const e = err as { name?: string, code?: string } | null
  return ABORT_NAMES.has(e?.name ?? '') || ABORT_CODES.has(e?.code ?? '')
}

const KEEP = Symbol('vi-bff.keep')

/**
 * AbortSignal.any([signal, AbortSignal.timeout(ms)]), with the timer's signal held by the result: Node 20's
 * AbortSignal.any keeps only weak references to its sources, so a timeout signal nothing else holds can be garbage
 * collected before it fires, and the result then never aborts (`node --expose-gc` shows it; Node 22+ hold it).
 */
export function withTimeout (signal: AbortSignal, ms: number): AbortSignal {
  const timer = AbortSignal.timeout(ms)
  const any = AbortSignal.any([signal, timer])
  Object.defineProperty(any, KEEP, { value: timer })
  return any
}
