import type { CallRecord, CallState } from '../domain/call';
import type { MeetingKey } from '../domain/meeting-key';
import { callPhase } from '../domain/state-machine';
import type { CallDeps } from './context';
import { followCall } from './follow-call';

/**
 * Where a participant comes from, relative to the meeting's tenant: `anonymous` (no Entra id, the
 * way our customer joins), `external` (a guest, or another tenant's user) or `internal` (a user of
 * the meeting's tenant: the agent or a colleague).
 */
export type ParticipantOrigin = 'anonymous' | 'external' | 'internal';

/** Someone in a participant event. `aadObjectId` is absent for anonymous joiners (the customer). */
export type MeetingParticipant = {
  /** The channel's id of the participant; anonymous ids change on rejoin. */
  readonly id: string;
  readonly aadObjectId: string | undefined;
  readonly role: string | undefined;
  readonly origin: ParticipantOrigin;
};

/** What happened in a call's Teams meeting, as the channel adapter read it. */
export type MeetingEvent =
  | {
      readonly kind: 'start' | 'end';
      readonly meeting: MeetingKey;
      readonly at: string | undefined;
    }
  | {
      readonly kind: 'participant-join' | 'participant-leave';
      readonly meeting: MeetingKey;
      readonly participants: readonly MeetingParticipant[];
    };

/** Something the agent should be told. */
export type MeetingWarning =
  | { readonly kind: 'third-person'; readonly callId: string; readonly othersPresent: number }
  | {
      readonly kind: 'joined-before-admission';
      readonly callId: string;
      readonly state: CallState;
    };

/** What a meeting event did. */
export type MeetingEventOutcome = {
  /** The call the event belongs to (after any change); `undefined` when none matched. */
  readonly call: CallRecord | undefined;
  /** The state the call moved to, if it moved. */
  readonly changed: CallState | undefined;
  readonly warnings: readonly MeetingWarning[];
  /** The lobby lock or meeting close failed after the call moved (report it; the call moved anyway). */
  readonly meetingError?: unknown;
};

const NOTHING = (call: CallRecord | undefined): MeetingEventOutcome => ({
  call,
  changed: undefined,
  warnings: [],
});

/**
 * Applies a Teams meeting event to its call, found by `CallStore.findByMeeting`:
 * - an anonymous or external participant joins a call that was let in → `join` (the system saw
 *   the customer), then the Teams lobby is locked again; the agent's and colleagues' joins change
 *   nothing (the lobby stays open for the customer);
 * - a second anonymous/external person present → warning `third-person` (a one-time call is two
 *   people); one present before admission → warning `joined-before-admission`;
 * - the meeting ends → `end` for a call that was let in; a customer still in our own lobby keeps
 *   waiting (the agent may start the meeting again).
 * Who is present is kept in the store, so every instance counts the same room. Start events and
 * meetings of no call change nothing.
 */
export async function handleMeetingEvent(
  deps: CallDeps,
  event: MeetingEvent,
): Promise<MeetingEventOutcome> {
  const call = await deps.store.findByMeeting(event.meeting);
  if (!call || call.meeting.provider !== 'teams') return NOTHING(undefined);
  switch (event.kind) {
    case 'start':
      return NOTHING(call);
    case 'end': {
      await deps.store.leaveMeeting(call.id, undefined);
      return moved(
        await followCall(deps, call, 'end', { kind: 'system' }, { source: 'teams' }),
        [],
      );
    }
    case 'participant-leave':
      for (const p of event.participants) await deps.store.leaveMeeting(call.id, p.id);
      return NOTHING(call);
    case 'participant-join':
      return participantsJoined(deps, call, event.participants);
  }
}

async function participantsJoined(
  deps: CallDeps,
  call: CallRecord,
  participants: readonly MeetingParticipant[],
): Promise<MeetingEventOutcome> {
  // Only an anonymous or external participant can be the customer.
  const others = participants.filter((p) => p.origin !== 'internal');
  if (others.length === 0) return NOTHING(call);
  const at = deps.clock.now().toISOString();
  let present = 0;
  for (const p of others) present = await deps.store.joinMeeting(call.id, p.id, at);

  const warnings: MeetingWarning[] = [];
  if (present > 1) warnings.push({ kind: 'third-person', callId: call.id, othersPresent: present });
  const phase = callPhase(call.state);
  if (phase === 'open' || phase === 'lobby') {
    warnings.push({ kind: 'joined-before-admission', callId: call.id, state: call.state });
  }
  return moved(
    await followCall(deps, call, 'join', { kind: 'system' }, { source: 'teams' }),
    warnings,
  );
}

function moved(
  outcome: Awaited<ReturnType<typeof followCall>>,
  warnings: readonly MeetingWarning[],
): MeetingEventOutcome {
  return {
    call: outcome.call,
    changed: outcome.moved ? outcome.call.state : undefined,
    warnings,
    ...(outcome.meetingError !== undefined ? { meetingError: outcome.meetingError } : {}),
  };
}
