import type { CallDto, CreateCallResponse } from '@shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorCodeOf, type ApiClient } from '../../api';
import type { CallNotice } from './CallItem';

/** What the agent did to a call from the list. */
export type CallActionKind = 'admit' | 'decline' | 'revoke' | 'end' | 'note' | 'reissue';

/** How an action ended: the tab announces it and moves focus to a sensible next place. */
export type CallActionResult =
  | {
      readonly ok: true;
      readonly id: string;
      readonly action: CallActionKind;
      readonly call: CallDto;
    }
  | {
      readonly ok: false;
      readonly id: string;
      readonly action: CallActionKind;
      readonly code: string;
    };

/** Runs the list's actions, one at a time per call, and keeps each call's pending/failed notice. */
export function useCallActions(
  api: ApiClient,
  upsert: (call: CallDto) => void,
  onReissued: (created: CreateCallResponse) => void,
  onAdmitted?: (call: CallDto) => void,
  /** Opens a Teams deep link (`TeamsHost.openLink`); without it there is no Join meeting. */
  openLink?: (url: string) => Promise<void>,
  onResult: (result: CallActionResult) => void = () => undefined,
) {
  const [notices, setNotices] = useState<Readonly<Record<string, CallNotice>>>({});
  const resultRef = useRef(onResult);
  useEffect(() => {
    resultRef.current = onResult;
  }, [onResult]);

  const setNotice = (id: string, notice: CallNotice | undefined) =>
    setNotices((previous) => {
      const next = { ...previous };
      if (notice) next[id] = notice;
      else delete next[id];
      return next;
    });

  const run = useCallback(
    (id: string, action: CallActionKind, perform: () => Promise<CallDto>) => {
      setNotice(id, { status: 'pending' });
      perform().then(
        (call) => {
          setNotice(id, undefined);
          resultRef.current({ ok: true, id, action, call });
        },
        (error: unknown) => {
          const code = errorCodeOf(error);
          setNotice(id, {
            status: 'failed',
            code,
            state: error instanceof ApiError ? error.state : undefined,
          });
          resultRef.current({ ok: false, id, action, code });
          // Someone else acted first: show the call as it is now.
          if (error instanceof ApiError && error.code === 'state-conflict') {
            api.getCall(id).then(upsert, () => undefined);
          }
        },
      );
    },
    [api, upsert],
  );

  const openMeeting = async (id: string) => {
    if (openLink) await openLink(await api.meetingLink(id));
  };

  const upserted = async (call: Promise<CallDto>) => {
    const next = await call;
    upsert(next);
    return next;
  };

  return {
    notices,
    dismiss: (id: string) => setNotice(id, undefined),
    // Admit and join in one step: a Teams customer waits in the Teams lobby until the agent is in.
    admit: (id: string) =>
      run(id, 'admit', async () => {
        const call = await upserted(api.act(id, 'admit'));
        onAdmitted?.(call);
        if (call.meetingProvider === 'teams') await openMeeting(id);
        return call;
      }),
    joinMeeting: openLink
      ? (id: string) => {
          openMeeting(id).catch((error: unknown) =>
            setNotice(id, { status: 'failed', code: errorCodeOf(error), state: undefined }),
          );
        }
      : undefined,
    decline: (id: string, reason: string | undefined) =>
      run(id, 'decline', () => upserted(api.decline(id, reason))),
    revoke: (id: string) => run(id, 'revoke', () => upserted(api.act(id, 'revoke'))),
    end: (id: string) => run(id, 'end', () => upserted(api.act(id, 'end'))),
    sendNote: (id: string, text: string) =>
      run(id, 'note', () => upserted(api.sendLobbyMessage(id, text))),
    reissue: (id: string) =>
      run(id, 'reissue', async () => {
        const created = await api.reissue(id);
        upsert(created.call);
        onReissued(created);
        return upserted(api.getCall(id));
      }),
  };
}
