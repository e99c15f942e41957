import { callPhase, type CallDto } from '@shared';
import { useCallback, useState } from 'react';

const KEY = 'one-time-call.activeCall.v1';

/** The call whose pane is open; kept in `sessionStorage` so a reload rejoins it. */
export type ActiveCall = { readonly id: string; readonly customerName: string };

/** Whether the agent's tab can carry this call itself (the `browser` provider, still live). */
export const isBrowserCallLive = (call: CallDto): boolean =>
  call.meetingProvider === 'browser' && callPhase(call.state) === 'live';

export function useActiveCall(session: Pick<Storage, 'getItem' | 'setItem'> | undefined) {
  const [active, setActive] = useState<ActiveCall | undefined>(() => {
    try {
      const raw = session?.getItem(KEY);
      return raw ? (JSON.parse(raw) as ActiveCall) : undefined;
    } catch {
      return undefined;
    }
  });
  const open = useCallback(
    (call: CallDto) => {
      const next = { id: call.id, customerName: call.customerName ?? call.title };
      session?.setItem(KEY, JSON.stringify(next));
      setActive(next);
    },
    [session],
  );
  const close = useCallback(() => {
    session?.setItem(KEY, '');
    setActive(undefined);
  }, [session]);
  return { active, open, close };
}
