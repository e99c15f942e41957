import { useEffect, useState } from 'react';
import { formatElapsed } from './format-duration';

export type WaitTimerProps = {
  /** ISO instant the wait began. */
  readonly since: string;
  /** Renders the formatted span, e.g. "Waiting for 1:05". */
  readonly render: (elapsed: string) => string;
  readonly className?: string | undefined;
};

/** A live "waiting for m:ss" text that ticks every second. Not a live region: it would be noisy. */
export function WaitTimer({ since, render, className }: WaitTimerProps) {
  const start = Date.parse(since);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className={className}>
      <time dateTime={since}>{render(formatElapsed(now - start))}</time>
    </span>
  );
}
