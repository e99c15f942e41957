import { isTerminal, type Actor, type CallEvent, type CallRecord } from '../domain/call';
import {
  TRANSITIONS,
  checkTransition,
  type CallAction,
  type TransitionRefusal,
} from '../domain/state-machine';
import type { CallPatch } from '../ports/call-store';
import type { CallDeps } from './context';

/** Facts kept with an event (never personal data). */
type EventData = Readonly<Record<string, string | number | boolean>>;

/** A move somebody wants to make on a call. */
export type MoveRequest = {
  readonly actor: Actor;
  /**
   * The action to take on the call as it is now, or a choice by its current state (the customer's
   * Leave abandons a lobby but ends a running call). `undefined` from the choice: nothing to do.
   * After a lost compare-and-set the choice is asked again with the call re-read.
   */
  readonly action: CallAction | ((call: CallRecord) => CallAction | undefined);
  /** Fields to set with the move, for the action chosen. */
  readonly patch?: ((action: CallAction, at: string, call: CallRecord) => CallPatch) | undefined;
  /** Facts for the event. */
  readonly data?: EventData | undefined;
  /**
   * The move is for the call exactly as it was read (its version): when anything changed meanwhile
   * it is refused with `changed` instead of being made on the newer call. For moves whose meaning
   * depends on more than the state (a reissue).
   */
  readonly exactVersion?: boolean | undefined;
  /** The signed-in agent's SSO token, for the meeting step (on-behalf-of). */
  readonly userAssertion?: string | undefined;
  /**
   * Whether the meeting follows the move (see {@link moveCall}). Off when the caller already did
   * the meeting's part. @default true
   */
  readonly meetingFollows?: boolean | undefined;
};

/** Why a move was not made. `gone`: the call no longer exists; `changed`: see `exactVersion`. */
export type MoveRefusal = TransitionRefusal | 'gone' | 'changed';

/** What a move did. The call is always the one in the store at the end (never a stale read). */
export type MoveOutcome =
  | {
      readonly ok: true;
      readonly call: CallRecord;
      readonly event: CallEvent;
      readonly action: CallAction;
      /** The meeting step failed after the call moved (report it; the call moved anyway). */
      readonly meetingError?: unknown;
    }
  | {
      readonly ok: false;
      /** The call as stored now; `undefined` when it is gone. */
      readonly call: CallRecord | undefined;
      readonly reason: MoveRefusal;
      /** The action that was refused, when one was chosen. */
      readonly action?: CallAction | undefined;
    };

/** Lost compare-and-sets before giving up; each one means the state moved on, which it can only do a few times. */
const MAX_ATTEMPTS = 6;

/**
 * The one way a stored call changes. Asks the state machine whether the actor may make the move
 * from the call's current state, then makes it as one compare-and-set on that state
 * (`store.transition`, which appends the event in the same transaction), publishes the change,
 * and lets the meeting follow: Admit opens it, `join` locks the Teams lobby again, and a move
 * into a terminal state closes it.
 *
 * **A lost compare-and-set is never an answer.** The call is re-read and the move is decided again
 * on its current state: a Leave that lost to an Admit ends the admitted call; an Admit that lost
 * to a Leave is refused with the state the customer left it in. So what a caller is told always
 * agrees with the store.
 */
export async function moveCall(
  deps: CallDeps,
  call: CallRecord,
  request: MoveRequest,
): Promise<MoveOutcome> {
  let current = call;
  for (let attempt = 1; ; attempt += 1) {
    const action = typeof request.action === 'function' ? request.action(current) : request.action;
    if (action === undefined) return { ok: false, call: current, reason: 'wrong-state' };
    const check = checkTransition(current.state, action, request.actor.kind);
    if (!check.ok) return { ok: false, call: current, reason: check.reason, action };
    const at = deps.clock.now().toISOString();
    const result = await deps.store.transition({
      id: current.id,
      expected: [current.state],
      ...(request.exactVersion ? { expectedVersion: call.version } : {}),
      to: check.to,
      patch: {
        // A call that ends records when, whoever ended it.
        ...(check.to === 'ended' && current.state !== 'ended' ? { endedAt: at } : {}),
        ...request.patch?.(action, at, current),
      },
      event: {
        type: TRANSITIONS[action].event,
        at,
        actor: request.actor,
        fromState: current.state,
        toState: check.to,
        ...(request.data ? { data: request.data } : {}),
      },
      at,
    });
    if (result.ok) {
      await deps.bus.publish({ call: result.call, event: result.event });
      const meetingError =
        request.meetingFollows === false
          ? undefined
          : await followMeeting(deps, current, result.call, action, request.userAssertion);
      return {
        ok: true,
        call: result.call,
        event: result.event,
        action,
        ...(meetingError !== undefined ? { meetingError } : {}),
      };
    }
    if (!result.current) return { ok: false, call: undefined, reason: 'gone', action };
    if (request.exactVersion) return { ok: false, call: result.current, reason: 'changed', action };
    current = result.current;
    if (attempt >= MAX_ATTEMPTS) return { ok: false, call: current, reason: 'wrong-state', action };
  }
}

/** The meeting's part of a move; resolves the error when it failed (the call moved anyway). */
async function followMeeting(
  deps: CallDeps,
  before: CallRecord,
  after: CallRecord,
  action: CallAction,
  userAssertion: string | undefined,
): Promise<unknown> {
  // The meeting-sync outbox runs the step from the event just appended (see meetingStepsFor).
  if (deps.settings.meetingSync === 'outbox') return undefined;
  const actor = { organizer: after.agent };
  try {
    // Only the admission acts for the signed-in agent (on-behalf-of); the rest is the app's own work.
    if (action === 'admit') await deps.meetings.admit(after.meeting, { ...actor, userAssertion });
    else if (action === 'join') await deps.meetings.lockLobby(after.meeting, actor);
    else if (isTerminal(after.state) && !isTerminal(before.state))
      await deps.meetings.close(after.meeting, actor);
    return undefined;
  } catch (meetingError) {
    return meetingError ?? new Error('meeting step failed');
  }
}
