// Fault injection: rules are checked in insertion order, the first match wins and uses one of
// its `times`.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendBuffer, type Sleeper } from './http.js'
import type { FaultRule } from './types.js'

export const DEFAULT_DROP_AFTER = 64 * 1024
const MAX_TIMER_MS = 2 ** 31 - 1

export function pathMatches (pattern: string | RegExp | undefined, pathname: string): boolean {
  if (pattern === undefined) return true
  if (typeof pattern === 'string') {
    return pattern.endsWith('*') ? pathname.startsWith(pattern.slice(0, -1)) : pathname === pattern
  }
  pattern.lastIndex = 0 // a /g or /y RegExp would otherwise remember where it stopped
  return pattern.test(pathname)
}

interface Slot { rule: FaultRule; left: number }

export class FaultTable {
  private slots: Slot[] = []

  add (rule: FaultRule): () => void {
    if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 200 && rule.status <= 599)) {
      throw new Error(`FaultRule.status must be an integer from 200 to 599, got ${rule.status}`)
    }
    const slot: Slot = { rule, left: rule.times ?? Infinity }
    this.slots.push(slot)
    return () => { this.slots = this.slots.filter((s) => s !== slot) }
  }

  clear (): void {
    this.slots = []
  }

  take (target: 'api' | 'storage', method: string, pathname: string): FaultRule | undefined {
    for (const s of this.slots) {
      const r = s.rule
      if (s.left <= 0) continue
      if ((r.target ?? 'api') !== target) continue
      if (r.method !== undefined && r.method.toUpperCase() !== method.toUpperCase()) continue
      if (!pathMatches(r.path, pathname)) continue
      s.left--
      if (s.left <= 0) this.slots = this.slots.filter((x) => x !== s)
      return r
    }
    return undefined
  }
}

/** Where a mid-body drop cuts a body of `total` bytes: never at or past its end. */
export function dropPoint (rule: FaultRule | undefined, total: number): number | undefined {
  if (rule?.drop !== 'mid-body') return undefined
  const want = rule.afterBytes ?? Math.min(DEFAULT_DROP_AFTER, Math.floor(total / 2))
  return Math.max(0, Math.min(want, total - 1))
}

/**
 * Applies the parts of a fault that replace or precede the normal answer.
 * Returns true when the request is fully handled (answered, dropped, or the client left).
 */
export async function applyFault (rule: FaultRule, req: IncomingMessage, res: ServerResponse, sleeper: Sleeper): Promise<boolean> {
  if (rule.delayMs !== undefined && rule.delayMs > 0) {
    if (!await sleeper.sleep(rule.delayMs, res)) return true
  }
  if (rule.hang) {
    await sleeper.sleep(MAX_TIMER_MS, res)
    return true
  }
  if (rule.drop === 'before-headers') {
    req.socket.destroy()
    return true
  }
  if (rule.drop === 'reset') {
    req.socket.resetAndDestroy()
    return true
  }
  if (rule.status === undefined) return false
  let payload: Buffer
  let type: string
  if (typeof rule.body === 'string') {
    payload = Buffer.from(rule.body)
    type = 'text/plain; charset=utf-8'
  } else if (rule.body === undefined) {
    const silent = rule.status === 204 || rule.status === 304 || rule.status < 200
    payload = silent ? Buffer.alloc(0) : Buffer.from(JSON.stringify({ message: `Simulated fault: HTTP ${rule.status}` }))
    type = 'application/json'
  } else {
    payload = Buffer.from(JSON.stringify(rule.body))
    type = 'application/json'
  }
  const headers: Record<string, string> = { 'content-type': type }
  for (const [k, v] of Object.entries(rule.headers ?? {})) headers[k.toLowerCase()] = v
  await sendBuffer(res, rule.status, headers, payload, dropPoint(rule, payload.length))
  return true
}
