import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One exported span, flattened from OTLP/HTTP JSON: attribute values as plain JS values. */
export interface SinkSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  kind: number
  scope: string
  service: string
  attributes: Record<string, unknown>
  status: { code?: number, message?: string }
}

export interface OtlpSink {
  /** The base URL to use as OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  url: string
  spans: SinkSpan[]
  /** Raw request bodies, for checks that no secret appears anywhere in what was exported. */
  bodies: string[]
  /** Content types of the POSTs received. */
  contentTypes: string[]
  /** Number of POST /v1/traces received. */
  posts: () => number
  /** Number of spans received (counted also with `keep: false`). */
  spanCount: () => number
  close: () => Promise<void>
}

interface AnyValue { stringValue?: string, intValue?: number | string, doubleValue?: number, boolValue?: boolean, arrayValue?: { values?: AnyValue[] } }
interface KeyValue { key: string, value: AnyValue }

function valueOf (v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf)
  return undefined
}

const attrs = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map(kv => [kv.key, valueOf(kv.value)]))

/** Flattens one OTLP/HTTP JSON ExportTraceServiceRequest. */
export function decodeTraces (body: string): SinkSpan[] {
  const doc = JSON.parse(body) as {
    resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }, scopeSpans?: Array<{ scope?: { name?: string }, spans?: Array<{ traceId: string, spanId: string, parentSpanId?: string, name: string, kind: number, attributes?: KeyValue[], status?: { code?: number, message?: string } }> }> }>
  }
  const out: SinkSpan[] = []
  for (const rs of doc.resourceSpans ?? []) {
    const service = String(attrs(rs.resource?.attributes)['service.name'] ?? '')
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind, scope: ss.scope?.name ?? '', service, attributes: attrs(s.attributes), status: s.status ?? {} })
      }
    }
  }
  return out
}

/**
 * A minimal OTLP/HTTP traces receiver on loopback (POST /v1/traces, JSON bodies), for tests and the traces bench.
 * `keep: false` only counts (the bench's sink must not grow).
 */
export async function startOtlpSink (opts: { keep?: boolean } = {}): Promise<OtlpSink> {
  const keep = opts.keep ?? true
  const spans: SinkSpan[] = []
  const bodies: string[] = []
  const contentTypes: string[] = []
  let posts = 0
  let spanCount = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => { chunks.push(c) })
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end()
        return
      }
      posts++
      const body = Buffer.concat(chunks).toString('utf8')
      if (keep) {
        contentTypes.push(String(req.headers['content-type']))
        bodies.push(body)
        const decoded = decodeTraces(body)
        spans.push(...decoded)
        spanCount += decoded.length
      } else {
        spanCount += body.split('"spanId":').length - 1
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    contentTypes,
    posts: () => posts,
    spanCount: () => spanCount,
    close: () => new Promise<void>(resolve => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
}
