import type {
  AadObjectId,
  ConversationKey,
  ConversationRef,
  ConversationStore,
  NewOutboxEntry,
  NotificationOutbox,
  OutboxEntry,
  OutboxStatus,
  SentCard,
} from '@shared';
import { conversationKeyText } from './keys';

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

type Stored = OutboxEntry & { leaseUntil?: string | undefined };

/** The outbox in memory. Same semantics as the SQL adapters, nothing survives the process. */
export class InMemoryNotificationOutbox implements NotificationOutbox {
  private readonly entries = new Map<string, Stored>();
  private readonly cursors = new Map<string, number>();
  private readonly cards: SentCard[] = [];

  migrate(): Promise<void> {
    return Promise.resolve();
  }
  cursor(name: string): Promise<number> {
    return Promise.resolve(this.cursors.get(name) ?? 0);
  }
  saveCursor(name: string, seq: number): Promise<void> {
    this.cursors.set(name, Math.max(seq, this.cursors.get(name) ?? 0));
    return Promise.resolve();
  }
  enqueue(entries: readonly NewOutboxEntry[]): Promise<number> {
    let added = 0;
    for (const e of entries) {
      if (this.entries.has(e.id)) continue;
      this.entries.set(e.id, {
        ...e,
        status: 'pending',
        attempts: 0,
        updatedAt: e.createdAt,
      });
      added += 1;
    }
    return Promise.resolve(added);
  }
  lease(now: string, leaseUntil: string, limit: number): Promise<OutboxEntry[]> {
    const due = [...this.entries.values()]
      .filter(
        (e) => e.status === 'pending' && e.dueAt <= now && (!e.leaseUntil || e.leaseUntil <= now),
      )
      .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const e of due) this.entries.set(e.id, { ...e, leaseUntil });
    return Promise.resolve(due.map(strip));
  }
  complete(
    id: string,
    status: Exclude<OutboxStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    const e = this.entries.get(id);
    if (e) {
      this.entries.set(id, {
        ...e,
        status,
        updatedAt: at,
        leaseUntil: undefined,
        lastError: error ?? e.lastError,
      });
    }
    return Promise.resolve();
  }
  retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    const e = this.entries.get(id);
    if (e && e.status === 'pending') {
      this.entries.set(id, {
        ...e,
        attempts: e.attempts + 1,
        dueAt,
        updatedAt: at,
        lastError: error,
        leaseUntil: undefined,
      });
    }
    return Promise.resolve();
  }
  get(id: string): Promise<OutboxEntry | undefined> {
    const e = this.entries.get(id);
    return Promise.resolve(e ? strip(e) : undefined);
  }
  recordSent(card: SentCard): Promise<void> {
    const known = this.cards.some(
      (c) =>
        c.callId === card.callId &&
        c.conversationId === card.conversationId &&
        c.activityId === card.activityId,
    );
    if (!known) this.cards.push({ ...card });
    return Promise.resolve();
  }
  sentCards(callId: string): Promise<SentCard[]> {
    return Promise.resolve(this.cards.filter((c) => c.callId === callId).map((c) => ({ ...c })));
  }
  purge(before: string): Promise<number> {
    let removed = 0;
    for (const [id, e] of this.entries) {
      if (e.status !== 'pending' && e.updatedAt < before) {
        this.entries.delete(id);
        removed += 1;
      }
    }
    const kept = this.cards.filter((c) => c.sentAt >= before);
    removed += this.cards.length - kept.length;
    this.cards.splice(0, this.cards.length, ...kept);
    return Promise.resolve(removed);
  }
  failures(agentId: AadObjectId, limit: number): Promise<OutboxEntry[]> {
    return Promise.resolve(
      [...this.entries.values()]
        .filter((e) => e.agentId === agentId && e.status === 'failed')
        .sort((a, b) =>
          a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.seq - a.seq,
        )
        .slice(0, limit)
        .map(strip),
    );
  }
}

function strip(e: Stored): OutboxEntry {
  const { leaseUntil: _lease, ...entry } = e;
  return entry;
}
