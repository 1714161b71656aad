import { loadConfig } from '../src/config.js'
import { startServer } from '../src/server.js'
import { WEB_DIST } from './build-web.js'
import { startDemoStack } from './demo-stack.js'

/**
 * `npm run demo` (after `npm run build:web`): the simulated Vi upstream with seeded datasets and exports,
 * a local OpenID provider with a demo user, and vi-bff in front of both on port 3000 with the in-memory
 * cache and sessions, serving the example app (examples/web) at /. Nothing here is on the production start path.
 */
const DEMO_KEY = process.env.DEMO_API_KEY ?? 'demo-key-please-change'
const HOST = process.env.HOST ?? '127.0.0.1'
const PORT = process.env.PORT ?? '3000'
const base = `http://${HOST === '0.0.0.0' ? '127.0.0.1' : HOST}:${PORT}`
const publicUrl = process.env.PUBLIC_URL ?? base

const stack = await startDemoStack({ publicUrl, staticDir: WEB_DIST, apiKey: DEMO_KEY, exportReadyAfterMs: 20_000 })
const config = loadConfig({
  ...stack.env,
  PORT,
  HOST,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  CORS_ORIGINS: process.env.CORS_ORIGINS ?? ''
})
await startServer(config, { onClose: stack.close })

const user = stack.user
process.stdout.write(`
vi-bff demo is running (simulated Vi upstream at ${stack.sim.url}, local OpenID provider at ${stack.idp.issuer},
in-memory cache and sessions)

  Example app:  ${publicUrl}/
    sign in as  ${user.username}  /  password: ${user.password}  (groups: ${user.groups.join(', ')})
  API key:      ${DEMO_KEY}
  Docs:         ${base}/docs
  OpenAPI:      ${base}/openapi.json

Try:
  curl -s -H 'Authorization: Bearer ${DEMO_KEY}' ${base}/v1/datasets
  curl -s -H 'X-API-Key: ${DEMO_KEY}' ${base}/v1/datasets/retail-shelf-grounding/exports
  curl -s -X POST -H 'Authorization: Bearer ${DEMO_KEY}' -H 'Content-Type: application/json' \\
       -d '{"format":"VI_JSONL","options":{"splitRatio":0.8}}' ${base}/v1/datasets/retail-shelf-grounding/exports

Ctrl-C stops it.
`)
