import type {
  AadObjectId,
  CallDeps,
  ConversationStore,
  NewOutboxEntry,
  NotificationOutbox,
  OutboxEntry,
  OutboxStatus,
} from '@shared';
import type { Logger } from '../../logger';
import { OutboxWorker, type OutboxWorkerTuning } from '../../outbox/outbox-worker';
import type { CardSender } from '../delivery/connector-client';
import { CardDelivery } from './card-delivery';

/** Tuning of the notifier; every field has a default. */
export type LobbyNotifierTuning = OutboxWorkerTuning;

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

/**
 * Lobby notifications that are neither lost nor doubled: the {@link OutboxWorker} over the
 * `lobby-cards` queue, whose entries come from the store's event log by the core's rules
 * (`notificationsFor`; ids derive from call, event seq, kind and target) and are delivered by
 * {@link CardDelivery}.
 */
export class LobbyNotifier {
  private readonly worker: OutboxWorker<OutboxEntry, NewOutboxEntry, OutboxStatus>;

  constructor(private readonly options: LobbyNotifierOptions) {
    this.worker = new OutboxWorker({
      deps: options.deps,
      queue: options.outbox,
      handler: new CardDelivery({
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
        onEscalated: options.onEscalated,
      }),
      logger: options.logger,
      name: 'lobby notifier',
      tuning: { ...DEFAULT_TUNING, ...options.tuning },
    });
  }

  /** Starts polling and listening to the bus. */
  start(): void {
    this.worker.start();
  }

  /** Stops the timer and the listener, and waits for the round in progress. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Runs a round now (or right after the one in progress) and resolves when it is done. */
  kick(): Promise<void> {
    return this.worker.kick();
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

  /** Turns new events into outbox entries and advances the cursor. Resolves how many were added. */
  ingest(): Promise<number> {
    return this.worker.ingest();
  }

  /** Delivers one batch of due entries. Resolves how many were leased. */
  deliverDue(): Promise<number> {
    return this.worker.runDue();
  }
}
