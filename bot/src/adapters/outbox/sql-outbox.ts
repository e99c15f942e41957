import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { Job, JobEnd, JobStatus, NewJob, Outbox } from '@shared';
import type { PostgresBotStoreOptions } from '../conversations/postgres-conversation-store';
import type { Migration } from '../storage/migrations';
import { PostgresRunner, SqliteRunner, type SqlDialect, type SqlRunner } from './sql-runner';

/** The column types that differ between the two databases. */
const TYPES = {
  sqlite: { bigint: 'INTEGER', time: 'TEXT' },
  postgres: { bigint: 'BIGINT', time: 'TIMESTAMPTZ' },
} as const;

/** The `jobs` namespace of `schema_migrations`. Never edit a released step; append one. */
export function outboxMigrations(dialect: SqlDialect): readonly Migration[] {
  const { bigint, time } = TYPES[dialect];
  return [
    {
      version: 1,
      name: 'outbox_jobs, outbox_cursors',
      sql: `
CREATE TABLE outbox_jobs (
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  group_key TEXT NOT NULL,
  owner TEXT,
  seq ${bigint} NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','done','skipped','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at ${time} NOT NULL,
  lease_until ${time},
  last_error TEXT,
  created_at ${time} NOT NULL,
  updated_at ${time} NOT NULL,
  PRIMARY KEY (queue, id)
);
CREATE INDEX outbox_jobs_due ON outbox_jobs (queue, status, due_at);
CREATE INDEX outbox_jobs_owner ON outbox_jobs (queue, owner, status);
CREATE TABLE outbox_cursors (
  name TEXT PRIMARY KEY,
  seq ${bigint} NOT NULL
);`,
    },
  ];
}

/** How an earlier version's own queue table maps onto `outbox_jobs` (see {@link moveIntoOutbox}). */
export type EarlierQueue = {
  /** Its table of entries and its table of cursors; both are dropped once moved. */
  readonly table: string;
  readonly cursors: string;
  readonly queue: string;
  /** The column that becomes the owner, if any. */
  readonly owner?: string | undefined;
  /** The columns that become the JSON payload, under their own names. */
  readonly payload: readonly string[];
  /** Its word for `done` (`sent` for lobby cards). */
  readonly done: string;
};

/**
 * Step `version` of an earlier queue's own namespace: it moves that queue into the shared outbox
 * (see {@link moveIntoOutbox}).
 */
export const moveStep = (version: number, dialect: SqlDialect, from: EarlierQueue): Migration => ({
  version,
  name: `${from.table}, ${from.cursors} move into outbox_jobs, outbox_cursors`,
  sql: moveIntoOutbox(dialect, from),
});

/**
 * The migration step that moves an earlier version's queue into the shared outbox: its entries
 * (with their status, attempts, due time and lease) and its cursors, then drops its tables. It
 * runs after the `jobs` namespace, which made `outbox_jobs`.
 */
export function moveIntoOutbox(dialect: SqlDialect, from: EarlierQueue): string {
  const pairs = from.payload.map((c) => `'${c}', ${c}`).join(', ');
  const payload =
    dialect === 'sqlite' ? `json_object(${pairs})` : `json_build_object(${pairs})::text`;
  return `
INSERT INTO outbox_jobs (queue, id, group_key, owner, seq, payload, status, attempts, due_at,
  lease_until, last_error, created_at, updated_at)
SELECT '${from.queue}', id, call_id, ${from.owner ?? 'NULL'}, seq, ${payload},
  CASE status WHEN '${from.done}' THEN 'done' ELSE status END, attempts, due_at, lease_until,
  last_error, created_at, updated_at
FROM ${from.table} WHERE true ON CONFLICT (queue, id) DO NOTHING;
INSERT INTO outbox_cursors (name, seq) SELECT name, seq FROM ${from.cursors} WHERE true
  ON CONFLICT (name) DO NOTHING;
DROP TABLE ${from.table};
DROP TABLE ${from.cursors};`;
}

/** A row of `outbox_jobs` as both databases return it (PostgreSQL: dates and BIGINT strings). */
type JobRow = {
  queue: string;
  id: string;
  group_key: string;
  owner: string | null;
  seq: number | string;
  payload: string;
  status: string;
  attempts: number;
  due_at: string | Date;
  last_error: string | null;
  created_at: string | Date;
  updated_at: string | Date;
};

const iso = (value: string | Date): string => new Date(value).toISOString();

function rowToJob(row: JobRow): Job {
  return {
    queue: row.queue,
    id: row.id,
    group: row.group_key,
    ...(row.owner !== null ? { owner: row.owner } : {}),
    seq: Number(row.seq),
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as JobStatus,
    attempts: row.attempts,
    dueAt: iso(row.due_at),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const bySeq = (a: Job, b: Job) => a.seq - b.seq || (a.id < b.id ? -1 : 1);

/** Rows per INSERT (11 parameters a row stays far below SQLite's 32766). */
const CHUNK = 100;

/**
 * The outbox in SQL, one text per statement for SQLite and PostgreSQL. `lease` claims with one
 * `UPDATE … RETURNING`: SQLite runs it under its write lock, PostgreSQL skips rows that another
 * instance is claiming (`FOR UPDATE SKIP LOCKED`).
 */
export class SqlOutbox implements Outbox {
  constructor(readonly sql: SqlRunner) {}

  async migrate(): Promise<void> {
    await this.sql.migrate('jobs', outboxMigrations(this.sql.dialect));
  }

  async cursor(name: string): Promise<number> {
    const rows = await this.sql.all<{ seq: number | string }>(
      'SELECT seq FROM outbox_cursors WHERE name = $1',
      [name],
    );
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  async saveCursor(name: string, seq: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO outbox_cursors (name, seq) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET seq =
         CASE WHEN excluded.seq > outbox_cursors.seq THEN excluded.seq ELSE outbox_cursors.seq END`,
      [name, seq],
    );
  }

  async enqueue(queue: string, jobs: readonly NewJob[]): Promise<number> {
    let added = 0;
    for (let start = 0; start < jobs.length; start += CHUNK) {
      const chunk = jobs.slice(start, start + CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((j, i) => {
        values.push(
          queue,
          j.id,
          j.group,
          j.owner ?? null,
          j.seq,
          JSON.stringify(j.payload),
          j.dueAt,
          j.createdAt,
        );
        const p = (n: number) => `$${i * 8 + n}`;
        return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, 'pending', 0, ${p(7)}, ${p(8)}, ${p(8)})`;
      });
      added += await this.sql.run(
        `INSERT INTO outbox_jobs (queue, id, group_key, owner, seq, payload, status, attempts,
           due_at, created_at, updated_at)
         VALUES ${tuples.join(', ')} ON CONFLICT (queue, id) DO NOTHING`,
        values,
      );
    }
    return added;
  }

  async lease(queue: string, now: string, leaseUntil: string, limit: number): Promise<Job[]> {
    if (this.sql.dialect === 'sqlite') {
      // Most rounds find nothing due: a plain read answers that without taking the write lock.
      const due = await this.sql.all(
        `SELECT 1 FROM outbox_jobs
         WHERE queue = $1 AND status = 'pending' AND due_at <= $2
           AND (lease_until IS NULL OR lease_until <= $2)
         LIMIT 1`,
        [queue, now],
      );
      if (due.length === 0) return [];
    }
    const skipLocked = this.sql.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    // The pick is materialised: evaluated once, it can hold no more than `limit` rows (inlined
    // into the UPDATE, PostgreSQL may scan it again and claim more).
    const rows = await this.sql.all<JobRow>(
      `WITH picked AS MATERIALIZED (
         SELECT id FROM outbox_jobs
         WHERE queue = $1 AND status = 'pending' AND due_at <= $2
           AND (lease_until IS NULL OR lease_until <= $2)
         ORDER BY seq, id LIMIT $4 ${skipLocked})
       UPDATE outbox_jobs SET lease_until = $3
       WHERE queue = $1 AND id IN (SELECT id FROM picked)
       RETURNING *`,
      [queue, now, leaseUntil, limit],
    );
    return rows.map(rowToJob).sort(bySeq);
  }

  async complete(queue: string, id: string, status: JobEnd, at: string, error?: string) {
    await this.sql.run(
      `UPDATE outbox_jobs SET status = $3, lease_until = NULL, updated_at = $4,
         last_error = COALESCE($5, last_error)
       WHERE queue = $1 AND id = $2 AND status = 'pending'`,
      [queue, id, status, at, error ?? null],
    );
  }

  async retry(queue: string, id: string, dueAt: string, at: string, error: string): Promise<void> {
    await this.sql.run(
      `UPDATE outbox_jobs SET attempts = attempts + 1, due_at = $3, lease_until = NULL,
         last_error = $5, updated_at = $4
       WHERE queue = $1 AND id = $2 AND status = 'pending'`,
      [queue, id, dueAt, at, error],
    );
  }

  async get(queue: string, id: string): Promise<Job | undefined> {
    const rows = await this.sql.all<JobRow>(
      'SELECT * FROM outbox_jobs WHERE queue = $1 AND id = $2',
      [queue, id],
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  async failures(queue: string, owner: string, limit: number): Promise<Job[]> {
    const rows = await this.sql.all<JobRow>(
      `SELECT * FROM outbox_jobs WHERE queue = $1 AND owner = $2 AND status = 'failed'
       ORDER BY updated_at DESC, seq DESC LIMIT $3`,
      [queue, owner, limit],
    );
    return rows.map(rowToJob);
  }

  purge(queue: string, before: string): Promise<number> {
    return this.sql.run(
      `DELETE FROM outbox_jobs WHERE queue = $1 AND status <> 'pending' AND updated_at < $2`,
      [queue, before],
    );
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/** The outbox in SQLite (one file; leases keep the workers of several processes apart). */
export class SqliteOutbox extends SqlOutbox {
  /** `file` opens a connection this outbox closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    super(new SqliteRunner(source));
  }
}

/** The outbox in PostgreSQL (several instances on one database). */
export class PostgresOutbox extends SqlOutbox {
  /** A pool of its own from a connection string (closed by `close`), or a borrowed one. */
  constructor(source: string | Pool, options: PostgresBotStoreOptions = {}) {
    super(new PostgresRunner(source, options));
  }
}
