/**
 * Counts failed link guesses per client address in a sliding window. Only failures count, so
 * honest customers behind one carrier-NAT address are not throttled for using their links.
 */
export class FailedGuessLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: {
      readonly limit: number;
      readonly windowMs: number;
      readonly now: () => number;
    },
  ) {}

  /** True when this address has used up its failures for the window. */
  isBlocked(address: string): boolean {
    return this.recent(address).length >= this.options.limit;
  }

  /** Records one failed guess. */
  fail(address: string): void {
    const list = this.recent(address);
    list.push(this.options.now());
    this.failures.set(address, list);
    // Bound memory under a spray from many addresses: drop the oldest entries.
    if (this.failures.size > 50_000) {
      const first = this.failures.keys().next();
      if (!first.done) this.failures.delete(first.value);
    }
  }

  private recent(address: string): number[] {
    const since = this.options.now() - this.options.windowMs;
    const list = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}
