import type { CallRecord } from '../domain/call';
import { TRANSITIONS } from '../domain/state-machine';
import { AppError } from '../errors';
import {
  agentActor,
  agentRef,
  applyTransition,
  loadForAgent,
  type AgentPrincipal,
  type CallDeps,
} from './context';

/** The result of an agent's action. `meetingError` is set when the call moved but the meeting did not follow. */
export type AgentActionResult = {
  readonly call: CallRecord;
  readonly meetingError?: unknown;
};

const conflict = (call: CallRecord, action: string) =>
  new AppError('state-conflict', `Cannot ${action} a call in state ${call.state}`, {
    details: { state: call.state, version: call.version },
  });

/** Lets the waiting customer in. Of two agents clicking at once exactly one wins; the other gets 409. */
export async function admitCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<AgentActionResult> {
  const current = await loadForAgent(deps, principal, id);
  if (current.state !== 'waiting') throw conflict(current, 'admit');
  const at = deps.clock.now().toISOString();
  const { call } = await applyTransition(deps, {
    id,
    expected: TRANSITIONS.admit.from,
    to: 'admitted',
    patch: { admittedAt: at, admittedBy: agentRef(principal), decidedAt: at },
    event: {
      type: 'admitted',
      at,
      actor: agentActor(principal),
      fromState: 'waiting',
      toState: 'admitted',
    },
    at,
  });
  try {
    // The join URL the customer is sent to was stored with the meeting at creation.
    await deps.meetings.admit(call.meeting, {
      organizer: call.agent,
      userAssertion: principal.userAssertion,
    });
    return { call };
  } catch (meetingError) {
    return { call, meetingError };
  }
}

/** Turns the waiting customer away, with an optional reason the customer sees. */
export async function declineCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
  reason: string | undefined,
): Promise<AgentActionResult> {
  const current = await loadForAgent(deps, principal, id);
  if (current.state !== 'waiting') throw conflict(current, 'decline');
  const at = deps.clock.now().toISOString();
  const { call } = await applyTransition(deps, {
    id,
    expected: TRANSITIONS.decline.from,
    to: 'declined',
    patch: { decidedAt: at, declineReason: reason ?? null },
    event: {
      type: 'declined',
      at,
      actor: agentActor(principal),
      fromState: 'waiting',
      toState: 'declined',
      ...(reason ? { data: { withReason: true } } : {}),
    },
    at,
  });
  return closeMeeting(deps, call);
}

/** Kills a link that nobody uses yet, or whose customer is still waiting. */
export async function revokeCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<AgentActionResult> {
  const current = await loadForAgent(deps, principal, id);
  if (!TRANSITIONS.revoke.from.includes(current.state as 'scheduled'))
    throw conflict(current, 'revoke');
  const at = deps.clock.now().toISOString();
  const { call } = await applyTransition(deps, {
    id,
    expected: TRANSITIONS.revoke.from,
    to: 'revoked',
    event: {
      type: 'revoked',
      at,
      actor: agentActor(principal),
      fromState: current.state,
      toState: 'revoked',
    },
    at,
  });
  return closeMeeting(deps, call);
}

/** Ends an admitted or running call from the agent's side. */
export async function endCallByAgent(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<AgentActionResult> {
  const current = await loadForAgent(deps, principal, id);
  if (!TRANSITIONS.end.from.includes(current.state as 'admitted')) throw conflict(current, 'end');
  const at = deps.clock.now().toISOString();
  const { call } = await applyTransition(deps, {
    id,
    expected: TRANSITIONS.end.from,
    to: 'ended',
    patch: { endedAt: at },
    event: {
      type: 'ended',
      at,
      actor: agentActor(principal),
      fromState: current.state,
      toState: 'ended',
    },
    at,
  });
  return closeMeeting(deps, call);
}

/** Shows a short message on the waiting customer's page ("I'll be with you in 2 minutes"). */
export async function sendLobbyMessage(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
  text: string,
): Promise<AgentActionResult> {
  const current = await loadForAgent(deps, principal, id);
  if (current.state !== 'waiting') throw conflict(current, 'message');
  const at = deps.clock.now().toISOString();
  const { call } = await applyTransition(deps, {
    id,
    expected: TRANSITIONS.message.from,
    to: undefined,
    patch: { lobbyMessage: { text, at } },
    event: {
      type: 'lobby-message',
      at,
      actor: agentActor(principal),
      fromState: 'waiting',
      toState: 'waiting',
    },
    at,
  });
  return { call };
}

/** Closes the meeting of a call that just died; a failure is reported, not thrown (the call is dead either way). */
export async function closeMeeting(deps: CallDeps, call: CallRecord): Promise<AgentActionResult> {
  try {
    await deps.meetings.close(call.meeting, { organizer: call.agent });
    return { call };
  } catch (meetingError) {
    return { call, meetingError };
  }
}
