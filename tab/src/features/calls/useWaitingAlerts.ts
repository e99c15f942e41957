import { callPhase, type CallDto } from '@shared';
import { useEffect, useRef, useState } from 'react';

export type WaitingAlertOptions = {
  /** Sound and document title; the screen-reader announcement is always on. */
  readonly enabled: boolean;
  readonly beep: () => void;
  readonly announceText: (name: string) => string;
  readonly titleText: (count: number) => string;
  /** "Anna's wait timed out": said when a customer seen waiting times out. @default silent */
  readonly timedOutText?: ((name: string) => string) | undefined;
};

/**
 * Tells the agent about customers who start waiting: an announcement for the aria-live region and,
 * when enabled, a short sound and "(1) Customer waiting" as the browser tab's title.
 */
export function useWaitingAlerts(
  calls: readonly CallDto[] | undefined,
  options: WaitingAlertOptions,
) {
  const [announcement, setAnnouncement] = useState('');
  const seen = useRef<Set<string> | undefined>(undefined);
  const baseTitle = useRef(typeof document !== 'undefined' ? document.title : '');
  const { enabled, beep, announceText, titleText, timedOutText } = options;
  const waiting = calls?.filter((call) => callPhase(call.state) === 'lobby') ?? [];
  const waitingKey = waiting.map((call) => call.id).join(',');

  useEffect(() => {
    if (!calls) return;
    const ids = new Set(waiting.map((call) => call.id));
    // The first list only sets the baseline: customers already waiting are not "new".
    if (seen.current) {
      const fresh = waiting.filter((call) => !seen.current?.has(call.id));
      const timedOut = timedOutText
        ? (calls.filter((c) => c.state === 'timed_out' && seen.current?.has(c.id)) ?? [])
        : [];
      if (fresh.length > 0 || timedOut.length > 0) {
        const text = [
          ...fresh.map((call) => announceText(call.customerName ?? '')),
          ...timedOut.map((call) => timedOutText?.(call.customerName ?? '') ?? ''),
        ].join(' ');
        // A repeated identical text would not be announced again: alternate a trailing space.
        setAnnouncement((previous) => (previous === text ? `${text} ` : text));
        if (enabled && fresh.length > 0) beep();
      }
    }
    seen.current = ids;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- waitingKey stands for `waiting`
  }, [waitingKey, calls !== undefined]);

  useEffect(() => {
    document.title = enabled && waiting.length > 0 ? titleText(waiting.length) : baseTitle.current;
  }, [enabled, waiting.length, titleText]);

  useEffect(() => {
    const original = baseTitle.current;
    return () => {
      document.title = original;
    };
  }, []);

  return { announcement };
}
