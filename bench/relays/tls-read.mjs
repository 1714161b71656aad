// Issue 11 side measurement: what the storage *read* side costs per GiB with undici and with a net/tls
// socket reading into a reused buffer (`onread`), over plain TCP and over TLS (production storage is https).
// The relays in bench/archive.ts read plain HTTP from the simulated storage; this isolates the read side
// so the TLS case can be judged: the bytes are read and dropped (no caller side), in a fresh client process
// per measurement, the client's own user + system CPU time taken from process.cpuUsage().
//
//   node bench/relays/tls-read.mjs [--mib 1024] [--rounds 3]
//
// The server (a child process) answers every GET with a Content-Length body of --mib MiB, one 64 KiB block
// written over and over; TLS uses a throwaway self-signed certificate made with openssl, TLS 1.3 (AES-GCM).
import { fork, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServer as createTcpServer, connect as tcpConnect } from 'node:net'
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls'

const self = fileURLToPath(import.meta.url)
const role = process.env.TLS_READ_ROLE

async function serve () {
  const size = Number(process.env.TLS_READ_BYTES)
  const block = Buffer.alloc(64 * 1024, 'vi-bff ')
  const onConnection = socket => {
    socket.on('error', () => {})
    socket.once('data', () => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`)
      let left = size
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, block.length)
          left -= n
          if (!socket.write(n === block.length ? block : block.subarray(0, n))) { socket.once('drain', pump); return }
        }
        socket.end()
      }
      pump()
    })
  }
  const server = process.env.TLS_READ_TLS === '1'
    ? createTlsServer({ key: readFileSync(process.env.TLS_READ_KEY), cert: readFileSync(process.env.TLS_READ_CERT) }, onConnection)
    : createTcpServer(onConnection)
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
}

/** One download read and dropped; resolves to the body bytes. */
function readOnce (mode, tls, port) {
  if (mode === 'undici') {
    return import('undici').then(async ({ Agent }) => {
      const agent = new Agent({ connect: { rejectUnauthorized: false } })
      const res = await agent.request({ origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, path: '/', method: 'GET' })
      let n = 0
      for await (const chunk of res.body) n += chunk.length
      await agent.close()
      return n
    })
  }
  // onread: one reused 64 KiB buffer (nothing holds it after the callback: the bytes are dropped).
  return new Promise((resolve, reject) => {
    let head = ''
    let body = 0
    const callback = (nread, buf) => {
      if (head !== null) {
        head += buf.toString('latin1', 0, nread)
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        body += head.length - end - 4
        head = null
      } else {
        body += nread
      }
    }
    const opts = { host: '127.0.0.1', port, onread: { buffer: Buffer.allocUnsafeSlow(64 * 1024), callback } }
    const socket = tls ? tlsConnect({ ...opts, rejectUnauthorized: false }) : tcpConnect(opts)
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
    socket.on('error', reject)
    socket.on('close', () => resolve(body))
  })
}

async function client () {
  const port = Number(process.env.TLS_READ_PORT)
  const tls = process.env.TLS_READ_TLS === '1'
  const mode = process.env.TLS_READ_MODE
  await readOnce(mode, tls, port) // warm-up (its size is the same; not measured)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const bytes = await readOnce(mode, tls, port)
  const c = process.cpuUsage(c0)
  const seconds = (performance.now() - t0) / 1000
  process.send({ bytes, seconds, user: c.user / 1e6, system: c.system / 1e6 })
}

function child (env) {
  return fork(self, [], { env: { PATH: process.env.PATH, MALLOC_TRIM_THRESHOLD_: '67108864', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

async function main () {
  const { values } = parseArgs({ options: { mib: { type: 'string', default: '1024' }, rounds: { type: 'string', default: '3' } } })
  const bytes = Number(values.mib) * 1024 * 1024
  const dir = mkdtempSync(join(tmpdir(), 'vi-bff-tls-read-'))
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' })
  const servers = {}
  for (const tls of ['0', '1']) {
    const s = child({ TLS_READ_ROLE: 'server', TLS_READ_TLS: tls, TLS_READ_BYTES: String(bytes), TLS_READ_KEY: key, TLS_READ_CERT: cert })
    servers[tls] = { s, port: await new Promise(resolve => s.once('message', m => resolve(m.port))) }
  }
  process.stderr.write(`# load average before: ${loadavg().map(l => l.toFixed(2)).join(' ')}\n`)
  const results = {}
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const tls of ['0', '1']) {
      for (const mode of ['undici', 'onread']) {
        const c = child({ TLS_READ_ROLE: 'client', TLS_READ_TLS: tls, TLS_READ_MODE: mode, TLS_READ_PORT: String(servers[tls].port) })
        const r = await new Promise((resolve, reject) => { c.once('message', resolve); c.once('exit', code => reject(new Error(`client exited ${code}`))) })
        c.removeAllListeners('exit')
        c.kill()
        if (r.bytes !== bytes) throw new Error(`${mode} read ${r.bytes} of ${bytes} bytes`)
        const gib = r.bytes / 1024 ** 3
        const name = `${tls === '1' ? 'tls' : 'plain'} ${mode}`
        const row = { mbs: r.bytes / r.seconds / 1e6, cpu: (r.user + r.system) / gib, user: r.user / gib, system: r.system / gib }
        ;(results[name] ??= []).push(row)
        process.stderr.write(`# round ${round} ${name}: ${row.mbs.toFixed(0)} MB/s, ${row.cpu.toFixed(2)} CPU s/GiB (user ${row.user.toFixed(2)}, system ${row.system.toFixed(2)})\n`)
      }
    }
  }
  for (const { s } of Object.values(servers)) s.kill()
  rmSync(dir, { recursive: true, force: true })
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
  console.log('| read side | MB/s (median) | CPU s/GiB (median) | user | system | all rounds CPU s/GiB |')
  console.log('|---|---:|---:|---:|---:|---|')
  for (const [name, rows] of Object.entries(results)) {
    console.log(`| ${name} | ${median(rows.map(r => r.mbs)).toFixed(0)} | ${median(rows.map(r => r.cpu)).toFixed(2)} | ${median(rows.map(r => r.user)).toFixed(2)} | ${median(rows.map(r => r.system)).toFixed(2)} | ${rows.map(r => r.cpu.toFixed(2)).join(', ')} |`)
  }
}

if (role === 'server') await serve()
else if (role === 'client') await client()
else await main()
