import type {
  AadObjectId,
  NewOutboxEntry,
  NotificationOutbox,
  Outbox,
  OutboxEntry,
  OutboxKind,
  OutboxStatus,
  SentCard,
} from '@shared';
import { asAadObjectId } from '@shared';
import {
  OutboxQueueView,
  entryFieldsOf,
  jobFieldsOf,
  type QueueCodec,
} from '../outbox/outbox-queue';
import type { EarlierQueue } from '../outbox/sql-outbox';
import { conversationKeyText, parseConversationKey } from './keys';

/** What a lobby card's job carries besides the call, the agent and the event. */
type LobbyPayload = { readonly kind: OutboxKind; readonly target?: string | null };

/**
 * Lobby notifications as jobs of the `lobby-cards` queue: the call is the group, the agent the
 * owner (for `failures`), the kind and the stored form of the target the payload; `sent` is `done`.
 */
export const LOBBY_CARDS_QUEUE: QueueCodec<OutboxEntry, NewOutboxEntry, OutboxStatus> = {
  queue: 'lobby-cards',
  toJob: (e) => ({
    ...jobFieldsOf(e),
    owner: e.agentId,
    payload: { kind: e.kind, ...(e.target ? { target: conversationKeyText(e.target) } : {}) },
  }),
  fromJob: (job) => {
    const payload = job.payload as LobbyPayload;
    const target = payload.target ? parseConversationKey(payload.target) : undefined;
    return {
      ...entryFieldsOf(job, LOBBY_CARDS_QUEUE.statuses),
      agentId: asAadObjectId(job.owner ?? ''),
      kind: payload.kind,
      ...(target ? { target } : {}),
    };
  },
  statuses: { pending: 'pending', done: 'sent', skipped: 'skipped', failed: 'failed' },
};

/** The table the lobby outbox had before the shared outbox (the `outbox` namespace). */
export const EARLIER_LOBBY_CARDS: EarlierQueue = {
  table: 'bot_outbox',
  cursors: 'bot_outbox_cursors',
  queue: LOBBY_CARDS_QUEUE.queue,
  owner: 'agent_id',
  payload: ['kind', 'target'],
  done: 'sent',
};

/** The cards the bot posted, per call (`bot_sent_cards`, or memory). */
export interface SentCardStore {
  recordSent(card: SentCard): Promise<void>;
  sentCards(callId: string): Promise<SentCard[]>;
  /** Deletes the cards posted before `before`; resolves how many went. */
  purge(before: string): Promise<number>;
}

/**
 * The lobby-notification outbox: the `lobby-cards` queue of an {@link Outbox}, and the cards
 * already sent. `migrateEarlier`: see {@link OutboxQueueView}.
 */
export class LobbyNotificationOutbox
  extends OutboxQueueView<OutboxEntry, NewOutboxEntry, OutboxStatus>
  implements NotificationOutbox
{
  constructor(
    outbox: Outbox,
    private readonly cards: SentCardStore,
    migrateEarlier?: () => Promise<void>,
  ) {
    super(outbox, LOBBY_CARDS_QUEUE, migrateEarlier);
  }

  recordSent(card: SentCard): Promise<void> {
    return this.cards.recordSent(card);
  }

  sentCards(callId: string): Promise<SentCard[]> {
    return this.cards.sentCards(callId);
  }

  async failures(agentId: AadObjectId, limit: number): Promise<OutboxEntry[]> {
    const jobs = await this.outbox.failures(this.codec.queue, agentId, limit);
    return jobs.map(this.codec.fromJob);
  }

  override async purge(before: string): Promise<number> {
    return (await super.purge(before)) + (await this.cards.purge(before));
  }
}
