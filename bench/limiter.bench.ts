// The failed-guess limiter's cost per request after one address has piled up 0, 10k and 1M failed
// guesses (issue 13: it used to grow to 11 ms at 100k and 161 ms at 1M). It must not grow.
import { FailedGuessLimiter } from '../bot/src/http/rate-limit';

const ATTACKER = '203.0.113.9';
const ROUNDS = 200_000;

function measure(recorded: number): void {
  let now = Date.now();
  const limiter = new FailedGuessLimiter({ limit: 30, windowMs: 10 * 60_000, now: () => now });
  for (let i = 0; i < recorded; i++) limiter.fail(ATTACKER);
  // What `resolve()` does for an unknown code: ask, and record unless blocked.
  const request = (address: string) => {
    if (limiter.retryAfterSeconds(address) === 0) limiter.fail(address);
  };
  for (let i = 0; i < 10_000; i++) request(ATTACKER); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) {
    request(ATTACKER);
    request(`198.51.100.${i & 255}`);
    now += 1;
  }
  const ns = Number(process.hrtime.bigint() - started) / (ROUNDS * 2);
  console.log(
    `limiter after ${recorded.toLocaleString('en')} failed guesses from one address: ` +
      `${ns.toFixed(0)} ns per request; keys ${limiter.size}, ` +
      `failures held for that address ${limiter.recorded(ATTACKER)}`,
  );
}

for (const recorded of [0, 10_000, 1_000_000]) measure(recorded);
