import type { Pool } from 'pg';
import type {
  MeetingSyncEntry,
  MeetingSyncOutbox,
  MeetingSyncStatus,
  NewMeetingSyncEntry,
} from '@shared';
import {
  postgresSource,
  type PostgresBotStoreOptions,
} from '../conversations/postgres-conversation-store';
import { runPostgresMigrations, type Migration } from '../storage/migrations';
import { rowToMeetingSyncEntry, type MeetingSyncRow } from './rows';

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
];

/** The meeting-sync outbox in PostgreSQL; `lease` uses `FOR UPDATE SKIP LOCKED` across instances. */
export class PostgresMeetingSyncOutbox implements MeetingSyncOutbox {
  private readonly pool: Pool;
  private readonly owned: boolean;

  constructor(
    source: string | Pool,
    private readonly options: PostgresBotStoreOptions = {},
  ) {
    ({ pool: this.pool, owned: this.owned } = postgresSource(source, options));
  }

  async migrate(): Promise<void> {
    await runPostgresMigrations(this.pool, 'meeting-sync', POSTGRES_MEETING_SYNC_MIGRATIONS, {
      schema: this.options.schema,
    });
  }

  async cursor(name: string): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>(
      'SELECT seq FROM meeting_sync_cursors WHERE name = $1',
      [name],
    );
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  async saveCursor(name: string, seq: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO meeting_sync_cursors (name, seq) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET seq = GREATEST(meeting_sync_cursors.seq, excluded.seq)`,
      [name, seq],
    );
  }

  async enqueue(entries: readonly NewMeetingSyncEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const values: unknown[] = [];
    const tuples = entries.map((e, i) => {
      values.push(e.id, e.callId, e.seq, e.step, e.dueAt, e.createdAt);
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, 'pending', 0, $${b + 5}, $${b + 6}, $${b + 6})`;
    });
    const result = await this.pool.query(
      `INSERT INTO meeting_sync (id, call_id, seq, step, status, attempts, due_at, created_at,
         updated_at)
       VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`,
      values,
    );
    return result.rowCount ?? 0;
  }

  async lease(now: string, leaseUntil: string, limit: number): Promise<MeetingSyncEntry[]> {
    const { rows } = await this.pool.query<MeetingSyncRow>(
      `UPDATE meeting_sync SET lease_until = $2
       WHERE id IN (
         SELECT id FROM meeting_sync
         WHERE status = 'pending' AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY seq, id LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, leaseUntil, limit],
    );
    return rows.map(rowToMeetingSyncEntry).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1));
  }

  async complete(
    id: string,
    status: Exclude<MeetingSyncStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE meeting_sync SET status = $2, lease_until = NULL, updated_at = $3,
         last_error = COALESCE($4, last_error) WHERE id = $1 AND status = 'pending'`,
      [id, status, at, error ?? null],
    );
  }

  async retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE meeting_sync SET attempts = attempts + 1, due_at = $2, lease_until = NULL,
         last_error = $4, updated_at = $3 WHERE id = $1 AND status = 'pending'`,
      [id, dueAt, at, error],
    );
  }

  async get(id: string): Promise<MeetingSyncEntry | undefined> {
    const { rows } = await this.pool.query<MeetingSyncRow>(
      'SELECT * FROM meeting_sync WHERE id = $1',
      [id],
    );
    return rows[0] ? rowToMeetingSyncEntry(rows[0]) : undefined;
  }

  async purge(before: string): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM meeting_sync WHERE status <> 'pending' AND updated_at < $1`,
      [before],
    );
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}
