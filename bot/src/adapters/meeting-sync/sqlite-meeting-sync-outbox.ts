import type Database from 'better-sqlite3';
import type {
  MeetingSyncEntry,
  MeetingSyncOutbox,
  MeetingSyncStatus,
  NewMeetingSyncEntry,
} from '@shared';
import { openSqlite } from '../conversations/sqlite-conversation-store';
import { runSqliteMigrations, type Migration } from '../storage/migrations';
import { rowToMeetingSyncEntry, type MeetingSyncRow } from './rows';

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
];

/** The meeting-sync outbox in SQLite (one process per file; leases keep workers apart). */
export class SqliteMeetingSyncOutbox implements MeetingSyncOutbox {
  private readonly db: Database.Database;
  private readonly owned: boolean;

  /** `file` opens a connection this outbox closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    this.owned = typeof source === 'string';
    this.db = typeof source === 'string' ? openSqlite(source) : source;
  }

  migrate(): Promise<void> {
    runSqliteMigrations(this.db, 'meeting-sync', SQLITE_MEETING_SYNC_MIGRATIONS);
    return Promise.resolve();
  }

  cursor(name: string): Promise<number> {
    const row = this.db.prepare('SELECT seq FROM meeting_sync_cursors WHERE name = ?').get(name) as
      { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? 0);
  }

  saveCursor(name: string, seq: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO meeting_sync_cursors (name, seq) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
      )
      .run(name, seq);
    return Promise.resolve();
  }

  enqueue(entries: readonly NewMeetingSyncEntry[]): Promise<number> {
    const insert = this.db.prepare(
      `INSERT INTO meeting_sync (id, call_id, seq, step, status, attempts, due_at, created_at,
         updated_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    const run = this.db.transaction(() =>
      entries.reduce(
        (added, e) =>
          added +
          insert.run(e.id, e.callId, e.seq, e.step, e.dueAt, e.createdAt, e.createdAt).changes,
        0,
      ),
    );
    return Promise.resolve(run());
  }

  lease(now: string, leaseUntil: string, limit: number): Promise<MeetingSyncEntry[]> {
    const take = this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT * FROM meeting_sync
           WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY seq, id LIMIT ?`,
        )
        .all(now, now, limit) as MeetingSyncRow[];
      const hold = this.db.prepare('UPDATE meeting_sync SET lease_until = ? WHERE id = ?');
      for (const row of rows) hold.run(leaseUntil, row.id);
      return rows.map(rowToMeetingSyncEntry);
    });
    return Promise.resolve(take.immediate());
  }

  complete(
    id: string,
    status: Exclude<MeetingSyncStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    this.db
      .prepare(
        `UPDATE meeting_sync SET status = ?, lease_until = NULL, updated_at = ?,
           last_error = COALESCE(?, last_error) WHERE id = ? AND status = 'pending'`,
      )
      .run(status, at, error ?? null, id);
    return Promise.resolve();
  }

  retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE meeting_sync SET attempts = attempts + 1, due_at = ?, lease_until = NULL,
           last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
      )
      .run(dueAt, error, at, id);
    return Promise.resolve();
  }

  get(id: string): Promise<MeetingSyncEntry | undefined> {
    const row = this.db.prepare('SELECT * FROM meeting_sync WHERE id = ?').get(id) as
      MeetingSyncRow | undefined;
    return Promise.resolve(row ? rowToMeetingSyncEntry(row) : undefined);
  }

  purge(before: string): Promise<number> {
    return Promise.resolve(
      this.db
        .prepare(`DELETE FROM meeting_sync WHERE status <> 'pending' AND updated_at < ?`)
        .run(before).changes,
    );
  }

  close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
    return Promise.resolve();
  }
}
