import { isTerminal } from '../domain/call';
import { AppError } from '../errors';
import { loadForAgent, type AgentPrincipal, type CallDeps } from './context';

/**
 * The Teams join link of a call's meeting, for the agent's **Join meeting** (a Teams deep link the
 * tab opens with teams-js). Only for agents who may act on the call, and only while it is alive:
 * anonymous customers wait in the Teams lobby until a signed-in participant is in the meeting, so
 * the agent joins. Never part of the call list or its events. `not-found` for calls without a Teams
 * meeting (same answer as a call the agent may not see); `state-conflict` once the call is over.
 */
export async function meetingJoinLink(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<string> {
  const call = await loadForAgent(deps, principal, id);
  if (call.meeting.provider !== 'teams' || !call.meeting.joinUrl) {
    throw new AppError('not-found', `Call ${id} has no Teams meeting`);
  }
  if (isTerminal(call.state)) {
    throw new AppError('state-conflict', `Call ${id} is over (${call.state})`, {
      details: { state: call.state, version: call.version },
    });
  }
  return call.meeting.joinUrl;
}
