import type { MeResponse } from '@shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorCodeOf, type ApiClient } from '../../api';

export type DeliveryFailure = MeResponse['deliveryFailures'][number];

/** What the bot-status notices show; both empty means nothing to say. */
export type BotNotices = {
  /** Set when the bot has no chat with the agent and the agent has not hidden this notice. */
  readonly unreachable: { readonly mode: MeResponse['mode'] } | undefined;
  /** Failures newer than the newest one the agent dismissed, newest first. */
  readonly failures: readonly DeliveryFailure[];
};

export type UseBotStatusOptions = {
  readonly api: Pick<ApiClient, 'me'>;
  /** Where dismissals are remembered for the session; `undefined` remembers them until reload. */
  readonly session: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  /** How often the call stream came back (`useCalls`); each change asks again. */
  readonly reconnects: number;
  /** Ids of the calls now waiting, `undefined` until the list loaded. A new one asks again. */
  readonly waitingCallIds: readonly string[] | undefined;
  /**
   * When to ask again after a customer starts waiting. The bot needs a moment to try its card:
   * `no-conversation` and 403 fail at once, 429/5xx only after the lobby notifier's retries
   * (about 30 s with its default backoff).
   * @default [5000, 40000]
   */
  readonly afterWaitingMs?: readonly number[] | undefined;
  /** Focus or visibility asks again at most this often. @default 15000 */
  readonly focusThrottleMs?: number | undefined;
};

const UNREACHABLE_KEY = 'one-time-call.bot-unreachable-dismissed.v1';
const FAILURES_SEEN_KEY = 'one-time-call.delivery-failures-seen.v1';
const AFTER_WAITING_MS: readonly number[] = [5000, 40_000];

type Status = Pick<MeResponse, 'mode' | 'botReachable' | 'deliveryFailures'>;

const timeOf = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

function read(storage: UseBotStatusOptions['session'], key: string): string | undefined {
  try {
    return storage?.getItem(key) ?? undefined;
  } catch {
    // Storage blocked by the browser: the dismissal then lasts until reload.
    return undefined;
  }
}

function write(storage: UseBotStatusOptions['session'], key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Quota or blocked storage: the in-memory state still hides the notice.
  }
}

/**
 * Whether the bot can tell the agent about waiting customers (`/api/me`). Asks on start, after the
 * call stream reconnects, shortly after a customer starts waiting, and when the tab regains focus.
 * Until a request succeeds nothing is shown: the call list already reports connection problems.
 */
export function useBotStatus({
  api,
  session,
  reconnects,
  waitingCallIds,
  afterWaitingMs = AFTER_WAITING_MS,
  focusThrottleMs = 15_000,
}: UseBotStatusOptions) {
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [unreachableDismissed, setUnreachableDismissed] = useState(
    () => read(session, UNREACHABLE_KEY) === 'yes',
  );
  const [failuresSeenUntil, setFailuresSeenUntil] = useState(() =>
    timeOf(read(session, FAILURES_SEEN_KEY) ?? ''),
  );
  const latestRequest = useRef(0);
  const lastAsked = useRef(0);

  const refresh = useCallback(() => {
    const request = ++latestRequest.current;
    lastAsked.current = Date.now();
    api.me().then(
      ({ mode, botReachable, deliveryFailures }) => {
        if (request === latestRequest.current) setStatus({ mode, botReachable, deliveryFailures });
      },
      (error: unknown) => {
        // Only the code: the error's message and cause may carry names or tokens.
        console.warn('bot status unavailable:', errorCodeOf(error));
        // A later failure keeps the last answer rather than hiding a notice that is still true.
      },
    );
  }, [api]);

  useEffect(() => {
    refresh();
    return () => {
      // Answers that arrive after unmount are ignored.
      latestRequest.current += 1;
    };
  }, [refresh]);

  useEffect(() => {
    if (reconnects > 0) refresh();
  }, [reconnects, refresh]);

  const seenWaiting = useRef<ReadonlySet<string> | undefined>(undefined);
  const waitingKey = waitingCallIds?.join('\n');
  const [waitingStarted, setWaitingStarted] = useState(0);
  useEffect(() => {
    if (waitingKey === undefined) return;
    const ids = new Set(waitingKey === '' ? [] : waitingKey.split('\n'));
    // The first list is the baseline: the start-up request already covers those customers.
    const fresh = seenWaiting.current && [...ids].some((id) => !seenWaiting.current?.has(id));
    seenWaiting.current = ids;
    if (fresh) setWaitingStarted((n) => n + 1);
  }, [waitingKey]);

  // A key, so that an inline array from the caller does not restart the timers on every render.
  const delaysKey = afterWaitingMs.join(',');
  useEffect(() => {
    if (waitingStarted === 0) return undefined;
    // A newer waiting customer restarts the schedule, so several arrivals cost one set of requests.
    const delays = delaysKey === '' ? [] : delaysKey.split(',').map(Number);
    const timers = delays.map((ms) => setTimeout(refresh, ms));
    return () => timers.forEach(clearTimeout);
  }, [waitingStarted, delaysKey, refresh]);

  useEffect(() => {
    const onFocus = () => {
      if (document.visibilityState === 'hidden') return;
      if (Date.now() - lastAsked.current >= focusThrottleMs) refresh();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }, [focusThrottleMs, refresh]);

  const failures = (status?.deliveryFailures ?? [])
    .filter((failure) => timeOf(failure.at) > failuresSeenUntil)
    .sort((a, b) => timeOf(b.at) - timeOf(a.at));
  const notices: BotNotices = {
    unreachable:
      status && !status.botReachable && !unreachableDismissed ? { mode: status.mode } : undefined,
    failures,
  };

  const dismissUnreachable = useCallback(() => {
    setUnreachableDismissed(true);
    write(session, UNREACHABLE_KEY, 'yes');
  }, [session]);

  const newestAt = failures[0]?.at;
  const dismissFailures = useCallback(() => {
    if (newestAt === undefined) return;
    setFailuresSeenUntil(timeOf(newestAt));
    write(session, FAILURES_SEEN_KEY, newestAt);
  }, [session, newestAt]);

  return { notices, dismissUnreachable, dismissFailures };
}
