import type { CallState } from '../domain/call';
import { isTerminal } from '../domain/call';
import { AppError } from '../errors';
import { closeMeeting } from './agent-actions';
import {
  agentActor,
  applyTransition,
  loadForAgent,
  type AgentPrincipal,
  type CallDeps,
} from './context';
import { linkFor, prepareCall, shareTexts, type CreatedCall } from './create-call';

/** When a reissued link's call takes place. */
export type ReissueSchedule = {
  /** ISO instant the new call starts. */
  readonly startsAt: string;
  readonly durationMinutes: number;
  /** True when the original appointment is kept; false when the new call starts now. */
  readonly keepsAppointment: boolean;
};

/**
 * The new link's times: the original start and duration while that start is still ahead (a call
 * booked for tomorrow stays tomorrow), otherwise now with the original duration. The tab shows the
 * same result to the agent before they confirm.
 */
export function reissueSchedule(
  old: { readonly startsAt: string; readonly durationMinutes: number },
  now: Date,
): ReissueSchedule {
  const keepsAppointment = new Date(old.startsAt).getTime() > now.getTime();
  return {
    startsAt: keepsAppointment ? new Date(old.startsAt).toISOString() : now.toISOString(),
    durationMinutes: old.durationMinutes,
    keepsAppointment,
  };
}

/**
 * "Send a new link": kills the old link (revoked if unused or waiting, ended if the call was
 * running) and makes a new call with the same settings and the appointment of `reissueSchedule`. Two clicks make one new link:
 * the old call's version is compared and set in one step.
 */
export async function reissueCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<CreatedCall> {
  const old = await loadForAgent(deps, principal, id);
  if (old.reissuedTo) {
    throw new AppError('state-conflict', `Call ${id} was already reissued`, {
      details: { state: old.state, version: old.version, reissuedTo: old.reissuedTo },
    });
  }
  const schedule = reissueSchedule(old, deps.clock.now());
  const { call, code } = await prepareCall(deps, principal, {
    title: old.title,
    startsAt: schedule.startsAt,
    durationMinutes: schedule.durationMinutes,
    customerLocale: old.customerLocale,
    timeZone: old.timeZone,
    team: old.team,
    reissuedFrom: old.id,
  });
  const at = call.createdAt;
  const to: CallState = isTerminal(old.state)
    ? old.state
    : old.state === 'scheduled' || old.state === 'waiting'
      ? 'revoked'
      : 'ended';
  const moved = await applyTransition(deps, {
    id: old.id,
    expected: [old.state],
    expectedVersion: old.version,
    to,
    patch: { reissuedTo: call.id, ...(to === 'ended' ? { endedAt: at } : {}) },
    event: {
      type: 'reissued',
      at,
      actor: agentActor(principal),
      fromState: old.state,
      toState: to,
      data: { newCallId: call.id },
    },
    at,
  }).catch(async (error: unknown) => {
    // Lost the race: the meeting made for the loser is not used.
    await deps.meetings.close(call.meeting, { organizer: call.agent }).catch(() => undefined);
    throw error;
  });
  if (!isTerminal(old.state)) await closeMeeting(deps, moved.call);
  const event = await deps.store.insert(call, {
    type: 'created',
    at,
    actor: agentActor(principal),
    toState: 'scheduled',
    data: { reissuedFrom: old.id },
  });
  await deps.bus.publish({ call, event });
  return { call, code, ...shareTexts(deps, call, linkFor(deps, code)) };
}
