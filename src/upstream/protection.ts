import {
  BrokenCircuitError, BulkheadRejectedError, CircuitState, SamplingBreaker, bulkhead, circuitBreaker, handleWhenResult,
  type CircuitBreakerPolicy
} from 'cockatiel'
import { Errors, problem } from '../errors.js'
import { retryAfterSeconds } from './errors.js'

/**
 * Upstream protection around each attempt (cockatiel): a bounded queue for upstream requests (bulkhead) and a
 * circuit breaker per operation class. While a class's breaker is open (or its half-open probe runs), calls
 * of that class fail at once with 503 BFF_UPSTREAM_UNAVAILABLE + Retry-After and nothing is sent.
 */

/** Reads (GET, served stale from the cache on failure) and writes (POST, DELETE: no fallback) break apart. */
export type OpClass = 'read' | 'write'
export const OP_CLASSES: readonly OpClass[] = ['read', 'write']
export const opClass = (method: string): OpClass => method === 'GET' ? 'read' : 'write'

/** Gauge values: 0 closed, 1 half-open, 2 open. */
export type BreakerGauge = 0 | 1 | 2

export interface BreakerSettings {
  /** Failure share of the window's attempts that opens the breaker; 0 disables breakers. */
  threshold: number
  /** Attempts the window needs before it may open. */
  minRequests: number
  windowMs: number
  /** Time open before one probe may go through. */
  halfOpenMs: number
}

export interface ProtectionOptions<R> {
  breaker: BreakerSettings
  /** Concurrent upstream requests; more wait in a queue of `queueSize`, the rest get 503 at once. */
  maxConcurrent: number
  queueSize: number
  retryAfterMaxS: number
  /** An attempt's result that counts against its breaker (5xx, 429, transport errors, timeouts). */
  isFailure: (result: R) => boolean
  /** An attempt its own caller cut (abort, deadline): no evidence either way. */
  isNeutral: (result: R) => boolean
  onBreakerState?: (cls: OpClass, state: BreakerGauge) => void
  onBreakerRejected?: (cls: OpClass) => void
  onBulkheadRejected?: () => void
}

/** Retry-After of a bulkhead rejection: the queue moves at the pace of upstream answers. */
export const BUSY_RETRY_AFTER_S = 1

/** Thrown inside a breaker's execute for a neutral result, so the breaker records nothing. */
class Neutral<R> { constructor (readonly result: R) {} }

interface Breaker { policy: CircuitBreakerPolicy, openedAt: number }

const GAUGE: Record<CircuitState, BreakerGauge> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2
}

/** The 503s this module throws instead of sending an attempt. */
const rejections = new WeakSet<object>()

/** True for a refusal by a breaker or the bulkhead: nothing was sent for that attempt. */
export function isRejection (err: unknown): boolean {
  return rejections.has(err as object)
}

export function createProtection<R> (opts: ProtectionOptions<R>) {
  const { breaker: b } = opts
  const breakers = new Map<OpClass, Breaker>()
  if (b.threshold > 0) {
    for (const cls of OP_CLASSES) {
      const policy = circuitBreaker(handleWhenResult(r => opts.isFailure(r as R) || opts.isNeutral(r as R)), {
        halfOpenAfter: b.halfOpenMs,
        breaker: new SamplingBreaker({ threshold: b.threshold, duration: b.windowMs, minimumRps: b.minRequests * 1000 / b.windowMs })
      })
      const breaker: Breaker = { policy, openedAt: 0 }
      policy.onStateChange(state => {
        if (state === CircuitState.Open) breaker.openedAt = Date.now()
        opts.onBreakerState?.(cls, GAUGE[state])
      })
      breakers.set(cls, breaker)
    }
  }
  for (const cls of OP_CLASSES) opts.onBreakerState?.(cls, 0)
  const queue = bulkhead(opts.maxConcurrent, opts.queueSize)

  function unavailable (cls: OpClass, leftMs: number) {
    opts.onBreakerRejected?.(cls)
    const err = problem(Errors.UpstreamUnavailable, [`circuit breaker open after repeated ${cls} failures`], { retryAfter: retryAfterSeconds(leftMs, opts.retryAfterMaxS) })
    rejections.add(err)
    return err
  }

  /** Throws the 503 while `cls`'s breaker refuses calls: open and not yet due for a probe, or a probe running. */
  function admit (cls: OpClass): void {
    const breaker = breakers.get(cls)
    if (!breaker) return
    const state = breaker.policy.state
    if (state === CircuitState.Closed) return
    if (state === CircuitState.Open) {
      const left = breaker.openedAt + b.halfOpenMs - Date.now()
      if (left > 0) throw unavailable(cls, left)
      return // this call may be the probe
    }
    throw unavailable(cls, 1000)
  }

  /** The call would get through the breaker of `cls` now (retries are not spent on a breaker that refuses). */
  function closed (cls: OpClass): boolean {
    const breaker = breakers.get(cls)
    return !breaker || breaker.policy.state === CircuitState.Closed
  }

  /** Runs `fn` through `cls`'s breaker (outcome recorded) without waiting behind another call's probe. */
  async function throughBreaker (cls: OpClass, fn: () => Promise<R>): Promise<R> {
    const breaker = breakers.get(cls)
    if (!breaker) return fn()
    admit(cls)
    try {
      return await breaker.policy.execute(async () => {
        const result = await fn()
        // A cut probe proves nothing: it counts as failed (the breaker stays open); elsewhere it is not counted.
        if (opts.isNeutral(result) && breaker.policy.state !== CircuitState.HalfOpen) throw new Neutral(result)
        return result
      })
    } catch (err) {
      if (err instanceof Neutral) return err.result as R
      if (err instanceof BrokenCircuitError) throw unavailable(cls, breaker.openedAt + b.halfOpenMs - Date.now())
      throw err
    }
  }

  /**
   * Runs one attempt: refused at once by an open breaker, then a place in the bulkhead (waiting in its queue
   * at most until `signal` fires), then the attempt through the breaker. `fn` must not throw, and must return
   * at once (a neutral result) when `signal` fired while it waited.
   */
  async function run (cls: OpClass, signal: AbortSignal | undefined, fn: () => Promise<R>): Promise<R> {
    admit(cls)
    // The queue entry is not given the signal: cockatiel would drop a cancelled entry without starting the next.
    let started = false
    const queued = queue.execute(() => {
      started = true
      return signal?.aborted ? fn() : throughBreaker(cls, fn)
    })
    try {
      // Once started, the attempt ends by itself when the signal fires (and reports what it may have sent).
      return await untilAborted(queued, signal, () => started)
    } catch (err) {
      if (err instanceof BulkheadRejectedError) {
        opts.onBulkheadRejected?.()
        // The same code as an open breaker (the error contract keeps one code for "not now, retry later").
        const busy = problem(Errors.UpstreamUnavailable, [`vi-bff's ${opts.maxConcurrent} upstream request slots and ${opts.queueSize} queue places are taken`], { retryAfter: BUSY_RETRY_AFTER_S })
        rejections.add(busy)
        throw busy
      }
      throw err
    }
  }

  return { run, closed }
}
export type Protection<R> = ReturnType<typeof createProtection<R>>

/** `promise`, or a rejection with the signal's reason if it fires before `started()` (the promise goes on unobserved). */
function untilAborted<T> (promise: Promise<T>, signal: AbortSignal | undefined, started: () => boolean): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => { if (!started()) reject(signal.reason) }
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
