import { LRUCache } from 'lru-cache'
import { freshGeneration, type Entry, type Store } from './store.js'

/**
 * The in-process store: an LRU bounded by entries and bytes (lru-cache), for a single replica.
 * Generations live in a plain Map: evicting one would reset it and could revive an invalidated entry.
 */
export function createMemoryStore (opts: { maxEntries: number, maxBytes: number }): Store {
  const entries = new LRUCache<string, Entry>({
    max: opts.maxEntries,
    maxSize: opts.maxBytes,
    sizeCalculation: e => e.b.length + 256
  })
  const generations = new Map<string, number>()

  return {
    kind: 'memory',
    async read (key, genKey) {
      return [entries.get(key) ?? null, generations.get(genKey)]
    },
    async generation (genKey) {
      let gen = generations.get(genKey)
      if (gen === undefined) generations.set(genKey, gen = freshGeneration())
      return gen
    },
    async write (key, entry, ttlMs) {
      entries.set(key, entry, { ttl: ttlMs })
    },
    async bump (genKeys) {
      for (const k of genKeys) generations.set(k, freshGeneration())
    },
    // One process: its own in-flight map already collapses concurrent loads.
    async acquire () { return 'local' },
    async release () {},
    state: () => 'ok',
    async ping () {},
    async close () { entries.clear() }
  }
}
