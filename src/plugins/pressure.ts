import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { Errors, problem } from '../errors.js'
import { sendProblem } from './problems.js'

/**
 * Routes never shed: liveness must stay cheap and true, metrics are most needed while overloaded, and readiness
 * keeps answering from its own checks (a fleet that is overloaded everywhere must not leave the load balancer
 * with no replica at all; shed requests already cost almost nothing).
 */
export const NEVER_SHED = new Set(['/healthz', '/readyz', '/metrics'])

type Reason = 'eventLoopDelay' | 'eventLoopUtilization' | 'heapUsedBytes' | 'rssBytes'

interface Limits { eventLoopDelayMs: number, eventLoopUtilization: number, heapUsedBytes: number, rssBytes: number }

/** The first limit the last sample passed, in @fastify/under-pressure's order, or undefined. */
function passed (app: FastifyInstance, limits: Limits): Reason | undefined {
  const m = app.memoryUsage()
  if (limits.eventLoopDelayMs > 0 && m.eventLoopDelay > limits.eventLoopDelayMs) return 'eventLoopDelay'
  if (limits.heapUsedBytes > 0 && m.heapUsed > limits.heapUsedBytes) return 'heapUsedBytes'
  if (limits.rssBytes > 0 && m.rssBytes > limits.rssBytes) return 'rssBytes'
  if (limits.eventLoopUtilization > 0 && m.eventLoopUtilized > limits.eventLoopUtilization) return 'eventLoopUtilization'
  return undefined
}

const shed = Promise.resolve()

/**
 * Load shedding with @fastify/under-pressure: past a SHED_* limit (sampled every SHED_SAMPLE_INTERVAL_MS), every
 * request but NEVER_SHED gets 503 BFF_OVERLOADED with Retry-After, before authentication or any other work.
 * One log line per transition into or out of pressure (never one per request) and the vibff_overloaded gauge.
 */
export default fp<{ config: Config }>(async function pressure (app, { config }) {
  const limits: Limits = {
    eventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
    eventLoopUtilization: config.SHED_EVENT_LOOP_UTILIZATION,
    heapUsedBytes: config.shedHeapUsedBytes,
    rssBytes: config.SHED_RSS_BYTES
  }
  if (Object.values(limits).every(v => v === 0)) return
  const retryAfter = config.SHED_RETRY_AFTER_S
  const interval = config.SHED_SAMPLE_INTERVAL_MS
  // Booting (compiling schemas, connecting) blocks the loop; the sample that saw it is no reason to shed.
  let armed = false
  let arming: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    arming = setTimeout(() => { armed = true }, interval + 10)
    arming.unref()
  })

  await app.register(underPressure, {
    sampleInterval: interval,
    maxEventLoopDelay: limits.eventLoopDelayMs,
    maxEventLoopUtilization: limits.eventLoopUtilization,
    // Utilisation over the last sample interval, not since the process started.
    eventLoopUtilizationMode: 'interval',
    maxHeapUsedBytes: limits.heapUsedBytes,
    maxRssBytes: limits.rssBytes,
    retryAfter,
    // Answered here rather than thrown: the error handler would log every shed request as a failure.
    pressureHandler: (request, reply, type) => {
      if (!armed || NEVER_SHED.has(request.routeOptions.url ?? '')) return
      app.metrics.shedRequests.inc({ reason: type })
      sendProblem(request, reply, problem(Errors.Overloaded, [], { retryAfter }))
      // A settled promise: the hook chain stops because the reply is sent.
      return shed
    }
  })

  let current: Reason | undefined
  const watch = setInterval(() => {
    if (!armed) return
    const now = passed(app, limits)
    if (now === current) return
    const m = app.memoryUsage()
    const sample = { eventLoopDelayMs: Math.round(m.eventLoopDelay), eventLoopUtilization: Number(m.eventLoopUtilized.toFixed(3)), heapUsedBytes: m.heapUsed, rssBytes: m.rssBytes }
    if (now && !current) app.log.warn({ reason: now, sample, limits }, 'overloaded: shedding requests')
    else if (!now) app.log.info({ sample, limits }, 'no longer overloaded: serving requests')
    current = now
    app.metrics.overloaded.set(now ? 1 : 0)
  }, interval)
  watch.unref()
  app.addHook('onClose', async () => {
    clearInterval(watch)
    clearTimeout(arming)
  })
}, { name: 'pressure', dependencies: ['metrics', 'problems'] })
