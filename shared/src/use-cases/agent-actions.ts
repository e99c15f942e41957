import type { CallRecord } from '../domain/call';
import type { CallAction } from '../domain/state-machine';
import { AppError } from '../errors';
import type { CallPatch } from '../ports/call-store';
import { agentActor, agentRef, loadForAgent, type AgentPrincipal, type CallDeps } from './context';
import { moveCall, type MoveOutcome, type MoveRequest } from './move-call';

/** The result of an agent's action. `meetingError` is set when the call moved but the meeting did not follow. */
export type AgentActionResult = {
  readonly call: CallRecord;
  readonly meetingError?: unknown;
};

/**
 * The answer to a move the table refused: `not-found` for a call that is gone, else
 * `state-conflict` (HTTP 409) with the state the call is in now.
 */
export function refusalError(
  outcome: Extract<MoveOutcome, { ok: false }>,
  id: string,
  action: CallAction,
): AppError {
  const current = outcome.call;
  if (!current) return new AppError('not-found', `No call ${id}`);
  return new AppError('state-conflict', `Cannot ${action} a call in state ${current.state}`, {
    details: {
      state: current.state,
      version: current.version,
      ...(current.reissuedTo ? { reissuedTo: current.reissuedTo } : {}),
    },
  });
}

/** Loads the call the agent may see and makes the move for them; a refusal is thrown. */
async function agentMove(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
  action: CallAction,
  request: Omit<MoveRequest, 'actor' | 'action'> = {},
): Promise<AgentActionResult> {
  const call = await loadForAgent(deps, principal, id);
  const outcome = await moveCall(deps, call, { ...request, actor: agentActor(principal), action });
  if (!outcome.ok) throw refusalError(outcome, id, action);
  return {
    call: outcome.call,
    ...(outcome.meetingError !== undefined ? { meetingError: outcome.meetingError } : {}),
  };
}

/** Lets the waiting customer in. Of two agents clicking at once exactly one wins; the other gets 409. */
export function admitCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<AgentActionResult> {
  return agentMove(deps, principal, id, 'admit', {
    patch: (_action, at): CallPatch => ({
      admittedAt: at,
      admittedBy: agentRef(principal),
      decidedAt: at,
    }),
    userAssertion: principal.userAssertion,
  });
}

/** Turns the waiting customer away, with an optional reason the customer sees. */
export function declineCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
  reason: string | undefined,
): Promise<AgentActionResult> {
  return agentMove(deps, principal, id, 'decline', {
    patch: (_action, at) => ({ decidedAt: at, declineReason: reason ?? null }),
    ...(reason ? { data: { withReason: true } } : {}),
  });
}

/** Kills a link that nobody uses yet, or whose customer is still waiting. */
export function revokeCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<AgentActionResult> {
  return agentMove(deps, principal, id, 'revoke');
}

/** Ends an admitted or running call from the agent's side. */
export function endCallByAgent(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<AgentActionResult> {
  return agentMove(deps, principal, id, 'end');
}

/**
 * Shows a short message on the waiting customer's page ("I'll be with you in 2 minutes"). The
 * agent has reacted, so the wait is extended: the lobby timeout counts again from now.
 */
export function sendLobbyMessage(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
  text: string,
): Promise<AgentActionResult> {
  return agentMove(deps, principal, id, 'message', {
    patch: (_action, at) => ({ lobbyMessage: { text, at }, lobbyExtendedAt: at }),
    data: { extended: true },
  });
}
