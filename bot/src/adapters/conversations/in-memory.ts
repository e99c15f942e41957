import type { ConversationKey, ConversationRef, ConversationStore, SentCard } from '@shared';
import { InMemoryOutbox } from '../outbox/in-memory-outbox';
import { conversationKeyText } from './keys';
import { LobbyNotificationOutbox, type SentCardStore } from './notification-outbox';

/** Conversation references in memory: tests, benchmarks and throwaway runs. */
export class InMemoryConversationStore implements ConversationStore {
  private readonly refs = new Map<string, ConversationRef>();

  migrate(): Promise<void> {
    return Promise.resolve();
  }
  put(key: ConversationKey, ref: ConversationRef): Promise<void> {
    this.refs.set(conversationKeyText(key), { ...ref });
    return Promise.resolve();
  }
  get(key: ConversationKey): Promise<ConversationRef | undefined> {
    const ref = this.refs.get(conversationKeyText(key));
    return Promise.resolve(ref ? { ...ref } : undefined);
  }
  remove(key: ConversationKey): Promise<boolean> {
    return Promise.resolve(this.refs.delete(conversationKeyText(key)));
  }
}

/** The cards the bot posted, in memory. */
export class InMemorySentCards implements SentCardStore {
  private readonly cards: SentCard[] = [];

  recordSent(card: SentCard): Promise<void> {
    const known = this.cards.some(
      (c) =>
        c.callId === card.callId &&
        c.conversationId === card.conversationId &&
        c.messageId === card.messageId,
    );
    if (!known) this.cards.push({ ...card });
    return Promise.resolve();
  }
  sentCards(callId: string): Promise<SentCard[]> {
    return Promise.resolve(this.cards.filter((c) => c.callId === callId).map((c) => ({ ...c })));
  }
  purge(before: string): Promise<number> {
    const kept = this.cards.filter((c) => c.sentAt >= before);
    const removed = this.cards.length - kept.length;
    this.cards.splice(0, this.cards.length, ...kept);
    return Promise.resolve(removed);
  }
}

/** The lobby outbox in memory. Same semantics as the SQL adapters, nothing survives the process. */
export class InMemoryNotificationOutbox extends LobbyNotificationOutbox {
  constructor() {
    super(new InMemoryOutbox(), new InMemorySentCards());
  }
}
