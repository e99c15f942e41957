import {
  checkDelivery,
  type CallDeps,
  type ConversationRef,
  type ConversationStore,
  type NotificationOutbox,
  type OutboxEntry,
} from '@shared';
import { errorFields, type Logger } from '../../logger';
import { DeliveryError, type CardSender } from '../delivery/connector-client';
import { renderLobbyCard, type CardRendering } from './card-rendering';

/** How deliveries are paced and retried. */
export type DeliveryTuning = {
  /** Entries leased per round. */
  readonly batchSize: number;
  /** How long a leased entry is held by this process. */
  readonly leaseMs: number;
  /** Attempts before an entry is marked failed. */
  readonly maxAttempts: number;
  /** First retry delay after a 5xx; doubles per attempt. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Calls delivered in parallel (one call's entries always in order). */
  readonly concurrency: number;
};

/** What {@link CardDelivery} works with. */
export type CardDeliveryOptions = {
  readonly deps: CallDeps;
  readonly conversations: ConversationStore;
  readonly outbox: NotificationOutbox;
  readonly sender: CardSender;
  readonly logger: Logger;
  readonly rendering: CardRendering;
  readonly tuning: DeliveryTuning;
  /** Told when an escalation card went out (the reports' "answered by escalation" fact). */
  readonly onEscalated?: ((callId: string, at: string) => Promise<void>) | undefined;
};

type Outcome = { status: 'sent' | 'skipped' | 'failed'; reason?: string | undefined };

/**
 * Delivers due outbox entries through the {@link CardSender}: posts new cards, updates sent ones,
 * retries after 429 (`Retry-After`) and 5xx with backoff, and marks an entry failed after
 * `maxAttempts`.
 *
 * Never two live cards for one entry: the activity id the connector answers is stored with the
 * entry's id at once, before the entry is marked sent. When a process dies in between, the entry
 * is leased again after its lease and finds its card: that card is updated in place rather than
 * posted again. Only a death between the connector's answer and that one local write leaves an
 * orphan (README, "Lobby cards").
 */
export class CardDelivery {
  constructor(private readonly options: CardDeliveryOptions) {}

  /** Delivers one batch of due entries. Resolves how many were leased. */
  async deliverDue(): Promise<number> {
    const { outbox, deps, tuning } = this.options;
    const now = deps.clock.now();
    const leased = await outbox.lease(
      now.toISOString(),
      new Date(now.getTime() + tuning.leaseMs).toISOString(),
      tuning.batchSize,
    );
    const byCall = new Map<string, OutboxEntry[]>();
    for (const entry of leased)
      byCall.set(entry.callId, [...(byCall.get(entry.callId) ?? []), entry]);
    const groups = [...byCall.values()];
    const workers = Array.from(
      { length: Math.min(tuning.concurrency, groups.length) },
      async () => {
        for (let group = groups.shift(); group; group = groups.shift()) {
          for (const entry of group) await this.deliverOne(entry);
        }
      },
    );
    await Promise.all(workers);
    return leased.length;
  }

  private async deliverOne(entry: OutboxEntry): Promise<void> {
    const { outbox, deps, logger, tuning } = this.options;
    try {
      const outcome = await this.attempt(entry);
      await outbox.complete(
        entry.id,
        outcome.status,
        deps.clock.now().toISOString(),
        outcome.reason,
      );
      if (outcome.status === 'failed') {
        logger.warn('lobby notification not deliverable', {
          callId: entry.callId,
          kind: entry.kind,
          reason: outcome.reason,
        });
      }
    } catch (error) {
      const at = deps.clock.now();
      const reason =
        error instanceof DeliveryError
          ? error.status === undefined
            ? 'unreachable'
            : `http-${error.status}`
          : 'internal';
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      if (retryable && entry.attempts + 1 < tuning.maxAttempts) {
        const backoff = Math.min(tuning.backoffMaxMs, tuning.backoffBaseMs * 2 ** entry.attempts);
        const waitMs =
          error instanceof DeliveryError && error.status === 429
            ? (error.retryAfterMs ?? backoff)
            : backoff;
        await outbox.retry(
          entry.id,
          new Date(at.getTime() + waitMs).toISOString(),
          at.toISOString(),
          reason,
        );
        logger.info('lobby notification will be retried', {
          callId: entry.callId,
          kind: entry.kind,
          reason,
          attempt: entry.attempts + 1,
          waitMs,
          ...(reason === 'internal' ? errorFields(error) : {}),
        });
        return;
      }
      await outbox.complete(entry.id, 'failed', at.toISOString(), reason);
      logger.warn('lobby notification failed', {
        callId: entry.callId,
        kind: entry.kind,
        reason,
        attempts: entry.attempts + 1,
      });
    }
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
            card.activityId,
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
        earlier.activityId,
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
      activityId: posted.activityId,
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
