/** A route's hook list with `hook` appended (for onRoute hooks that add work to marked routes only). */
export function withHook<T> (existing: T | T[] | undefined, hook: T): T[] {
  return [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook]
}
