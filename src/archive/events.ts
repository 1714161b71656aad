import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import type { CallContext } from '../upstream/client.js'
import type { DatasetExport } from '../schemas/exports.js'
import type { ExportResolver } from './stream.js'
import { bounded } from './signals.js'
import { problemBody, type ProblemSource } from '../problem-body.js'

/** One Server-Sent Events listener; the route owns its connection. */
export interface ExportListener {
  send: (event: string, data: string) => void
  end: () => void
  /** The listener's request, for the `problem` event's body (as an HTTP problem of that request would say). */
  instance: string
  requestId: string
}

/** The poller: backoff between reads through the cache (which holds a pending export 1 s by default). */
const POLL_MIN_MS = 500
const POLL_MAX_MS = 5_000
const POLL_MAX_ERRORS = 10

/** Changes whenever a listener should hear about the export (not on a mere URL re-signing). */
const stateSignature = (e: DatasetExport) =>
  JSON.stringify([e.status.state, e.status.conditions.map(c => [c.condition, c.status, c.lastTransitionTime])])

interface Poller { listeners: Set<ExportListener>, last: { signature: string, event: string, data: string }, wake: AbortController }

/** Export progress for Server-Sent Events: one poller per export in this process, shared by its listeners. */
export function createExportEvents (opts: { datasets: ExportResolver, log: FastifyBaseLogger, closing: AbortSignal }) {
  const { datasets, log, closing } = opts
  const pollers = new Map<string, Poller>()

  function broadcast (p: Poller, event: string, data: string) {
    for (const l of p.listeners) l.send(event, data)
  }

  function finish (key: string, p: Poller) {
    if (pollers.get(key) === p) pollers.delete(key)
    const listeners = [...p.listeners]
    p.listeners.clear()
    for (const l of listeners) l.end()
  }

  /** One loop per export, however many listeners: reads through the cache with backoff. */
  async function poll (key: string, p: Poller, datasetId: string, exportId: string) {
    let delay = POLL_MIN_MS
    let errors = 0
    while (p.listeners.size > 0 && !closing.aborted) {
      try {
        await sleep(delay, undefined, { signal: AbortSignal.any([p.wake.signal, closing]) })
      } catch {
        break
      }
      delay = Math.min(delay * 1.5, POLL_MAX_MS)
      try {
        const { export: exp } = await datasets.resolveExport(datasetId, exportId, {})
        errors = 0
        const signature = stateSignature(exp)
        if (signature !== p.last.signature) {
          p.last = { signature, event: exp.status.state, data: JSON.stringify(exp) }
          broadcast(p, p.last.event, p.last.data)
          delay = POLL_MIN_MS
        }
        if (exp.status.state !== 'pending') break
      } catch (err) {
        const e = err as ProblemSource
        log.warn({ err, datasetId, exportId }, 'export events: reading the export failed')
        if (e.statusCode === 404 || ++errors >= POLL_MAX_ERRORS) {
          for (const l of p.listeners) l.send('problem', JSON.stringify(problemBody(e, l.instance, l.requestId)))
          break
        }
      }
    }
    finish(key, p)
  }

  /**
   * Adds a listener to the export's poller (starting one if none): it hears `initial` or the latest
   * known state at once, then every change, until ready or failed. Returns the unsubscribe function.
   */
  function subscribe (datasetId: string, exportId: string, initial: DatasetExport, listener: ExportListener): () => void {
    const key = `${datasetId}/${exportId}`
    let p = pollers.get(key)
    if (!p) {
      p = { listeners: new Set(), last: { signature: stateSignature(initial), event: initial.status.state, data: JSON.stringify(initial) }, wake: new AbortController() }
      pollers.set(key, p)
      p.listeners.add(listener)
      poll(key, p, datasetId, exportId).catch(err => log.error({ err }, 'export events poller crashed'))
    } else {
      p.listeners.add(listener)
    }
    listener.send(p.last.event, p.last.data)
    const poller = p
    return () => {
      poller.listeners.delete(listener)
      if (poller.listeners.size === 0) {
        // The next listener starts a new poller rather than joining one that is stopping.
        if (pollers.get(key) === poller) pollers.delete(key)
        poller.wake.abort()
      }
    }
  }

  return {
    /** Resolves an export for the events route: 404 and upstream errors surface before the stream starts. */
    current: async (datasetId: string, exportId: string, ctx: CallContext) => {
      const work = datasets.resolveExport(datasetId, exportId, ctx)
      return (await (ctx.signal ? bounded(work, ctx.signal) : work)).export
    },
    subscribe,
    /** Pollers running in this process (for tests and metrics). */
    pollerCount: () => pollers.size,
    /** Ends every event stream. */
    shutdown () {
      for (const [key, p] of pollers) finish(key, p)
    }
  }
}
