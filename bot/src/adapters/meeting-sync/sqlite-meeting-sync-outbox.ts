import type Database from 'better-sqlite3';
import type { Migration } from '../storage/migrations';
import { moveStep, SqliteOutbox } from '../outbox/sql-outbox';
import { EARLIER_MEETING_SYNC, MeetingSyncQueue } from './meeting-sync-queue';

/** The `meeting-sync` namespace of `schema_migrations`. Never edit a released step; append one. */
export const SQLITE_MEETING_SYNC_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meeting_sync, meeting_sync_cursors',
    sql: `
CREATE TABLE meeting_sync (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  step TEXT NOT NULL CHECK (step IN ('admit','lock','relock','close')),
  status TEXT NOT NULL CHECK (status IN ('pending','done','skipped','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX meeting_sync_due ON meeting_sync (status, due_at);
CREATE TABLE meeting_sync_cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);`,
  },
  moveStep(2, 'sqlite', EARLIER_MEETING_SYNC),
];

/** The meeting-sync queue of the SQLite outbox, on a connection of its own or a borrowed one. */
export class SqliteMeetingSyncOutbox extends MeetingSyncQueue {
  constructor(source: string | Database.Database) {
    const outbox = new SqliteOutbox(source);
    super(outbox, () => outbox.sql.migrate('meeting-sync', SQLITE_MEETING_SYNC_MIGRATIONS));
  }
}
