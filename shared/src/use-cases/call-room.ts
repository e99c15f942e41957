import { CALL_SIGNAL_LIMITS, type CallRole, type PeerPresence } from '../contracts/call-signal';
import { isTerminal, type CallRecord, type CallState } from '../domain/call';
import { callPhase } from '../domain/state-machine';
import { AppError } from '../errors';
import type { CallSeat } from '../ports/call-signal-store';
import {
  isoPlus,
  loadForAgent,
  type AgentPrincipal,
  type CallDeps,
  type CallRoom,
} from './context';
import { deadLink, effectiveState, loadForClaimant } from './customer-actions';

// What every browser-call action shares: who is asking (which side of which call), whether the call
// is open for talking, and how the other side's seat looks.

/** One side of one browser call: the call as loaded, its state as shown, and the asking role. */
export type CallSide = {
  readonly call: CallRecord;
  readonly role: CallRole;
  /** The state the side is shown (a call past its end reads `ended` before the sweeper runs). */
  readonly state: CallState;
};

/** The browser call's parts, or `internal` when this server was built without them (a bug). */
export function roomOf(deps: CallDeps): CallRoom {
  if (!deps.room) throw new AppError('internal', 'The browser call is not configured');
  return deps.room;
}

/**
 * The customer's side, authorised by the claim cookie like the lobby. A dead link is `link-dead`
 * (410) unless `readEnded` (the event stream and the poll report the end as a state instead).
 */
export async function customerSide(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
  options: { readonly readEnded?: boolean } = {},
): Promise<CallSide> {
  const call = await loadForClaimant(deps, code, claimToken);
  const state = effectiveState(call, deps);
  if (isTerminal(state) && !options.readEnded) throw deadLink(call, state);
  return { call, role: 'customer', state };
}

/**
 * The agent's side: the agent who admitted the call (else its owner). Team members who did not
 * admit it, and anybody else who can see it, are `forbidden`; those who cannot see it get
 * `not-found`, as everywhere in the agent API.
 */
export async function agentSide(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<CallSide> {
  const call = await loadForAgent(deps, principal, id);
  const holder = call.admittedBy?.id ?? call.agent.id;
  if (holder !== principal.id) {
    throw new AppError('forbidden', `Agent ${principal.id} did not admit call ${id}`);
  }
  return { call, role: 'agent', state: effectiveState(call, deps) };
}

/** Refuses signalling outside `admitted` and `in_call` with `wrong-state` (409, `details.state`). */
export function requireTalking(side: CallSide): void {
  if (callPhase(side.state) !== 'live') {
    throw new AppError('wrong-state', `Call ${side.call.id} is ${side.state}`, {
      details: { state: side.state },
    });
  }
}

/** The other role. */
export const otherRole = (role: CallRole): CallRole => (role === 'customer' ? 'agent' : 'customer');

/** The instant before which a heartbeat is stale. */
export const staleBefore = (now: Date): string =>
  isoPlus(now.toISOString(), -CALL_SIGNAL_LIMITS.staleSeconds);

/** How the other side's seat looks to `role`: present while its heartbeat is fresh. */
export function peerPresence(seats: readonly CallSeat[], role: CallRole, now: Date): PeerPresence {
  const seat = seats.find((s) => s.role === otherRole(role));
  if (!seat) return { present: false, sessionId: null };
  return { present: seat.heartbeatAt >= staleBefore(now), sessionId: seat.sessionId };
}
