import type { Actor, CallRecord } from '../domain/call';
import { TRANSITIONS } from '../domain/state-machine';
import type { CallDeps } from './context';

/** The moves that follow what happened, rather than an agent's request. */
type FollowAction = 'join' | 'end' | 'abandon' | 'expire';

const EVENT_TYPE = {
  join: 'joined',
  end: 'ended',
  abandon: 'abandoned',
  expire: 'expired',
} as const;

/** What a followed move did. `meetingError`: the call moved but the meeting did not follow. */
export type FollowOutcome = {
  readonly call: CallRecord;
  readonly moved: boolean;
  readonly meetingError?: unknown;
};

/**
 * Moves a call because of what the customer or the system saw happen: the customer is in the call
 * (`join`), left or the meeting is over (`end`), left the lobby or timed out (`abandon`), the link ran
 * out (`expire`). One compare-and-set from the action's allowed states; a lost race is no error (the
 * current call comes back, `moved: false`). Then the change is published and the meeting follows:
 * its lobby is locked once the customer is in, and it is closed when the call is dead.
 */
export async function followCall(
  deps: CallDeps,
  call: CallRecord,
  action: FollowAction,
  actor: Actor,
  data?: Readonly<Record<string, string | number | boolean>>,
): Promise<FollowOutcome> {
  const rule = TRANSITIONS[action];
  const at = deps.clock.now().toISOString();
  const result = await deps.store.transition({
    id: call.id,
    expected: rule.from,
    to: rule.to,
    patch: action === 'end' ? { endedAt: at } : {},
    event: {
      type: EVENT_TYPE[action],
      at,
      actor,
      fromState: call.state,
      toState: rule.to,
      ...(data ? { data } : {}),
    },
    at,
  });
  if (!result.ok) return { call: result.current ?? call, moved: false };
  await deps.bus.publish({ call: result.call, event: result.event });
  const meetingActor = { organizer: result.call.agent };
  try {
    if (action === 'join') await deps.meetings.lockLobby(result.call.meeting, meetingActor);
    else await deps.meetings.close(result.call.meeting, meetingActor);
    return { call: result.call, moved: true };
  } catch (meetingError) {
    return { call: result.call, moved: true, meetingError };
  }
}
