import type { AadObjectId } from '../domain/call';
import type { ConversationKey, ConversationRef } from './conversation-store';
import type { OutboxQueue } from './outbox';

/**
 * What a delivery does.
 * - `card`: post the lobby card to a conversation.
 * - `escalation`: post the card again when nobody reacted in time (team channel, or a reminder).
 * - `update`: refresh every card already sent for the call to the call's current state.
 */
export type OutboxKind = 'card' | 'escalation' | 'update';

/** Where an outbox entry stands. `skipped`: nothing to do any more (the call moved on). */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** One notification to deliver, stored before any attempt so a restart does not lose it. */
export type OutboxEntry = {
  /** Idempotency key, e.g. `<callId>:<seq>:card:personal`; enqueueing it twice stores it once. */
  readonly id: string;
  readonly callId: string;
  /** The call's owner, for `failures(agentId)`. */
  readonly agentId: AadObjectId;
  /** The event that caused the entry (the outbox feed's cursor position). */
  readonly seq: number;
  readonly kind: OutboxKind;
  /** The conversation for `card` and `escalation`; `undefined` for `update`. */
  readonly target?: ConversationKey | undefined;
  readonly status: OutboxStatus;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** Not before this instant (ISO-8601 UTC): escalations, and retries after 429 / 5xx. */
  readonly dueAt: string;
  /** Why the last attempt failed: a short code such as `http-429` or `no-conversation`. Never personal data. */
  readonly lastError?: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** An entry to add (status `pending`, no attempts yet). */
export type NewOutboxEntry = Pick<
  OutboxEntry,
  'id' | 'callId' | 'agentId' | 'seq' | 'kind' | 'target' | 'dueAt' | 'createdAt'
>;

/** A card the bot posted, so later state changes can update it in place. */
export type SentCard = {
  readonly callId: string;
  /** The conversation the card lives in (for a channel post, the new thread's id). */
  readonly conversationId: string;
  /** The posted message's id in that conversation (what an update replaces). */
  readonly messageId: string;
  /** The reference it was sent with, its `conversationId` being the card's conversation. */
  readonly ref: ConversationRef;
  readonly sentAt: string;
  /**
   * The outbox entry that posted the card. A retry of that entry finds its card here and updates
   * it instead of posting another. `undefined` for cards recorded without one.
   */
  readonly entryId?: string | undefined;
};

/**
 * The persisted outbox of lobby notifications: the `lobby-cards` queue of the shared outbox
 * ({@link OutboxQueue}), with the cursor over the store's event log and the cards already sent.
 * Every adapter passes `tests/contract/conversation-outbox.contract.ts`.
 */
export interface NotificationOutbox extends OutboxQueue<OutboxEntry, NewOutboxEntry, OutboxStatus> {
  /**
   * Remembers a posted card (with the entry that posted it); storing the same (call, conversation,
   * message) again changes nothing. Called as soon as the connector answered, before the entry is
   * marked sent.
   */
  recordSent(card: SentCard): Promise<void>;
  /** The cards posted for a call, oldest first. */
  sentCards(callId: string): Promise<SentCard[]>;
  /** The agent's failed deliveries, newest first, at most `limit`. */
  failures(agentId: AadObjectId, limit: number): Promise<OutboxEntry[]>;
  /**
   * Retention: deletes finished entries (not `pending`) last updated before `before`, and sent cards
   * posted before it. Resolves how many rows went.
   */
  purge(before: string): Promise<number>;
}
