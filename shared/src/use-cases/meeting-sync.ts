import { isTerminal, type CallEvent, type CallRecord, type MeetingStep } from '../domain/call';
import type { NewMeetingSyncEntry } from '../ports/meeting-sync-outbox';
import { isoPlus, type CallDeps } from './context';
import { moveCall } from './move-call';
import { checkTransition } from '../domain/state-machine';

/**
 * The meeting steps an event of the call log asks for, keyed `<callId>:<seq>:<step>` so reading the
 * event again adds nothing:
 * - `admitted` → `admit` now (open the Teams lobby), and `relock` at the end of the admission
 *   window (`lobbyOpenSeconds`), which does nothing when the customer's join locked it first;
 * - `joined` → `lock` now (the customer is in);
 * - a move into a terminal state → `close` now.
 */
export function meetingStepsFor(event: CallEvent, lobbyOpenSeconds: number): NewMeetingSyncEntry[] {
  const entry = (step: MeetingStep, dueAt: string): NewMeetingSyncEntry => ({
    id: `${event.callId}:${event.seq}:${step}`,
    callId: event.callId,
    seq: event.seq,
    step,
    dueAt,
    createdAt: event.at,
  });
  if (event.type === 'admitted') {
    return [entry('admit', event.at), entry('relock', isoPlus(event.at, lobbyOpenSeconds))];
  }
  if (event.type === 'joined') return [entry('lock', event.at)];
  const died = isTerminal(event.toState) && !(event.fromState && isTerminal(event.fromState));
  return died ? [entry('close', event.at)] : [];
}

/** What running a step did. `skipped`: the call moved on and the step has nothing left to do. */
export type MeetingStepResult = 'done' | 'skipped';

/**
 * Runs one meeting step for the call as stored now, with the app's own identity. Throws the
 * provider's error when the meeting did not follow (the caller retries or reports it).
 */
export async function runMeetingStep(
  deps: CallDeps,
  callId: string,
  step: MeetingStep,
): Promise<MeetingStepResult> {
  const call = await deps.store.get(callId);
  if (!call) return 'skipped';
  const actor = { organizer: call.agent };
  switch (step) {
    case 'admit':
      // A call that died meanwhile is closed by its own step.
      if (isTerminal(call.state)) return 'skipped';
      await deps.meetings.admit(call.meeting, actor);
      return 'done';
    case 'lock':
      if (isTerminal(call.state)) return 'skipped';
      await deps.meetings.lockLobby(call.meeting, actor);
      return 'done';
    case 'relock':
      // Only an admitted call whose lobby nobody locked yet: a join locks it at once.
      if (!checkTransition(call.state, 'lock-lobby', 'system').ok || call.meeting.lobbyLockedAt) {
        return 'skipped';
      }
      await deps.meetings.lockLobby(call.meeting, actor);
      await moveCall(deps, call, {
        actor: { kind: 'system' },
        action: 'lock-lobby',
        patch: (_action, at, current) => ({ meeting: { ...current.meeting, lobbyLockedAt: at } }),
      });
      return 'done';
    case 'close':
      await deps.meetings.close(call.meeting, actor);
      return 'done';
  }
}

/**
 * Records on the call that a meeting step failed for good: an event in its log
 * (`meeting-sync-failed`, with the step and the upstream request id) and the failure on its
 * meeting, which the card and the tab show. Resolves the call as stored after.
 */
export async function recordMeetingFailure(
  deps: CallDeps,
  callId: string,
  failure: { readonly step: MeetingStep; readonly requestId?: string | undefined },
): Promise<CallRecord | undefined> {
  const call = await deps.store.get(callId);
  if (!call) return undefined;
  const outcome = await moveCall(deps, call, {
    actor: { kind: 'system' },
    action: 'report-meeting',
    data: { step: failure.step, ...(failure.requestId ? { requestId: failure.requestId } : {}) },
    patch: (_action, at, current) => ({
      meeting: {
        ...current.meeting,
        syncFailure: {
          step: failure.step,
          at,
          ...(failure.requestId ? { requestId: failure.requestId } : {}),
        },
      },
    }),
    meetingFollows: false,
  });
  return outcome.call;
}
