import { context, trace, ProxyTracerProvider, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api'
import type { FastifyPluginCallback, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from '../config.js'
import { safeUrl } from '../plugins/problems.js'

/**
 * OpenTelemetry traces (design.md "Operations"), on only when an OTLP endpoint is configured. Off, nothing here
 * runs: the SDK is never imported, no Fastify plugin, log mixin or span is added, and callers test `telemetry()`
 * once while building, never per request. The SDK is global to the process, so one is started at most.
 */
export interface Telemetry {
  /** vi-bff's own spans (cache lookups). */
  tracer: Tracer
  /** @fastify/otel's plugin: the request span (continuing a caller's traceparent), ended with the status. */
  fastifyPlugin: FastifyPluginCallback
  /** Exports every ended span now. */
  flush: () => Promise<void>
}

let active: Telemetry | undefined
let stop: (() => Promise<void>) | undefined

/** Longest wait for the last spans to reach the collector on shutdown. */
export const SHUTDOWN_FLUSH_MS = 2_000

/** The running telemetry, or undefined when tracing is off. */
export function telemetry (): Telemetry | undefined {
  return active
}

/**
 * Only requests to the Vi API are traced: its client alone sends Organization-Id (storage gets a signed URL and
 * never that header; the identity provider neither), so nothing else gets a span or a traceparent.
 */
function isViApiRequest (request: { headers?: unknown }): boolean {
  const headers = request.headers
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'organization-id') return true
    }
    return false
  }
  return typeof headers === 'string' && /^organization-id:/im.test(headers)
}

/**
 * Starts the Node SDK with the OTLP/HTTP (JSON) exporter, W3C trace context, and instrumentation for Fastify
 * (@fastify/otel, registered as a plugin by app.ts) and for undici (diagnostics_channel: no loader hooks).
 * Returns undefined, and does nothing, when no endpoint is configured.
 */
export async function startTelemetry (config: Config): Promise<Telemetry | undefined> {
  if (!config.tracesEndpoint) return undefined
  if (active) return active
  const [{ NodeSDK }, { OTLPTraceExporter }, { UndiciInstrumentation }, otel] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@fastify/otel')
  ])
  const undici = new UndiciInstrumentation({
    // Storage (signed URLs: the query string is the credential), the identity provider and anything else: no span, no traceparent.
    ignoreRequestHook: request => !isViApiRequest(request),
    // Vi API URLs carry no credential, but a query parameter that looks like one is redacted all the same.
    requestHook: (span, request) => {
      const safe = safeUrl(String(request.path))
      const q = safe.indexOf('?')
      span.setAttribute('url.full', new URL(String(request.origin)).origin + safe)
      span.setAttribute('url.query', q === -1 ? '' : safe.slice(q))
    }
  })
  const fastify = new otel.FastifyOtelInstrumentation({
    // One span per request; hook and handler spans would multiply the cost for little insight.
    instrumentHooks: false,
    instrumentHandler: false,
    // Error messages go in the span status; stack traces stay in the logs.
    recordExceptions: false,
    requestHook: (span: Span, request: FastifyRequest) => {
      span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`)
      // @fastify/otel records the raw URL; a query string may carry a credential.
      span.setAttribute('url.path', request.url.split('?')[0] ?? '/')
    }
  })
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME,
    traceExporter: new OTLPTraceExporter({ url: config.tracesEndpoint }),
    instrumentations: [undici, fastify],
    // Traces only: metrics stay on /metrics (Prometheus), logs on stdout (pino).
    metricReaders: [],
    logRecordProcessors: []
  })
  sdk.start()
  const provider = trace.getTracerProvider()
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider
  const flush = async () => { await (delegate as { forceFlush?: () => Promise<void> }).forceFlush?.() }
  active = { tracer: trace.getTracer('vi-bff'), fastifyPlugin: fastify.plugin() as FastifyPluginCallback, flush }
  stop = () => sdk.shutdown()
  return active
}

/** Flushes the last spans (bounded by SHUTDOWN_FLUSH_MS) and stops the SDK. */
export async function shutdownTelemetry (): Promise<void> {
  if (!stop) return
  const done = stop
  stop = undefined
  active = undefined
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    done().catch(() => undefined),
    new Promise(resolve => { timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS) })
  ])
  clearTimeout(timer)
}

/** traceId and spanId of the active span, for every log line written while a traced request runs. */
function traceIds (): Record<string, string> {
  const span = trace.getSpan(context.active())
  if (!span) return {}
  const { traceId, spanId } = span.spanContext()
  return { traceId, spanId }
}

/** Fastify's logger options with the trace-id mixin when tracing is on; unchanged otherwise. */
export function withTraceIds (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!active || !logger || typeof logger !== 'object') return logger
  return { ...logger, mixin: traceIds }
}

/**
 * Runs `fn` in a child span named `name`, ended when it settles; the result's attributes come from `describe`.
 * A rejection sets the span's status to the error's code.
 */
export async function inSpan<T> (tracer: Tracer, name: string, attributes: Record<string, string>, fn: () => Promise<T>, describe: (value: T) => Record<string, string>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async span => {
    try {
      const value = await fn()
      span.setAttributes(describe(value))
      return value
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String((err as { code?: string }).code ?? 'error') })
      throw err
    } finally {
      span.end()
    }
  })
}
