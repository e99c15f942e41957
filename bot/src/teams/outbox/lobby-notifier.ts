import {
  notificationsFor,
  type AadObjectId,
  type CallDeps,
  type ConversationStore,
  type NewOutboxEntry,
  type NotificationOutbox,
  type OutboxEntry,
} from '@shared';
import { errorFields, type Logger } from '../../logger';
import type { CardSender } from '../delivery/connector-client';
import { CardDelivery, type DeliveryTuning } from './card-delivery';

/** Tuning of the notifier; every field has a default. */
export type LobbyNotifierTuning = DeliveryTuning & {
  /** How often the event log is polled when the bus is quiet. @default 1000 */
  readonly pollIntervalMs: number;
  /**
   * After a bus wake-up, how long the notifier gathers further changes before its round. Each round
   * costs the same few statements and a cursor write however many events it reads, so under load
   * one round takes a batch instead of one round (and one commit) per change. @default 20
   */
  readonly wakeDelayMs: number;
};

const DEFAULT_TUNING: LobbyNotifierTuning = {
  pollIntervalMs: 1000,
  wakeDelayMs: 20,
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

/**
 * Lobby notifications that are neither lost nor doubled: the polling loop. The store's event log
 * is the durable source: every round reads the events after a persisted cursor and turns them into
 * outbox entries by the core's rules (`notificationsFor`), whose ids derive from (call, event seq,
 * kind, target), so an event read twice, or again after a restart, adds nothing. The event bus
 * only wakes the loop early. Entries are then delivered by {@link CardDelivery}.
 */
export class LobbyNotifier {
  private readonly tuning: LobbyNotifierTuning;
  private readonly delivery: CardDelivery;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: LobbyNotifierOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.delivery = new CardDelivery({
      deps: options.deps,
      conversations: options.conversations,
      outbox: options.outbox,
      sender: options.sender,
      logger: options.logger,
      rendering: {
        tabUrl: options.tabUrl,
        autoRefresh: options.autoRefresh,
        escalationSeconds: options.escalationSeconds,
      },
      tuning: this.tuning,
      onEscalated: options.onEscalated,
    });
  }

  /** Starts polling and listening to the bus. */
  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.options.deps.bus.subscribe(() => this.wake());
    this.timer = setInterval(() => void this.kick(), this.tuning.pollIntervalMs);
    this.timer.unref();
    void this.kick();
  }

  /** Stops the timer and the listener, and waits for the round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.running;
  }

  /** A change on the bus: one round soon, shared with the changes that follow within `wakeDelayMs`. */
  private wake(): void {
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      void this.kick();
    }, this.tuning.wakeDelayMs);
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
      this.options.logger.error('lobby notifier round failed', errorFields(error));
    }
  }

  /** Turns new events into outbox entries and advances the cursor. Resolves how many were added. */
  async ingest(): Promise<number> {
    const { outbox, deps, escalationSeconds } = this.options;
    let cursor = await outbox.cursor(CURSOR);
    let added = 0;
    for (;;) {
      const events = await deps.store.eventsSince(cursor, this.tuning.batchSize);
      if (events.length === 0) return added;
      const entries: NewOutboxEntry[] = [];
      for (const event of events)
        entries.push(...(await notificationsFor(deps, event, { escalationSeconds })));
      // Most events (creation, the link's later moves before a claim) call for no card.
      if (entries.length > 0) added += await outbox.enqueue(entries);
      cursor = events[events.length - 1]!.seq;
      await outbox.saveCursor(CURSOR, cursor);
      if (events.length < this.tuning.batchSize) return added;
    }
  }

  /** Delivers one batch of due entries. Resolves how many were leased. */
  deliverDue(): Promise<number> {
    return this.delivery.deliverDue();
  }
}
