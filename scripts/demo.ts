import { startSimUpstream, seedDemo } from '../sim/index.js'
import { loadConfig } from '../src/config.js'
import { startServer } from '../src/server.js'

/**
 * `npm run demo`: the simulated Vi upstream with seeded datasets and exports, and vi-bff in front of it
 * on port 3000 with the in-memory cache. Nothing here is on the production start path.
 */
const ORG = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f'
const SECRET = 'dtvi_' + 'demo'.repeat(24) + 'de'
const DEMO_KEY = process.env.DEMO_API_KEY ?? 'demo-key-please-change'

const sim = await startSimUpstream({ orgs: [{ id: ORG, secretKey: SECRET }], exportReadyAfterMs: 20_000 })
seedDemo(sim, ORG)

const config = loadConfig({
  PORT: process.env.PORT ?? '3000',
  HOST: process.env.HOST ?? '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  DATATURE_VI_SECRET_KEY: SECRET,
  DATATURE_VI_ORGANIZATION_ID: ORG,
  DATATURE_VI_API_ENDPOINT: sim.url,
  API_KEYS: `demo:${DEMO_KEY}`,
  ARCHIVE_HOST_ALLOWLIST: new URL(sim.storageUrl).hostname,
  CORS_ORIGINS: process.env.CORS_ORIGINS ?? ''
})
await startServer(config, { onClose: () => sim.close() })

const base = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`
process.stdout.write(`
vi-bff demo is running (simulated Vi upstream at ${sim.url}, in-memory cache)

  API key:  ${DEMO_KEY}
  Docs:     ${base}/docs
  OpenAPI:  ${base}/openapi.json

Try:
  curl -s -H 'Authorization: Bearer ${DEMO_KEY}' ${base}/v1/datasets
  curl -s -H 'X-API-Key: ${DEMO_KEY}' ${base}/v1/datasets/retail-shelf-grounding/exports
  curl -s -X POST -H 'Authorization: Bearer ${DEMO_KEY}' -H 'Content-Type: application/json' \\
       -d '{"format":"VI_JSONL","options":{"splitRatio":0.8}}' ${base}/v1/datasets/retail-shelf-grounding/exports

Ctrl-C stops it.
`)
