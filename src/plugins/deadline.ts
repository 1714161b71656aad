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
/**
 * The reason when the request closes: one instance for all requests, as every request closes (most after their
 * response) and a DOMException per request (with its stack) cost more than the rest of the deadline.
 */
const CLOSED = new DOMException('The request closed', 'AbortError')

/**
 * One deadline per request: the caller's disconnect (the request's 'close', as Fastify's request.signal) or the
 * request timeout (reason: a TimeoutError DOMException, as AbortSignal.timeout gives). One AbortController, one
 * timer (cleared when the request closes) and one listener: AbortSignal.any over request.signal and
 * AbortSignal.timeout cost three signals, weak references and more garbage per request. The timer's closure and
 * the request hold the controller, so nothing can be collected before it fires (the Node 20 AbortSignal.any bug
 * that dropped unreferenced sources does not apply).
 */
export default fp<{ timeoutMs: number }>(async function deadline (app, { timeoutMs }) {
  app.decorate('requestTimeoutMs', timeoutMs)
  app.decorateRequest(ARRIVED, 0)
  app.addHook('onRequest', (request, _reply, done) => {
    (request as unknown as Record<symbol, number>)[ARRIVED] = performance.now()
    done()
  })
  app.decorateRequest('deadline', {
    getter (this: FastifyRequest) {
      const self = this as FastifyRequest & { [DEADLINE]?: AbortSignal, [ARRIVED]: number }
      if (self[DEADLINE]) return self[DEADLINE]
      const controller = new AbortController()
      self[DEADLINE] = controller.signal
      // The timer counts from arrival, not from the first use.
      const left = Math.max(0, Math.round(timeoutMs - (performance.now() - self[ARRIVED])))
      const timer = setTimeout(() => {
        if (!controller.signal.aborted) controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
      }, left)
      timer.unref()
      // As Fastify's request.signal: the request's 'close'.
      this.raw.once('close', () => {
        clearTimeout(timer)
        if (!controller.signal.aborted) controller.abort(CLOSED)
      })
      return controller.signal
    }
  })
}, { name: 'deadline' })
