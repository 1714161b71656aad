import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** The hand-written notes kept beside a benchmark (bench/<name>-notes.md), or ''. */
export function benchNotes (name: string): string {
  const file = join(here, `${name}-notes.md`)
  return existsSync(file) ? '\n' + readFileSync(file, 'utf8').trim() + '\n' : ''
}

/** Replaces (or appends) the section headed `marker` in bench/RESULTS.md, leaving the other sections alone. */
export function writeResultsSection (marker: string, section: string): void {
  const file = join(here, 'RESULTS.md')
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  const start = current.indexOf(marker)
  let next: string
  if (start < 0) {
    next = current.trimEnd() + '\n\n' + section
  } else {
    const after = current.indexOf('\n## ', start + marker.length)
    next = current.slice(0, start) + section + (after < 0 ? '' : '\n' + current.slice(after + 1))
  }
  writeFileSync(file, next.trimEnd() + '\n')
  process.stderr.write(`# wrote ${marker} in ${file}\n`)
}
