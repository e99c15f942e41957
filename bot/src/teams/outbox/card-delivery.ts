import {
  SILENT_EVENTS,
  checkDelivery,
  notificationsFor,
  type CallDeps,
  type CallEvent,
  type ConversationRef,
  type ConversationStore,
  type NewOutboxEntry,
  type NotificationOutbox,
  type OutboxEntry,
  type OutboxStatus,
} from '@shared';
import { errorFields, type Logger } from '../../logger';
import type { AttemptFailure, OutboxHandler } from '../../outbox/outbox-worker';
import { DeliveryError, type CardSender } from '../delivery/connector-client';
import { renderLobbyCard, type CardRendering } from './card-rendering';

/** What {@link CardDelivery} works with. */
export type CardDeliveryOptions = {
  readonly deps: CallDeps;
  readonly conversations: ConversationStore;
  readonly outbox: NotificationOutbox;
  readonly sender: CardSender;
  readonly logger: Logger;
  readonly rendering: CardRendering;
  /** Told when an escalation card went out (the reports' "answered by escalation" fact). */
  readonly onEscalated?: ((callId: string, at: string) => Promise<void>) | undefined;
};

type Outcome = { status: 'sent' | 'skipped' | 'failed'; reason?: string | undefined };

/**
 * The lobby cards' handler of the outbox worker: turns events into outbox entries by the core's
 * rules (`notificationsFor`), and delivers an entry through the {@link CardSender}: posts new
 * cards and updates sent ones. A 429 (its `Retry-After`), a 5xx or no answer is retried by the
 * worker; a refusal (403, 404) is not.
 *
 * Never two live cards for one entry: the activity id the connector answers is stored with the
 * entry's id at once, before the entry is marked sent. When a process dies in between, the entry
 * is leased again after its lease and finds its card: that card is updated in place rather than
 * posted again. Only a death between the connector's answer and that one local write leaves an
 * orphan (README, "Lobby cards").
 */
export class CardDelivery implements OutboxHandler<OutboxEntry, NewOutboxEntry, OutboxStatus> {
  readonly cursor = 'lobby-cards';

  constructor(private readonly options: CardDeliveryOptions) {}

  entriesFor(event: CallEvent): Promise<NewOutboxEntry[]> {
    const { deps, rendering } = this.options;
    return notificationsFor(deps, event, { escalationSeconds: rendering.escalationSeconds });
  }

  /** A creation (a reissue, a lobby lock) announces nothing. */
  wakesFor(event: CallEvent): boolean {
    return !SILENT_EVENTS.includes(event.type);
  }

  async run(entry: OutboxEntry): Promise<Outcome> {
    const outcome = await this.attempt(entry);
    if (outcome.status === 'failed') {
      this.options.logger.warn('lobby notification not deliverable', {
        callId: entry.callId,
        kind: entry.kind,
        reason: outcome.reason,
      });
    }
    return outcome;
  }

  judge(error: unknown): AttemptFailure {
    if (!(error instanceof DeliveryError)) return { reason: 'internal', retryable: true };
    return {
      reason: error.status === undefined ? 'unreachable' : `http-${error.status}`,
      retryable: error.retryable,
      // Only the connector's 429 asks for a wait of its own.
      retryAfterMs: error.status === 429 ? error.retryAfterMs : undefined,
    };
  }

  willRetry(entry: OutboxEntry, failure: AttemptFailure, error: unknown, waitMs: number): void {
    this.options.logger.info('lobby notification will be retried', {
      callId: entry.callId,
      kind: entry.kind,
      reason: failure.reason,
      attempt: entry.attempts + 1,
      waitMs,
      ...(failure.reason === 'internal' ? errorFields(error) : {}),
    });
  }

  gaveUp(
    entry: OutboxEntry,
    failure: AttemptFailure,
    _error: unknown,
    attempts: number,
  ): Promise<void> {
    this.options.logger.warn('lobby notification failed', {
      callId: entry.callId,
      kind: entry.kind,
      reason: failure.reason,
      attempts,
    });
    return Promise.resolve();
  }

  private async attempt(entry: OutboxEntry): Promise<Outcome> {
    const { deps, conversations, outbox, sender, rendering } = this.options;
    const call = await deps.store.get(entry.callId);
    const check = checkDelivery(entry, call);
    if (!check.deliver || !call)
      return { status: 'skipped', reason: check.deliver ? undefined : check.reason };
    const sent = await outbox.sentCards(call.id);
    if (entry.kind === 'update') {
      if (sent.length === 0) return { status: 'skipped', reason: 'no-cards' };
      for (const card of sent) {
        try {
          await sender.update(
            card.ref,
            card.messageId,
            await renderLobbyCard(deps, call, card.ref, rendering),
          );
        } catch (error) {
          // A deleted message or a removed bot: that copy cannot be updated; the others still can.
          if (error instanceof DeliveryError && !error.retryable) continue;
          throw error;
        }
      }
      return { status: 'sent' };
    }
    const escalation =
      entry.kind === 'escalation'
        ? entry.target?.kind === 'team'
          ? 'team'
          : 'reminder'
        : undefined;
    const earlier = sent.find((card) => card.entryId === entry.id);
    if (earlier) {
      // This entry's card reached Teams before the process died: bring it up to date, post no other.
      await sender.update(
        earlier.ref,
        earlier.messageId,
        await renderLobbyCard(deps, call, earlier.ref, rendering, escalation),
      );
      return { status: 'sent', reason: 'recovered' };
    }
    const ref = entry.target && (await conversations.get(entry.target));
    if (!entry.target || !ref) return { status: 'failed', reason: 'no-conversation' };
    const card = await renderLobbyCard(deps, call, ref, rendering, escalation);
    const channelId =
      entry.target.kind === 'team' ? (call.team?.channelId ?? ref.conversationId) : undefined;
    const posted = await sender.send(ref, card, { channelId });
    if (escalation) await this.options.onEscalated?.(call.id, deps.clock.now().toISOString());
    const postedRef = { ...ref, conversationId: posted.conversationId };
    await outbox.recordSent({
      callId: call.id,
      conversationId: posted.conversationId,
      messageId: posted.activityId,
      ref: postedRef,
      sentAt: deps.clock.now().toISOString(),
      entryId: entry.id,
    });
    await this.catchUp(call.version, call.id, posted.activityId, postedRef, escalation);
    return { status: 'sent' };
  }

  /**
   * The call may have moved on while the card was on its way, and an update entry handled by
   * another instance in that moment found no card to update: bring the new card up to date now.
   */
  private async catchUp(
    renderedVersion: number,
    callId: string,
    activityId: string,
    ref: ConversationRef,
    escalation: 'team' | 'reminder' | undefined,
  ): Promise<void> {
    const { deps, sender, rendering, logger } = this.options;
    const latest = await deps.store.get(callId);
    if (!latest || latest.version === renderedVersion) return;
    const card = await renderLobbyCard(deps, latest, ref, rendering, escalation);
    await sender.update(ref, activityId, card).catch((error: unknown) => {
      logger.info('catch-up update of a new card failed; a later update will retry', {
        callId,
        ...errorFields(error),
      });
    });
  }
}
