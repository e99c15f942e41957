import {
  isoPlus,
  toCallDto,
  type AadObjectId,
  type CallDeps,
  type CallEvent,
  type CallRecord,
  type ConversationKey,
  type ConversationRef,
  type ConversationStore,
  type NewOutboxEntry,
  type NotificationOutbox,
  type OutboxEntry,
} from '@shared';
import type { Logger } from '../../logger';
import { cardLocale } from '../cards/card-strings';
import { buildLobbyCard, type LobbyCardOptions } from '../cards/lobby-card';
import { DeliveryError, type CardSender } from '../delivery/connector-client';

/** Tuning of the notifier; every field has a default. */
export type LobbyNotifierTuning = {
  /** How often the event log is polled when the bus is quiet. @default 1000 */
  readonly pollIntervalMs: number;
  /** Events read, and entries leased, per round. @default 100 */
  readonly batchSize: number;
  /** How long a leased entry is held by this process. @default 30000 */
  readonly leaseMs: number;
  /** Attempts before an entry is marked failed. @default 6 */
  readonly maxAttempts: number;
  /** First retry delay after a 5xx; doubles per attempt. @default 1000 */
  readonly backoffBaseMs: number;
  /** @default 60000 */
  readonly backoffMaxMs: number;
  /** Calls delivered in parallel (one call's entries always in order). @default 8 */
  readonly concurrency: number;
};

const DEFAULT_TUNING: LobbyNotifierTuning = {
  pollIntervalMs: 1000,
  batchSize: 100,
  leaseMs: 30_000,
  maxAttempts: 6,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  concurrency: 8,
};

/** Options of {@link LobbyNotifier}. */
export type LobbyNotifierOptions = {
  readonly deps: CallDeps;
  readonly conversations: ConversationStore;
  readonly outbox: NotificationOutbox;
  readonly sender: CardSender;
  readonly logger: Logger;
  readonly tabUrl: string;
  /** See `LobbyCardOptions.autoRefresh`. */
  readonly autoRefresh?: boolean | undefined;
  /** Post to the team channel / remind the agent after this long without reaction; 0 turns it off. */
  readonly escalationSeconds: number;
  readonly tuning?: Partial<LobbyNotifierTuning> | undefined;
  /** Told when an escalation card went out (the reports' "answered by escalation" fact). */
  readonly onEscalated?: ((callId: string, at: string) => Promise<void>) | undefined;
};

/** A failed delivery as the tab may show it. No personal data. */
export type DeliveryFailure = {
  readonly callId: string;
  readonly kind: OutboxEntry['kind'];
  /** `no-conversation` (the agent never opened the bot chat), `http-403`, `http-429`, `unreachable` … */
  readonly reason: string;
  readonly attempts: number;
  readonly at: string;
};

const CURSOR = 'lobby-cards';

const keyText = (key: ConversationKey) =>
  key.kind === 'personal' ? `personal` : `team:${key.teamId}`;

/**
 * Lobby notifications that are neither lost nor doubled. The store's event log is the durable
 * source: every round reads the events after a persisted cursor and turns them into outbox entries
 * whose ids derive from (call, event seq, kind, target), so an event read twice, or again after a
 * restart, adds nothing. The event bus only wakes the notifier early. Entries are then delivered
 * through the {@link CardSender}, retried after 429 (`Retry-After`) and 5xx with backoff, and
 * marked failed after `maxAttempts`.
 */
export class LobbyNotifier {
  private readonly tuning: LobbyNotifierTuning;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: LobbyNotifierOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  /** Starts polling and listening to the bus. */
  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.options.deps.bus.subscribe(() => void this.kick());
    this.timer = setInterval(() => void this.kick(), this.tuning.pollIntervalMs);
    this.timer.unref();
    void this.kick();
  }

  /** Stops the timer and the listener, and waits for the round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.running;
  }

  /** Runs a round now (or right after the one in progress) and resolves when it is done. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The agent's failed deliveries, newest first. */
  async failures(agentId: AadObjectId, limit = 20): Promise<DeliveryFailure[]> {
    const entries = await this.options.outbox.failures(agentId, limit);
    return entries.map((e) => ({
      callId: e.callId,
      kind: e.kind,
      reason: e.lastError ?? 'unknown',
      attempts: e.attempts,
      at: e.updatedAt,
    }));
  }

  private async round(): Promise<void> {
    try {
      await this.ingest();
      while ((await this.deliverDue()) === this.tuning.batchSize) {
        // A full batch: there may be more due right now.
      }
    } catch (error) {
      this.options.logger.error('lobby notifier round failed', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  /** Turns new events into outbox entries and advances the cursor. Resolves how many were added. */
  async ingest(): Promise<number> {
    const { outbox, deps } = this.options;
    let cursor = await outbox.cursor(CURSOR);
    let added = 0;
    for (;;) {
      const events = await deps.store.eventsSince(cursor, this.tuning.batchSize);
      if (events.length === 0) return added;
      const entries: NewOutboxEntry[] = [];
      for (const event of events) entries.push(...(await this.entriesFor(event)));
      added += await outbox.enqueue(entries);
      cursor = events[events.length - 1]!.seq;
      await outbox.saveCursor(CURSOR, cursor);
      if (events.length < this.tuning.batchSize) return added;
    }
  }

  private async entriesFor(event: CallEvent): Promise<NewOutboxEntry[]> {
    const now = this.options.deps.clock.now().toISOString();
    const base = { callId: event.callId, seq: event.seq, createdAt: now };
    switch (event.type) {
      case 'created':
      case 'reissued':
        return [];
      case 'claimed': {
        const call = await this.options.deps.store.get(event.callId);
        // Already decided (tab click, or a backlog after a long outage): nothing to announce.
        if (!call || call.state !== 'waiting') return [];
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
        if (this.options.escalationSeconds > 0) {
          entries.push({
            ...base,
            id: `${event.callId}:${event.seq}:escalation`,
            agentId,
            kind: 'escalation',
            target: targets[targets.length - 1],
            dueAt: isoPlus(event.at, this.options.escalationSeconds),
          });
        }
        return entries;
      }
      case 'lobby-locked':
        // The Teams lobby closed again behind the admitted customer: nothing on the card changes.
        return [];
      case 'admitted':
      case 'declined':
      case 'joined':
      case 'ended':
      case 'revoked':
      case 'expired':
      case 'abandoned':
      case 'lobby-message': {
        // Only calls that had a customer can have cards.
        if (!event.fromState || event.fromState === 'scheduled') return [];
        const call = await this.options.deps.store.get(event.callId);
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

  /** Delivers one batch of due entries. Resolves how many were leased. */
  async deliverDue(): Promise<number> {
    const { outbox, deps } = this.options;
    const now = deps.clock.now();
    const leased = await outbox.lease(
      now.toISOString(),
      new Date(now.getTime() + this.tuning.leaseMs).toISOString(),
      this.tuning.batchSize,
    );
    const byCall = new Map<string, OutboxEntry[]>();
    for (const entry of leased)
      byCall.set(entry.callId, [...(byCall.get(entry.callId) ?? []), entry]);
    const groups = [...byCall.values()];
    const workers = Array.from(
      { length: Math.min(this.tuning.concurrency, groups.length) },
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
    const { outbox, deps, logger } = this.options;
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
      if (retryable && entry.attempts + 1 < this.tuning.maxAttempts) {
        const backoff = Math.min(
          this.tuning.backoffMaxMs,
          this.tuning.backoffBaseMs * 2 ** entry.attempts,
        );
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

  private async attempt(
    entry: OutboxEntry,
  ): Promise<{ status: 'sent' | 'skipped' | 'failed'; reason?: string | undefined }> {
    const { deps, conversations, outbox, sender, tabUrl } = this.options;
    const call = await deps.store.get(entry.callId);
    if (!call) return { status: 'skipped', reason: 'call-gone' };
    const now = deps.clock.now();
    const cardOptions: LobbyCardOptions = {
      tabUrl,
      autoRefresh: this.options.autoRefresh,
      abandonedBy: await this.abandonedBy(call),
    };
    if (entry.kind === 'update') {
      const cards = await outbox.sentCards(call.id);
      if (cards.length === 0) return { status: 'skipped', reason: 'no-cards' };
      for (const sent of cards) {
        const card = buildLobbyCard(toCallDto(call), now, cardLocale(sent.ref.locale), cardOptions);
        try {
          await sender.update(sent.ref, sent.activityId, card);
        } catch (error) {
          // A deleted message or a removed bot: that copy cannot be updated; the others still can.
          if (error instanceof DeliveryError && !error.retryable) continue;
          throw error;
        }
      }
      return { status: 'sent' };
    }
    if (!entry.target) return { status: 'skipped', reason: 'no-target' };
    if (entry.kind === 'escalation' && (call.state !== 'waiting' || call.lobbyMessage)) {
      return { status: 'skipped', reason: 'reacted' };
    }
    const ref = await conversations.get(entry.target);
    if (!ref) return { status: 'failed', reason: 'no-conversation' };
    const card = buildLobbyCard(toCallDto(call), now, cardLocale(ref.locale), {
      ...cardOptions,
      ...(entry.kind === 'escalation'
        ? {
            escalation: {
              kind: entry.target.kind === 'team' ? 'team' : 'reminder',
              afterSeconds: this.options.escalationSeconds,
            },
          }
        : {}),
    });
    const channelId =
      entry.target.kind === 'team' ? (call.team?.channelId ?? ref.conversationId) : undefined;
    const posted = await sender.send(ref, card, { channelId });
    if (entry.kind === 'escalation') await this.options.onEscalated?.(call.id, now.toISOString());
    await outbox.recordSent({
      callId: call.id,
      conversationId: posted.conversationId,
      activityId: posted.activityId,
      ref: { ...ref, conversationId: posted.conversationId },
      sentAt: deps.clock.now().toISOString(),
    });
    await this.catchUp(
      call,
      posted.activityId,
      { ...ref, conversationId: posted.conversationId },
      cardOptions,
    );
    return { status: 'sent' };
  }

  /**
   * The call may have moved on while the card was on its way, and an update entry handled by
   * another instance in that moment found no card to update: bring the new card up to date now.
   */
  private async catchUp(
    rendered: CallRecord,
    activityId: string,
    ref: ConversationRef,
    options: LobbyCardOptions,
  ): Promise<void> {
    const latest = await this.options.deps.store.get(rendered.id);
    if (!latest || latest.version === rendered.version) return;
    const card = buildLobbyCard(
      toCallDto(latest),
      this.options.deps.clock.now(),
      cardLocale(ref.locale),
      {
        ...options,
        abandonedBy: await this.abandonedBy(latest),
      },
    );
    await this.options.sender.update(ref, activityId, card).catch((error: unknown) => {
      this.options.logger.info('catch-up update of a new card failed; a later update will retry', {
        callId: rendered.id,
        error: error instanceof Error ? error.name : 'unknown',
      });
    });
  }

  private async abandonedBy(call: CallRecord): Promise<'customer' | 'system' | undefined> {
    if (call.state !== 'abandoned') return undefined;
    const events = await this.options.deps.store.events(call.id);
    const last = [...events].reverse().find((e) => e.type === 'abandoned');
    return last?.actor.kind === 'system' ? 'system' : 'customer';
  }
}
