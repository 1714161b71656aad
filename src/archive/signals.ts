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
