import { isIP } from 'node:net';

/** One address's failures in its current window. Never holds more than two numbers. */
type Entry = { count: number; resetAt: number };

/** Settings of {@link FailedGuessLimiter}. */
export type FailedGuessLimiterOptions = {
  /** Failed guesses per key per window before the key is blocked. */
  readonly limit: number;
  readonly windowMs: number;
  readonly now: () => number;
  /** Keys remembered at most; the oldest are forgotten first. @default 50000 */
  readonly maxKeys?: number | undefined;
};

/**
 * The limiter's key of a client address: IPv4 as is, IPv4-mapped IPv6 as its IPv4, any other IPv6
 * by its /64 (one subscriber usually holds a whole /64, so per-address keys would be unlimited).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const zoneless = address.split('%')[0]!.toLowerCase();
  const [head = '', tail] = zoneless.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`::1.2.3.4`) takes two groups; it is past the /64 in every valid form.
  const size = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups =
    tail === undefined
      ? headGroups
      : [
          ...headGroups,
          ...Array<string>(Math.max(0, 8 - size(headGroups) - size(tailGroups))).fill('0'),
          ...tailGroups,
        ];
  return `${groups
    .slice(0, 4)
    .map((g) => (g.includes('.') ? '0' : g.replace(/^0+(?=.)/, '') || '0'))
    .join(':')}::/64`;
}

/**
 * Counts failed link guesses (unknown codes) per client key in a fixed window. Memory and time per
 * request are O(1) whatever a client does: a key holds one counter capped at the limit (nothing more
 * is recorded once it is blocked), and the number of keys is capped, the oldest forgotten first.
 * Only failures count, and callers ask it only for unknown codes, so honest customers behind one
 * carrier-NAT address can always use valid links. With 128-bit codes this is defence in depth.
 */
export class FailedGuessLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;

  constructor(private readonly options: FailedGuessLimiterOptions) {
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  /** Seconds until `address` may guess again; `0` when it is not blocked. */
  retryAfterSeconds(address: string): number {
    const entry = this.current(addressKey(address));
    if (!entry || entry.count < this.options.limit) return 0;
    return Math.max(1, Math.ceil((entry.resetAt - this.options.now()) / 1000));
  }

  /** True when this address has used up its failures for the window. */
  isBlocked(address: string): boolean {
    return this.retryAfterSeconds(address) > 0;
  }

  /** Records one failed guess (a no-op once the address is blocked). */
  fail(address: string): void {
    const key = addressKey(address);
    const entry = this.current(key);
    if (entry) {
      if (entry.count < this.options.limit) entry.count += 1;
      return;
    }
    this.entries.set(key, { count: 1, resetAt: this.options.now() + this.options.windowMs });
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Keys remembered now (for tests and the benchmark). */
  get size(): number {
    return this.entries.size;
  }

  /** Failures recorded for the address's key now (for tests and the benchmark); at most `limit`. */
  recorded(address: string): number {
    return this.current(addressKey(address))?.count ?? 0;
  }

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
