/**
 * Retry budget (after Finagle's RetryBudget): every first attempt deposits `ratio` of a token, every retry
 * withdraws one, and both leave the balance once they are older than the window. The floor lets a quiet
 * service still retry a blip: within any window, retries may reach max(ratio × first attempts, floor × window s).
 * So a fully failing upstream sees at most (1 + ratio) requests per call once calls arrive at 5 × floor per second.
 */

export interface RetryBudgetOptions {
  /** Share of first attempts that may be retried (UPSTREAM_RETRY_BUDGET, 0.2). */
  ratio: number
  /** Retries per second always allowed, however few first attempts there were (UPSTREAM_RETRY_MIN_PER_S). */
  minPerSecond: number
  /** How long a deposit or withdrawal counts (10 s, Finagle's default). */
  windowMs?: number
  /** Slots the window decays in (10). */
  slots?: number
  /** For tests: a clock in milliseconds. */
  now?: () => number
}

export interface RetryBudget {
  /** Records a first attempt. */
  deposit (): void
  /** Takes one retry from the budget; false (nothing taken) when it is spent. */
  tryWithdraw (): boolean
  /** Whole retries the budget allows right now. */
  balance (): number
}

export function createRetryBudget (opts: RetryBudgetOptions): RetryBudget {
  const windowMs = opts.windowMs ?? 10_000
  const count = opts.slots ?? 10
  const slotMs = windowMs / count
  const now = opts.now ?? (() => performance.now())
  const floor = opts.minPerSecond * windowMs / 1000
  const deposits = new Array<number>(count).fill(0)
  const withdrawals = new Array<number>(count).fill(0)
  let current = Math.floor(now() / slotMs)

  /** Empties the slots that fell out of the window since the last call; returns the current slot's index. */
  function advance (): number {
    const slot = Math.floor(now() / slotMs)
    for (let s = current + 1; s <= Math.min(slot, current + count); s++) {
      deposits[s % count] = 0
      withdrawals[s % count] = 0
    }
    if (slot > current) current = slot
    return current % count
  }

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

  function balance (): number {
    advance()
    // The epsilon keeps 0.2 × 5 deposits one whole retry despite binary fractions.
    return Math.max(0, Math.floor(Math.max(opts.ratio * sum(deposits) + 1e-9, floor) - sum(withdrawals)))
  }

  return {
    deposit () { deposits[advance()]!++ },
    tryWithdraw () {
      if (balance() < 1) return false
      withdrawals[current % count]!++
      return true
    },
    balance
  }
}
