import type { CallDto, CreateCallResponse } from '@shared';
import { useCallback, useState } from 'react';
import { ApiError, errorCodeOf, type ApiClient } from '../../api';
import type { CallNotice } from './CallItem';

/** Runs the list's actions, one at a time per call, and keeps each call's pending/failed notice. */
export function useCallActions(
  api: ApiClient,
  upsert: (call: CallDto) => void,
  onReissued: (created: CreateCallResponse) => void,
  onAdmitted?: (call: CallDto) => void,
  /** Opens a Teams deep link (`TeamsHost.openLink`); without it there is no Join meeting. */
  openLink?: (url: string) => Promise<void>,
) {
  const [notices, setNotices] = useState<Readonly<Record<string, CallNotice>>>({});

  const setNotice = (id: string, notice: CallNotice | undefined) =>
    setNotices((previous) => {
      const next = { ...previous };
      if (notice) next[id] = notice;
      else delete next[id];
      return next;
    });

  const run = useCallback(
    (id: string, action: () => Promise<void>) => {
      setNotice(id, { status: 'pending' });
      action().then(
        () => setNotice(id, undefined),
        (error: unknown) => {
          setNotice(id, {
            status: 'failed',
            code: errorCodeOf(error),
            state: error instanceof ApiError ? error.state : undefined,
          });
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

  return {
    notices,
    dismiss: (id: string) => setNotice(id, undefined),
    // Admit and join in one step: a Teams customer waits in the Teams lobby until the agent is in.
    admit: (id: string) =>
      run(id, async () => {
        const call = await api.act(id, 'admit');
        upsert(call);
        onAdmitted?.(call);
        if (call.meetingProvider === 'teams') await openMeeting(id);
      }),
    joinMeeting: openLink ? (id: string) => run(id, () => openMeeting(id)) : undefined,
    decline: (id: string, reason: string | undefined) =>
      run(id, async () => upsert(await api.decline(id, reason))),
    revoke: (id: string) => run(id, async () => upsert(await api.act(id, 'revoke'))),
    end: (id: string) => run(id, async () => upsert(await api.act(id, 'end'))),
    sendNote: (id: string, text: string) =>
      run(id, async () => upsert(await api.sendLobbyMessage(id, text))),
    reissue: (id: string) =>
      run(id, async () => {
        const created = await api.reissue(id);
        upsert(created.call);
        onReissued(created);
        upsert(await api.getCall(id));
      }),
  };
}
