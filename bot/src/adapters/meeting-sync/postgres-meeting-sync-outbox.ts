import type { Pool } from 'pg';
import type { PostgresBotStoreOptions } from '../conversations/postgres-conversation-store';
import type { Migration } from '../storage/migrations';
import { moveStep, PostgresOutbox } from '../outbox/sql-outbox';
import { EARLIER_MEETING_SYNC, MeetingSyncQueue } from './meeting-sync-queue';

/** The `meeting-sync` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_MEETING_SYNC_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meeting_sync, meeting_sync_cursors',
    sql: `
CREATE TABLE meeting_sync (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  step TEXT NOT NULL CHECK (step IN ('admit','lock','relock','close')),
  status TEXT NOT NULL CHECK (status IN ('pending','done','skipped','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at TIMESTAMPTZ NOT NULL,
  lease_until TIMESTAMPTZ,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX meeting_sync_due ON meeting_sync (status, due_at);
CREATE TABLE meeting_sync_cursors (
  name TEXT PRIMARY KEY,
  seq BIGINT NOT NULL
);`,
  },
  moveStep(2, 'postgres', EARLIER_MEETING_SYNC),
];

/** The meeting-sync queue of the PostgreSQL outbox, on a pool of its own or a borrowed one. */
export class PostgresMeetingSyncOutbox extends MeetingSyncQueue {
  constructor(source: string | Pool, options: PostgresBotStoreOptions = {}) {
    const outbox = new PostgresOutbox(source, options);
    super(outbox, () => outbox.sql.migrate('meeting-sync', POSTGRES_MEETING_SYNC_MIGRATIONS));
  }
}
