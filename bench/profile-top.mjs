// Prints where a V8 .cpuprofile spends its samples: self time by function (top N) and by package/area.
//   node bench/profile-top.mjs bench/profiles/cache-memory-1.cpuprofile [N]
import { readFileSync } from 'node:fs'

const [file, topArg] = process.argv.slice(2)
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map(n => [n.id, n]))
const self = new Map()
for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1)
const total = profile.samples.length
const idle = n => n.callFrame.functionName === '(idle)'
const area = url => {
  if (!url) return '(native/V8)'
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1]
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:').split('/').slice(0, 2).join('/')
  const d = /\/dist\/(.*)$/.exec(url)
  return d ? 'vi-bff ' + d[1] : url
}
const fn = new Map()
const areas = new Map()
let busy = 0
for (const [id, count] of self) {
  const n = byId.get(id)
  if (idle(n)) continue
  busy += count
  const f = n.callFrame
  const key = `${f.functionName || '(anonymous)'} ${area(f.url)}:${f.lineNumber + 1}`
  fn.set(key, (fn.get(key) ?? 0) + count)
  const a = f.url ? area(f.url) : f.functionName
  areas.set(a, (areas.get(a) ?? 0) + count)
}
const pct = c => (100 * c / busy).toFixed(1).padStart(5) + '%'
console.log(`samples ${total}, busy ${busy} (${(100 * busy / total).toFixed(0)}%)`)
console.log('\n-- by area (self time, share of busy) --')
for (const [k, c] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(pct(c), k)
console.log('\n-- by function --')
for (const [k, c] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 40))) console.log(pct(c), k)
