import type { CallEvent, CallRecord } from '../domain/call';
import { callPhase } from '../domain/state-machine';
import type { ConversationKey } from '../ports/conversation-store';
import type { NewOutboxEntry, OutboxEntry } from '../ports/notification-outbox';
import { isoPlus, type CallDeps } from './context';

/** How lobby notifications behave. */
export type NotificationSettings = {
  /** Post to the team channel / remind the agent after this long without reaction; 0 turns it off. */
  readonly escalationSeconds: number;
};

const keyText = (key: ConversationKey) =>
  key.kind === 'personal' ? `personal` : `team:${key.teamId}`;

/**
 * Which cards an event of the call log calls for, and to whom (the notification rules):
 * - a claim of a call still in its lobby → a card to the owner's personal chat, and to the team
 *   channel for a team link; plus an escalation after `escalationSeconds` (to the channel, or a
 *   reminder to the owner);
 * - any later move of a call that had a customer → an update of every card sent for it;
 * - creation, reissue and the lobby lock → nothing.
 * Entry ids derive from (call, event seq, kind, target), so reading an event twice adds nothing.
 */
/** The events that never call for a notification (the first cases of {@link notificationsFor}). */
export const SILENT_EVENTS: readonly CallEvent['type'][] = ['created', 'reissued', 'lobby-locked'];

export async function notificationsFor(
  deps: CallDeps,
  event: CallEvent,
  settings: NotificationSettings,
): Promise<NewOutboxEntry[]> {
  const now = deps.clock.now().toISOString();
  const base = { callId: event.callId, seq: event.seq, createdAt: now };
  switch (event.type) {
    case 'created':
    case 'reissued':
    case 'lobby-locked':
      return [];
    case 'claimed': {
      const call = await deps.store.get(event.callId);
      // Already decided (tab click, or a backlog after a long outage): nothing to announce.
      if (!call || callPhase(call.state) !== 'lobby') return [];
      const agentId = call.agent.id;
      const targets: ConversationKey[] = [{ kind: 'personal', agentId }];
      if (call.team) targets.push({ kind: 'team', teamId: call.team.id });
      const entries: NewOutboxEntry[] = targets.map((target) => ({
        ...base,
        id: `${event.callId}:${event.seq}:card:${keyText(target)}`,
        agentId,
        kind: 'card',
        target,
        dueAt: now,
      }));
      if (settings.escalationSeconds > 0) {
        entries.push({
          ...base,
          id: `${event.callId}:${event.seq}:escalation`,
          agentId,
          kind: 'escalation',
          target: targets[targets.length - 1],
          dueAt: isoPlus(event.at, settings.escalationSeconds),
        });
      }
      return entries;
    }
    case 'admitted':
    case 'declined':
    case 'joined':
    case 'ended':
    case 'revoked':
    case 'expired':
    case 'abandoned':
    case 'timed-out':
    case 'lobby-extended':
    case 'lobby-message':
    case 'meeting-sync-failed': {
      // (A meeting step that failed for good is shown on the card too.)
      // Only calls that had a customer can have cards.
      if (!event.fromState || callPhase(event.fromState) === 'open') return [];
      const call = await deps.store.get(event.callId);
      if (!call) return [];
      return [
        {
          ...base,
          id: `${event.callId}:${event.seq}:update`,
          agentId: call.agent.id,
          kind: 'update',
          dueAt: now,
        },
      ];
    }
  }
}

/** Whether an entry is still worth delivering for the call as it is now, and if not, why. */
export type DeliveryCheck =
  | { readonly deliver: true }
  | { readonly deliver: false; readonly reason: 'call-gone' | 'reacted' | 'no-target' };

/**
 * The rule at delivery time: nothing for a call that is gone; an escalation only while the
 * customer still waits and the agent has not even sent a note.
 */
export function checkDelivery(entry: OutboxEntry, call: CallRecord | undefined): DeliveryCheck {
  if (!call) return { deliver: false, reason: 'call-gone' };
  if (entry.kind !== 'update' && !entry.target) return { deliver: false, reason: 'no-target' };
  if (entry.kind === 'escalation' && (callPhase(call.state) !== 'lobby' || call.lobbyMessage))
    return { deliver: false, reason: 'reacted' };
  return { deliver: true };
}

/** For an abandoned call: whether the lobby timed out (`system`) or the customer left. */
export async function abandonedBy(
  deps: Pick<CallDeps, 'store'>,
  call: CallRecord,
): Promise<'customer' | 'system' | undefined> {
  if (call.state !== 'abandoned') return undefined;
  const events = await deps.store.events(call.id);
  const last = [...events].reverse().find((e) => e.type === 'abandoned');
  return last?.actor.kind === 'system' ? 'system' : 'customer';
}
