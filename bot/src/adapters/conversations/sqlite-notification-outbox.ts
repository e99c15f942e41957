import type Database from 'better-sqlite3';
import { SqliteOutbox, moveStep } from '../outbox/sql-outbox';
import type { Migration } from '../storage/migrations';
import { EARLIER_LOBBY_CARDS, LobbyNotificationOutbox } from './notification-outbox';
import { SqlSentCards } from './sql-sent-cards';

/** The `outbox` namespace of `schema_migrations`. Never edit a released step; append one. */
export const SQLITE_OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot_outbox, bot_outbox_cursors, bot_sent_cards',
    sql: `
CREATE TABLE bot_outbox (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('card','escalation','update')),
  target TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed','skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX bot_outbox_due ON bot_outbox (status, due_at);
CREATE INDEX bot_outbox_agent ON bot_outbox (agent_id, status);
CREATE TABLE bot_outbox_cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
CREATE TABLE bot_sent_cards (
  call_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  ref TEXT NOT NULL CHECK (json_valid(ref)),
  sent_at TEXT NOT NULL,
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
  moveStep(3, 'sqlite', EARLIER_LOBBY_CARDS),
];

/** The lobby-notification outbox in SQLite: the shared outbox's queue and the sent cards, one file. */
export class SqliteNotificationOutbox extends LobbyNotificationOutbox {
  /** `file` opens a connection this outbox closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    const outbox = new SqliteOutbox(source);
    super(outbox, new SqlSentCards(outbox.sql), () =>
      outbox.sql.migrate('outbox', SQLITE_OUTBOX_MIGRATIONS),
    );
  }
}
