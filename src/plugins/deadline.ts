import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Aborts when the caller goes away or REQUEST_TIMEOUT_MS after the request arrived (reason: a
     * TimeoutError). Made on first use, so requests served without it (cache hits) pay nothing.
     */
    readonly deadline: AbortSignal
  }
  interface FastifyInstance {
    /** REQUEST_TIMEOUT_MS, for code that reports which deadline passed. */
    requestTimeoutMs: number
  }
}

const DEADLINE = Symbol('vi-bff.deadline')
const ARRIVED = Symbol('vi-bff.arrived')
const TIMER = Symbol('vi-bff.deadline-timer')

/** One deadline per request: the caller's disconnect (Fastify's request.signal) or the request timeout. */
export default fp<{ timeoutMs: number }>(async function deadline (app, { timeoutMs }) {
  app.decorate('requestTimeoutMs', timeoutMs)
  app.decorateRequest(ARRIVED, 0)
  app.addHook('onRequest', (request, _reply, done) => {
    (request as unknown as Record<symbol, number>)[ARRIVED] = performance.now()
    done()
  })
  app.decorateRequest('deadline', {
    getter (this: FastifyRequest) {
      const self = this as FastifyRequest & { [DEADLINE]?: AbortSignal, [TIMER]?: AbortSignal, [ARRIVED]: number }
      if (self[DEADLINE]) return self[DEADLINE]
      // The timer counts from arrival, not from the first use.
      const left = Math.max(0, Math.round(timeoutMs - (performance.now() - self[ARRIVED])))
      // The request holds the timer's signal: Node 20 lets AbortSignal.any drop a source nothing else holds (the deadline never fires).
      const timer = AbortSignal.timeout(left)
      const signal = AbortSignal.any([this.signal, timer])
      self[DEADLINE] = signal
      self[TIMER] = timer
      return signal
    }
  })
}, { name: 'deadline' })
