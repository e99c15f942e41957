import { AppError } from '../errors';
import { refusalError } from './agent-actions';
import { agentActor, loadForAgent, type AgentPrincipal, type CallDeps } from './context';
import { linkFor, prepareCall, shareTexts, type CreatedCall } from './create-call';
import { moveCall } from './move-call';

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
 * running: the `reissue` row of the state machine) and makes a new call with the same settings and
 * the appointment of {@link reissueSchedule}. Two clicks make one new link: the old call's version is compared and set in one
 * step.
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
  const moved = await moveCall(deps, old, {
    actor: agentActor(principal),
    action: 'reissue',
    exactVersion: true,
    patch: () => ({ reissuedTo: call.id }),
    data: { newCallId: call.id },
  });
  if (!moved.ok) {
    // Lost the race: the meeting made for the loser is not used.
    await deps.meetings.close(call.meeting, { organizer: call.agent }).catch(() => undefined);
    throw refusalError(moved, id, 'reissue');
  }
  const event = await deps.store.insert(call, {
    type: 'created',
    at: call.createdAt,
    actor: agentActor(principal),
    toState: call.state,
    data: { reissuedFrom: old.id },
  });
  await deps.bus.publish({ call, event });
  return { call, code, ...shareTexts(deps, call, linkFor(deps, code)) };
}
