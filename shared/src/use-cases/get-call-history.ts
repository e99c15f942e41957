import type { Actor, CallEvent } from '../domain/call';
import type { CallHistoryResponse } from '../contracts/reports';
import { loadForAgent, type AgentPrincipal, type CallDeps } from './context';

type Entry = CallHistoryResponse['entries'][number];

function actorOf(actor: Actor, event: CallEvent): Pick<Entry, 'actor' | 'by'> {
  switch (actor.kind) {
    case 'agent':
      return { actor: { kind: 'agent', name: actor.name }, by: actor.name };
    case 'customer':
      // The log never names the customer; the trail reads the same before and after retention.
      return { actor: { kind: 'customer' }, by: 'customer' };
    case 'system':
      return { actor: { kind: 'system', reason: event.type }, by: `system: ${event.type}` };
  }
}

/**
 * A call's audit trail — what happened, when, by whom — for its owner and, for team calls, the team's
 * members (anyone else gets `not-found`, as for the call itself).
 */
export async function getCallHistory(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<CallHistoryResponse> {
  const call = await loadForAgent(deps, principal, id);
  const events = await deps.store.events(call.id);
  return {
    callId: call.id,
    entries: events.map((e) => ({
      at: e.at,
      type: e.type,
      ...(e.fromState !== undefined ? { fromState: e.fromState } : {}),
      toState: e.toState,
      ...actorOf(e.actor, e),
    })),
  };
}
