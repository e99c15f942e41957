import type { SentCard } from '@shared';
import type { SqlRunner } from '../outbox/sql-runner';
import { decodeRef } from './keys';
import type { SentCardStore } from './notification-outbox';

type SentCardRow = {
  call_id: string;
  conversation_id: string;
  activity_id: string;
  ref: string;
  sent_at: string | Date;
  entry_id: string | null;
};

/**
 * The cards the bot posted (`bot_sent_cards`, made by the `outbox` namespace), one SQL text for
 * SQLite and PostgreSQL; ties in `sent_at` keep the order of insertion.
 */
export class SqlSentCards implements SentCardStore {
  constructor(private readonly sql: SqlRunner) {}

  async recordSent(card: SentCard): Promise<void> {
    await this.sql.run(
      `INSERT INTO bot_sent_cards (call_id, conversation_id, activity_id, ref, sent_at, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        card.callId,
        card.conversationId,
        card.messageId,
        JSON.stringify(card.ref),
        card.sentAt,
        card.entryId ?? null,
      ],
    );
  }

  async sentCards(callId: string): Promise<SentCard[]> {
    const inserted = this.sql.dialect === 'postgres' ? 'ord' : 'rowid';
    const rows = await this.sql.all<SentCardRow>(
      `SELECT call_id, conversation_id, activity_id, CAST(ref AS TEXT) AS ref, sent_at, entry_id
       FROM bot_sent_cards WHERE call_id = $1 ORDER BY sent_at, ${inserted}`,
      [callId],
    );
    return rows.map((r) => ({
      callId: r.call_id,
      conversationId: r.conversation_id,
      messageId: r.activity_id,
      ref: decodeRef(r.ref),
      sentAt: new Date(r.sent_at).toISOString(),
      ...(r.entry_id ? { entryId: r.entry_id } : {}),
    }));
  }

  purge(before: string): Promise<number> {
    return this.sql.run('DELETE FROM bot_sent_cards WHERE sent_at < $1', [before]);
  }
}
