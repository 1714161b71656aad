'use strict'
// Preloaded (NODE_OPTIONS=--require) into the OpenAPI tools the tests run: a connection beyond loopback is refused
// and reported on stderr, so a tool that phones home (telemetry, update checks) fails the test instead of the network.
const net = require('node:net')
const connect = net.Socket.prototype.connect
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }
  const host = options.host ?? 'localhost'
  if (!options.path && !LOOPBACK.test(host)) {
    process.stderr.write(`NO-NETWORK: refused a connection to ${host}:${options.port}\n`)
    process.nextTick(() => this.destroy(new Error(`no network in tests (${host})`)))
    return this
  }
  return connect.apply(this, args)
}
