import type { Pool } from 'pg';
import { PostgresOutbox, moveStep } from '../outbox/sql-outbox';
import type { Migration } from '../storage/migrations';
import { EARLIER_LOBBY_CARDS, LobbyNotificationOutbox } from './notification-outbox';
import { SqlSentCards } from './sql-sent-cards';
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
  moveStep(3, 'postgres', EARLIER_LOBBY_CARDS),
];

/** The lobby-notification outbox in PostgreSQL: the shared outbox's queue and the sent cards. */
export class PostgresNotificationOutbox extends LobbyNotificationOutbox {
  /** A pool of its own from a connection string (closed by `close`), or a borrowed one. */
  constructor(source: string | Pool, options: PostgresBotStoreOptions = {}) {
    const outbox = new PostgresOutbox(source, options);
    super(outbox, new SqlSentCards(outbox.sql), () =>
      outbox.sql.migrate('outbox', POSTGRES_OUTBOX_MIGRATIONS),
    );
  }
}
