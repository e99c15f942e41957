import type { Pool } from 'pg';
import type { SentCard } from '@shared';
import { PostgresOutbox, moveIntoOutbox } from '../outbox/sql-outbox';
import type { Migration } from '../storage/migrations';
import { decodeRef } from './keys';
import {
  EARLIER_LOBBY_CARDS,
  LobbyNotificationOutbox,
  type SentCardStore,
} from './notification-outbox';
import type { PostgresBotStoreOptions } from './postgres-conversation-store';

/** The `outbox` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot_outbox, bot_outbox_cursors, bot_sent_cards',
    sql: `
CREATE TABLE bot_outbox (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('card','escalation','update')),
  target TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed','skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at TIMESTAMPTZ NOT NULL,
  lease_until TIMESTAMPTZ,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX bot_outbox_due ON bot_outbox (status, due_at);
CREATE INDEX bot_outbox_agent ON bot_outbox (agent_id, status);
CREATE TABLE bot_outbox_cursors (
  name TEXT PRIMARY KEY,
  seq BIGINT NOT NULL
);
CREATE TABLE bot_sent_cards (
  call_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  ref JSONB NOT NULL,
  sent_at TIMESTAMPTZ NOT NULL,
  ord BIGSERIAL,
  PRIMARY KEY (call_id, conversation_id, activity_id)
);`,
  },
  {
    version: 2,
    name: 'bot_sent_cards.entry_id',
    sql: `
ALTER TABLE bot_sent_cards ADD COLUMN entry_id TEXT;
CREATE INDEX bot_sent_cards_entry ON bot_sent_cards (entry_id) WHERE entry_id IS NOT NULL;`,
  },
  {
    version: 3,
    name: 'bot_outbox, bot_outbox_cursors move into outbox_jobs, outbox_cursors',
    sql: moveIntoOutbox('postgres', EARLIER_LOBBY_CARDS),
  },
];

/** The cards the bot posted, in PostgreSQL (`bot_sent_cards`, made by the `outbox` namespace). */
export class PostgresSentCards implements SentCardStore {
  constructor(private readonly pool: Pool) {}

  async recordSent(card: SentCard): Promise<void> {
    await this.pool.query(
      `INSERT INTO bot_sent_cards (call_id, conversation_id, activity_id, ref, sent_at, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        card.callId,
        card.conversationId,
        card.activityId,
        JSON.stringify(card.ref),
        card.sentAt,
        card.entryId ?? null,
      ],
    );
  }

  async sentCards(callId: string): Promise<SentCard[]> {
    const { rows } = await this.pool.query<{
      call_id: string;
      conversation_id: string;
      activity_id: string;
      ref: string;
      sent_at: Date;
      entry_id: string | null;
    }>(
      `SELECT call_id, conversation_id, activity_id, ref::text AS ref, sent_at, entry_id FROM bot_sent_cards
       WHERE call_id = $1 ORDER BY sent_at, ord`,
      [callId],
    );
    return rows.map((r) => ({
      callId: r.call_id,
      conversationId: r.conversation_id,
      activityId: r.activity_id,
      ref: decodeRef(r.ref),
      sentAt: new Date(r.sent_at).toISOString(),
      ...(r.entry_id ? { entryId: r.entry_id } : {}),
    }));
  }

  async purge(before: string): Promise<number> {
    const cards = await this.pool.query('DELETE FROM bot_sent_cards WHERE sent_at < $1', [before]);
    return cards.rowCount ?? 0;
  }
}

/** The lobby-notification outbox in PostgreSQL: the shared outbox's queue and the sent cards. */
export class PostgresNotificationOutbox extends LobbyNotificationOutbox {
  /** A pool of its own from a connection string (closed by `close`), or a borrowed one. */
  constructor(source: string | Pool, options: PostgresBotStoreOptions = {}) {
    const outbox = new PostgresOutbox(source, options);
    super(outbox, new PostgresSentCards(outbox.sql.pool), () =>
      outbox.sql.migrate('outbox', POSTGRES_OUTBOX_MIGRATIONS),
    );
  }
}
