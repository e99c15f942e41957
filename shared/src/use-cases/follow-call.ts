import type { Actor, CallRecord } from '../domain/call';
import type { CallDeps } from './context';
import { moveCall } from './move-call';

/** The moves that follow what happened, rather than an agent's request. */
export type FollowAction = 'join' | 'end' | 'abandon' | 'expire';

/** What a followed move did. `meetingError`: the call moved but the meeting did not follow. */
export type FollowOutcome = {
  /** The call as stored after the attempt. */
  readonly call: CallRecord;
  readonly moved: boolean;
  readonly meetingError?: unknown;
};

/**
 * Moves a call because of what the customer or the system saw happen: the customer is in the call
 * (`join`), left or the meeting is over (`end`), left the lobby or timed out (`abandon`), the link ran
 * out (`expire`). A call whose state no longer allows the action is left as it is (`moved: false`,
 * with the call as stored now). See {@link moveCall}.
 */
export async function followCall(
  deps: CallDeps,
  call: CallRecord,
  action: FollowAction,
  actor: Actor,
  data?: Readonly<Record<string, string | number | boolean>>,
): Promise<FollowOutcome> {
  const outcome = await moveCall(deps, call, { actor, action, data });
  if (!outcome.ok) return { call: outcome.call ?? call, moved: false };
  return {
    call: outcome.call,
    moved: true,
    ...(outcome.meetingError !== undefined ? { meetingError: outcome.meetingError } : {}),
  };
}
