import { FailedGuessLimiter, addressKey } from '../../../bot/src/http/rate-limit';

const limiter = (options: { limit?: number; windowMs?: number; maxKeys?: number } = {}) => {
  let now = 1_000_000;
  const l = new FailedGuessLimiter({
    limit: options.limit ?? 30,
    windowMs: options.windowMs ?? 600_000,
    maxKeys: options.maxKeys,
    now: () => now,
  });
  return { l, advance: (ms: number) => (now += ms) };
};

describe('failed-guess limiter (issue 13, findings 2 and 3)', () => {
  it('holds one capped counter however many failures one address piles up', () => {
    const { l } = limiter();
    for (let i = 0; i < 100_000; i++) l.fail('203.0.113.9');
    // Constant per-request cost: what a request looks at is one entry of at most `limit`.
    expect(l.size).toBe(1);
    expect(l.recorded('203.0.113.9')).toBe(30);
    expect(l.isBlocked('203.0.113.9')).toBe(true);
  });

  it('says exactly how long the block lasts, and lifts it when the window is over', () => {
    const { l, advance } = limiter({ limit: 3, windowMs: 600_000 });
    for (let i = 0; i < 3; i++) l.fail('198.51.100.1');
    expect(l.retryAfterSeconds('198.51.100.1')).toBe(600);
    advance(590_500);
    expect(l.retryAfterSeconds('198.51.100.1')).toBe(10);
    advance(10_000);
    expect(l.retryAfterSeconds('198.51.100.1')).toBe(0);
    expect(l.size).toBe(0);
  });

  it('keys IPv6 by its /64: the whole prefix shares one budget', () => {
    const { l } = limiter({ limit: 5 });
    for (let i = 1; i <= 1000; i++) l.fail(`2001:db8:aa:bb:${i.toString(16)}::1`);
    expect(l.size).toBe(1);
    expect(l.isBlocked('2001:db8:aa:bb:ffff:ffff:ffff:ffff')).toBe(true);
    expect(l.isBlocked('2001:db8:aa:bc::1')).toBe(false);
  });

  it.each([
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0001:abcd::1', '2001:db8:0:1::/64'],
    ['2001:DB8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['192.0.2.7', '192.0.2.7'],
  ])('keys %s as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('caps the number of keys, forgetting the oldest first', () => {
    const { l } = limiter({ maxKeys: 1000 });
    for (let i = 0; i < 60_000; i++) l.fail(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(l.size).toBe(1000);
    expect(l.recorded('10.0.0.0')).toBe(0);
    expect(l.recorded(`10.0.${(59_999 >> 8) & 255}.${59_999 & 255}`)).toBe(1);
  });
});
