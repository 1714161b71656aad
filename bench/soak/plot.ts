// A hand-rolled SVG of the soak's series: one panel per measure, time on x, fault and process events marked.

export interface Series { name: string, color: string, points: Array<[number, number | null]>, dashed?: boolean }
export interface Panel { title: string, unit: string, series: Series[], log?: boolean }
export interface Mark { t: number, label: string }

const W = 1100
const PH = 170
const LEFT = 70
const RIGHT = 190
const TOP = 62
const GAP = 46

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (v: number) => v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2)

export function renderSvg (title: string, durationS: number, panels: Panel[], marks: Mark[]): string {
  const legendLines: string[] = []
  for (let i = 0; i < marks.length; i += 4) {
    legendLines.push(marks.slice(i, i + 4).map((m, j) => `${i + j + 1}: ${m.label} (${m.t.toFixed(0)} s)`).join('    '))
  }
  const height = TOP + panels.length * (PH + GAP) + 8 + legendLines.length * 14
  const plotW = W - LEFT - RIGHT
  const x = (t: number) => LEFT + (Math.max(0, Math.min(durationS, t)) / durationS) * plotW
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    `<text x="${LEFT}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`
  ]
  panels.forEach((p, i) => {
    const top = TOP + i * (PH + GAP)
    const values = p.series.flatMap(s => s.points.map(([, v]) => v)).filter((v): v is number => v !== null && Number.isFinite(v))
    const max = Math.max(p.log ? 1 : 0, ...values) * 1.08 || 1
    const min = p.log ? Math.max(0.1, Math.min(...values.filter(v => v > 0), max)) : 0
    const y = (v: number) => {
      const f = p.log ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min) || 1) : v / max
      return top + PH - f * PH
    }
    out.push(`<text x="${LEFT}" y="${top - 8}" font-weight="bold">${esc(p.title)} (${esc(p.unit)}${p.log ? ', log scale' : ''})</text>`)
    out.push(`<rect x="${LEFT}" y="${top}" width="${plotW}" height="${PH}" fill="none" stroke="#999"/>`)
    const ticks = p.log ? logTicks(min, max) : [0, max / 4, max / 2, (3 * max) / 4, max / 1.08]
    for (const v of ticks) {
      out.push(`<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`)
      out.push(`<text x="${LEFT - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${fmt(v)}</text>`)
    }
    for (let t = 0; t <= durationS; t += durationS > 200 ? 60 : 30) {
      out.push(`<text x="${x(t).toFixed(1)}" y="${top + PH + 13}" text-anchor="middle" fill="#555">${t}s</text>`)
    }
    for (const m of marks) {
      out.push(`<line x1="${x(m.t).toFixed(1)}" x2="${x(m.t).toFixed(1)}" y1="${top}" y2="${top + PH}" stroke="#d33" stroke-dasharray="3,3" stroke-opacity="0.6"/>`)
    }
    p.series.forEach((s, j) => {
      let d = ''
      let pen = false
      for (const [t, v] of s.points) {
        if (v === null || !Number.isFinite(v)) { pen = false; continue }
        d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`
        pen = true
      }
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`)
      const ly = top + 12 + j * 15
      out.push(`<line x1="${W - RIGHT + 12}" x2="${W - RIGHT + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`)
      out.push(`<text x="${W - RIGHT + 36}" y="${ly}">${esc(s.name)}</text>`)
    })
  })
  // Event labels under the title, numbered to their marks.
  marks.forEach((m, i) => {
    out.push(`<text x="${x(m.t).toFixed(1)}" y="${TOP - 26}" text-anchor="middle" fill="#d33" font-weight="bold">${i + 1}</text>`)
  })
  const legendTop = TOP + panels.length * (PH + GAP) - 4
  legendLines.forEach((line, i) => out.push(`<text x="${LEFT}" y="${legendTop + i * 14}" fill="#d33" font-size="10">${esc(line)}</text>`))
  out.push('</svg>')
  return out.join('\n')
}

function logTicks (min: number, max: number): number[] {
  const ticks: number[] = []
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    const v = 10 ** e
    if (v >= min && v <= max) ticks.push(v)
  }
  return ticks
}
