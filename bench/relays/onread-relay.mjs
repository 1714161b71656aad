// The `onread` relay of bench/archive.ts (issue 11): the minimal Fastify relay's shape, but the storage side
// is a plain net socket reading into a small pool of reused buffers (net.connect's `onread` option) instead
// of undici, and each chunk goes to the caller with `res.write` straight from the buffer it was read into.
// No fresh buffer per socket read, no copy into llhttp's wasm memory, no Readable in between.
//
// The buffer hand-off (Node 20, lib/internal/stream_base_commons.js onStreamRead): for every read, Node calls
// `callback(nread, buf)` and then the `buffer` function; a Uint8Array it returns is where the next read
// lands (anything else keeps the old buffer). Returning false from `callback` stops reading (readStop)
// until socket.resume(). So:
//   - a buffer is owned by exactly one of: the pool, the socket (the next read lands there), or a write in
//     flight; it goes back to the pool only in the `res.write` callback, when the caller's socket no longer
//     references it (never overwritten while a write holds it);
//   - `callback` stops reading once POOL_SIZE - 1 writes are in flight (the socket holds the last buffer);
//     reading resumes when a write completes. A slow caller therefore pauses storage with POOL_SIZE buffers
//     in use (the bounded memory). Over plain TCP the pool is then exactly used up.
//   - Over TLS, stopping is not immediate: TLSWrap goes on handing out the cleartext it already decrypted
//     from the last TCP read (16 KiB per callback) after readStop. So the `buffer` function may find the
//     pool empty; it then adds a fresh buffer to the pool for good (counted in stats.grown). The pause
//     counts writes in flight, not free buffers, so the pool grows by at most one such overshoot.
// Prototype limits: one request per connection (Connection: close), Content-Length bodies only (the simulated
// storage never sends chunked; a chunked answer is refused with 502), no timeouts. An https origin is read with
// tls.connect and the same `onread` option (certificate not checked: the bench's TLS front is self-signed).
import { connect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

const BUF_SIZE = Number(process.env.BENCH_ONREAD_KIB ?? 64) * 1024
const POOL_SIZE = Number(process.env.BENCH_ONREAD_BUFFERS ?? 4)
/** Cork the caller's socket for one turn of the event loop per batch of reads: over TLS a batch is several 16 KiB chunks, sent with one writev. */
const CORK = process.env.BENCH_ONREAD_CORK === '1'
const MAX_HEAD = 64 * 1024
const COPIED = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag']

/** Parses an HTTP/1.x response head (latin1 text without the final blank line). */
function parseHead (text) {
  const lines = text.split('\r\n')
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')
  if (!m) return null
  const headers = {}
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]
    const colon = line.indexOf(':')
    if (colon <= 0) return null
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(m[1]), headers }
}

/**
 * Relays GET `path` from `storage` ({ host, port }) to `res`. `range` is forwarded as is.
 * Counters (reads, pauses, buffers added to the pool) are kept in `stats` for the bench's sanity checks.
 */
export function relay (storage, path, range, res, stats) {
  const pool = Array.from({ length: POOL_SIZE }, () => Buffer.allocUnsafeSlow(BUF_SIZE))
  let head = ''
  let remaining = -1 // body bytes still to send, once the head is parsed
  let paused = false
  let inFlight = 0
  let done = false
  let socket = null
  let corked = false
  const uncork = () => { if (corked) { corked = false; res.uncork() } }

  function finish (ok) {
    if (done) return
    done = true
    socket.destroy()
    uncork()
    if (ok) res.end()
    else res.destroy()
  }

  /** A write's callback: the caller's socket has let go of `buf`. */
  function release (buf) {
    pool.push(buf)
    inFlight--
    if (paused && !done && inFlight < POOL_SIZE - 1) {
      paused = false
      socket.resume()
    }
  }

  function send (buf, start, end) {
    const n = Math.min(end - start, remaining)
    remaining -= n
    if (n === 0) { pool.push(buf); return }
    if (CORK && !corked) { corked = true; res.cork(); setImmediate(uncork) }
    inFlight++
    res.write(buf.subarray(start, start + n), () => release(buf))
    if (remaining === 0) finish(true)
  }

  function onData (nread, buf) {
    if (done) { pool.push(buf); return false }
    stats.reads++
    if (remaining < 0) {
      const before = head.length
      head += buf.toString('latin1', 0, nread)
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) {
        pool.push(buf)
        if (head.length > MAX_HEAD) fail(502)
        return !done
      }
      const parsed = parseHead(head.slice(0, end))
      const length = Number(parsed?.headers['content-length'])
      if (!parsed || parsed.headers['transfer-encoding'] !== undefined || !Number.isSafeInteger(length) || length < 0) {
        pool.push(buf)
        fail(502)
        return false
      }
      const headers = {}
      for (const name of COPIED) if (parsed.headers[name] !== undefined) headers[name] = parsed.headers[name]
      res.writeHead(parsed.status, headers)
      remaining = length
      if (length === 0) { pool.push(buf); finish(true); return false }
      send(buf, end + 4 - before, nread)
    } else {
      send(buf, 0, nread)
    }
    if (done) return false
    // The `buffer` function runs next and takes one from the pool for the next read.
    if (inFlight >= POOL_SIZE - 1) {
      paused = true
      stats.pauses++
      return false
    }
    return true
  }

  function fail (status) {
    if (done) return
    if (!res.headersSent) {
      done = true
      socket.destroy()
      res.writeHead(status, { 'content-length': '0' }).end()
    } else {
      finish(false)
    }
  }

  socket = (storage.tls ? tlsConnect : connect)({
    host: storage.host,
    port: storage.port,
    ...(storage.tls ? { rejectUnauthorized: false } : {}),
    onread: {
      buffer: () => {
        if (done) return undefined // the socket is destroyed: no read will land anywhere
        const b = pool.pop()
        if (b !== undefined) return b
        stats.grown++
        return Buffer.allocUnsafeSlow(BUF_SIZE)
      },
      callback: onData
    }
  })
  socket.setNoDelay(true)
  socket.on(storage.tls ? 'secureConnect' : 'connect', () => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${storage.host}:${storage.port}\r\nUser-Agent: vi-bff-bench-onread\r\n` +
      `Accept-Encoding: identity\r\nConnection: close\r\n${range ? `Range: ${range}\r\n` : ''}\r\n`)
  })
  socket.on('error', () => fail(502))
  // Storage closed before the whole body (or the head) arrived: the caller must not see a short body as complete.
  socket.on('close', () => { if (!done) fail(502) })
  // The caller went away (or the response ended): no more reading from storage.
  res.on('close', () => {
    if (!done) { done = true; socket.destroy() }
  })
}

/** The Fastify app: same shape as the `relay` row (one catch-all GET route), the reply hijacked. */
export async function startOnreadRelay (origin) {
  const { default: Fastify } = await import('fastify')
  const url = new URL(origin)
  const tls = url.protocol === 'https:'
  const storage = { host: url.hostname, port: Number(url.port || (tls ? 443 : 80)), tls }
  const stats = { reads: 0, pauses: 0, grown: 0 }
  const app = Fastify({ logger: false })
  app.get('/*', (request, reply) => {
    reply.hijack()
    const range = request.headers.range
    relay(storage, request.url, typeof range === 'string' ? range : undefined, reply.raw, stats)
  })
  app.get('/__onread_stats', async () => stats)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return Object.assign(app, { onreadStats: stats })
}
