import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import {
  parseRange, resolveRange, formatRange, parseContentRange, archiveEtag, exportTag, parseIfRange, storageIfRange,
  validatorHolds, sliceStream
} from '../../src/archive/ranges.js'

describe('byte ranges', () => {
  it('parses one range and ignores anything else', () => {
    assert.deepEqual(parseRange('bytes=0-99'), { kind: 'from', start: 0, end: 99 })
    assert.deepEqual(parseRange('bytes=100-'), { kind: 'from', start: 100, end: null })
    assert.deepEqual(parseRange('bytes=-5'), { kind: 'suffix', length: 5 })
    assert.deepEqual(parseRange('Bytes = 1 - 2'), { kind: 'from', start: 1, end: 2 })
    for (const h of [undefined, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'bytes=0-1,3-4', 'items=0-1', 'bytes=1e3-', 'bytes=0-9999999999999999']) {
      assert.equal(parseRange(h), null, String(h))
    }
  })

  it('resolves against the size, or says unsatisfiable', () => {
    assert.deepEqual(resolveRange({ kind: 'from', start: 0, end: 99 }, 50), { start: 0, end: 49 })
    assert.deepEqual(resolveRange({ kind: 'suffix', length: 500 }, 50), { start: 0, end: 49 })
    assert.equal(resolveRange({ kind: 'from', start: 50, end: null }, 50), null)
    assert.equal(resolveRange({ kind: 'suffix', length: 0 }, 50), null)
    assert.equal(formatRange({ kind: 'from', start: 3, end: null }), 'bytes=3-')
    assert.equal(formatRange({ kind: 'suffix', length: 3 }), 'bytes=-3')
  })

  it('reads Content-Range strictly', () => {
    assert.deepEqual(parseContentRange('bytes 0-9/100'), { start: 0, end: 9, total: 100 })
    assert.deepEqual(parseContentRange('bytes */100'), { start: -1, end: -1, total: 100 })
    for (const v of [undefined, 'bytes 9-0/100', 'bytes 0-100/100', 'bytes 0-9/*', 'items 0-9/100']) assert.equal(parseContentRange(v), null, String(v))
  })
})

describe('archive validators', () => {
  const tag = exportTag('org', 'ds1', 'exp-1')

  it('builds an ETag from the export and storage\'s strong ETag (or the size), never the URL', () => {
    assert.match(tag, /^[A-Za-z0-9_-]{16}$/)
    assert.notEqual(exportTag('org', 'ds1', 'exp-2'), tag)
    const etag = archiveEtag(tag, '"abc123"', 10)
    assert.equal(etag, `"vi.${tag}.e${Buffer.from('abc123').toString('base64url')}"`)
    assert.equal(archiveEtag(tag, 'W/"weak"', 10), `"vi.${tag}.z10"`)
    assert.equal(archiveEtag(tag, undefined, 10), `"vi.${tag}.z10"`)
  })

  it('translates If-Range for storage and checks it against what storage sent', () => {
    const byEtag = parseIfRange(archiveEtag(tag, '"abc123"', 10), tag)
    assert.deepEqual(byEtag, { kind: 'etag', storageEtag: '"abc123"' })
    assert.equal(storageIfRange(byEtag), '"abc123"')
    assert.equal(validatorHolds(byEtag, '"abc123"', undefined, 10), true)
    assert.equal(validatorHolds(byEtag, '"other"', undefined, 10), false)
    const bySize = parseIfRange(archiveEtag(tag, undefined, 10), tag)
    assert.deepEqual(bySize, { kind: 'size', total: 10 })
    assert.equal(storageIfRange(bySize), undefined)
    assert.equal(validatorHolds(bySize, undefined, undefined, 11), false)
    const byDate = parseIfRange('Wed, 15 Jan 2025 09:30:00 GMT', tag)
    assert.equal(storageIfRange(byDate), 'Wed, 15 Jan 2025 09:30:00 GMT')
    assert.equal(validatorHolds(byDate, undefined, 'Wed, 15 Jan 2025 09:30:00 GMT', 1), true)
    for (const v of [`W/${archiveEtag(tag, '"abc"', 1)}`, archiveEtag(exportTag('org', 'ds1', 'other'), '"abc"', 1), '"abc"', 'yesterday', `"vi.${tag}.e${Buffer.from('a\r\nb').toString('base64url')}"`]) {
      assert.deepEqual(parseIfRange(v, tag), { kind: 'never' }, v)
    }
  })
})

describe('sliceStream', () => {
  const source = () => Readable.from([Buffer.from('0123'), Buffer.from('4567'), Buffer.from('89')])
  const read = async (r: Readable) => { const parts: Buffer[] = []; for await (const c of r) parts.push(c as Buffer); return Buffer.concat(parts).toString() }

  it('cuts a window across chunks and stops reading the source', async () => {
    assert.equal(await read(sliceStream(source(), 3, 4)), '3456')
    assert.equal(await read(sliceStream(source(), 0, 10)), '0123456789')
    assert.equal(await read(sliceStream(source(), 9, 1)), '9')
    const s = source()
    await read(sliceStream(s, 0, 2))
    assert.equal(s.destroyed, true)
  })

  it('closes the source when it is destroyed before anyone read it (a caller gone before the first byte)', async () => {
    const s = source()
    const out = sliceStream(s, 3, 4)
    out.destroy()
    await new Promise(resolve => out.once('close', resolve))
    assert.equal(s.destroyed, true)
  })

  it('fails when the source ends before the window does', async () => {
    await assert.rejects(read(sliceStream(source(), 5, 10)), /ended the archive early/)
  })
})
