import type { Pool, PoolClient } from 'pg';
import {
  REPORT_COUNT_KEYS,
  type CallRow,
  type CallRowQuery,
  type HourBucket,
  type HourRange,
  type ReportEventRow,
  type ReportScope,
  type ReportStore,
  type RollUpResult,
} from '@shared';
import { runPostgresMigrations, type Migration } from '../storage/migrations';
import {
  createPostgresPool,
  translatePgError,
  type PostgresPoolOptions,
} from '../storage/postgres-pool';
import {
  BucketAccumulator,
  CALL_ROW_COLUMNS,
  COUNT_COLUMN_LIST,
  RAW_EVENT_COLUMNS,
  checkLimit,
  mergedHistogram,
  scopeKey,
  toBucket,
  toCallRow,
  toEventRow,
} from './report-rows';

/** The `reports` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_REPORT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'hourly roll-ups, call facts, cursor',
    sql: `
CREATE TABLE report_hourly (
  scope_key TEXT NOT NULL,
  hour TIMESTAMPTZ NOT NULL,
  ${COUNT_COLUMN_LIST.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  wait JSONB NOT NULL DEFAULT '{}',
  length JSONB NOT NULL DEFAULT '{}',
  PRIMARY KEY (scope_key, hour)
);
CREATE INDEX report_hourly_hour ON report_hourly (hour);
CREATE TABLE report_call_facts (
  call_id TEXT PRIMARY KEY,
  opened_at TIMESTAMPTZ,
  escalated_at TIMESTAMPTZ,
  noted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_call_facts_noted ON report_call_facts (noted_at);
CREATE TABLE report_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor BIGINT NOT NULL
);
INSERT INTO report_state (id, cursor) VALUES (1, 0);
CREATE INDEX IF NOT EXISTS report_call_events_at ON call_events (at);
CREATE INDEX IF NOT EXISTS report_calls_created ON calls (created_at, id);
CREATE INDEX IF NOT EXISTS report_calls_agent_created ON calls (agent_id, created_at, id);
CREATE INDEX IF NOT EXISTS report_calls_team_created ON calls (team_id, created_at, id);
`,
  },
];

type Row = Record<string, unknown>;
const time = (value: unknown): string | undefined =>
  value === null || value === undefined
    ? undefined
    : value instanceof Date
      ? value.toISOString()
      : new Date(value as string).toISOString();
const json = (value: unknown): unknown => value;
const FLUSH_AT = 20_000;
const PAGE = 20_000;

function scopeFilter(scope: ReportScope, offset: number): { sql: string; values: unknown[] } {
  switch (scope.kind) {
    case 'org':
      return { sql: '', values: [] };
    case 'agent':
      return { sql: ` AND c.agent_id = $${offset + 1}`, values: [scope.agentId] };
    case 'team':
      return { sql: ` AND c.team_id = $${offset + 1}`, values: [scope.teamId] };
  }
}

/** Options of {@link PostgresReportStore}. */
export type PostgresReportStoreOptions = PostgresPoolOptions;

/** Report roll-ups in PostgreSQL, next to the calls (borrowing their pool in the server). */
export class PostgresReportStore implements ReportStore {
  private readonly pool: Pool;
  private readonly owned: boolean;
  private readonly schema: string | undefined;
  private ended = false;

  /** A connection string opens a pool this store ends; a `Pool` is borrowed and left open. */
  constructor(source: string | Pool, options: PostgresReportStoreOptions = {}) {
    this.owned = typeof source === 'string';
    this.schema = options.schema;
    this.pool = typeof source === 'string' ? createPostgresPool(source, options) : source;
  }

  async migrate(): Promise<void> {
    try {
      await runPostgresMigrations(this.pool, 'reports', POSTGRES_REPORT_MIGRATIONS, {
        schema: this.schema,
      });
    } catch (error) {
      throw translatePgError(error, 'PostgreSQL reports migration failed');
    }
  }

  markOpened(callId: string, at: string): Promise<void> {
    return this.mark('opened_at', callId, at);
  }

  markEscalated(callId: string, at: string): Promise<void> {
    return this.mark('escalated_at', callId, at);
  }

  private async mark(column: 'opened_at' | 'escalated_at', callId: string, at: string) {
    const known = await this.query(
      'mark',
      `SELECT ${column} AS v FROM report_call_facts WHERE call_id = $1`,
      [callId],
    );
    if (known[0]?.['v']) return;
    await this.query(
      'mark',
      `INSERT INTO report_call_facts (call_id, ${column}, noted_at)
       SELECT id, $1::timestamptz, $1::timestamptz FROM calls WHERE id = $2
       ON CONFLICT (call_id) DO UPDATE SET ${column} = excluded.${column}
       WHERE report_call_facts.${column} IS NULL`,
      [new Date(at).toISOString(), callId],
    );
  }

  rollUp(settledBefore: string, limit: number): Promise<RollUpResult> {
    return this.transaction('rollUp', async (client) => {
      // The row lock serialises instances: the second waits, then reads the moved cursor.
      const state = await client.query<{ cursor: string }>(
        'SELECT cursor FROM report_state WHERE id = 1 FOR UPDATE',
      );
      const cursor = Number(state.rows[0]?.cursor ?? 0);
      const { rows } = await client.query<Row>(
        // The page of events first, then its calls by primary key (never a scan of all calls).
        `SELECT ${RAW_EVENT_COLUMNS}
         FROM (SELECT * FROM call_events WHERE seq > $1 ORDER BY seq LIMIT $2) e
         JOIN calls c ON c.id = e.call_id
         LEFT JOIN report_call_facts f ON f.call_id = e.call_id
         ORDER BY e.seq`,
        [cursor, checkLimit(limit)],
      );
      const acc = new BucketAccumulator();
      const settled = Date.parse(settledBefore);
      let last = cursor;
      let read = 0;
      for (const row of rows) {
        if ((row['at'] as Date).getTime() > settled) break;
        acc.add(toEventRow(row, time));
        last = Number(row['seq']);
        read += 1;
      }
      await this.write(client, acc);
      await client.query('UPDATE report_state SET cursor = $1 WHERE id = 1', [last]);
      return { events: read, cursor: last };
    });
  }

  rebuild(fromHour: string): Promise<{ hours: number }> {
    return this.transaction('rebuild', async (client) => {
      const from = new Date(fromHour).toISOString();
      const state = await client.query<{ cursor: string }>(
        'SELECT cursor FROM report_state WHERE id = 1 FOR UPDATE',
      );
      const cursor = Number(state.rows[0]?.cursor ?? 0);
      await client.query('DELETE FROM report_hourly WHERE hour >= $1', [from]);
      const acc = new BucketAccumulator();
      let afterAt: Date | null = null;
      let afterSeq = 0;
      for (;;) {
        const { rows }: { rows: Row[] } = await client.query<Row>(
          `SELECT ${RAW_EVENT_COLUMNS}
           FROM (SELECT * FROM call_events
                 WHERE at >= $1 AND seq <= $2 AND ($3::timestamptz IS NULL OR (at, seq) > ($3, $4))
                 ORDER BY at, seq LIMIT ${PAGE}) e
           JOIN calls c ON c.id = e.call_id
           LEFT JOIN report_call_facts f ON f.call_id = e.call_id
           ORDER BY e.at, e.seq`,
          [from, cursor, afterAt, afterSeq],
        );
        for (const row of rows) acc.add(toEventRow(row, time));
        if (acc.size > FLUSH_AT) await this.write(client, acc);
        if (rows.length < PAGE) break;
        const tail = rows[rows.length - 1]!;
        afterAt = tail['at'] as Date;
        afterSeq = Number(tail['seq']);
      }
      await this.write(client, acc);
      const { rows } = await client.query<{ n: number }>(
        'SELECT COUNT(DISTINCT hour)::int AS n FROM report_hourly WHERE hour >= $1',
        [from],
      );
      return { hours: rows[0]?.n ?? 0 };
    });
  }

  /** Adds the accumulated buckets to the stored ones: one read and one upsert per batch. */
  private async write(client: PoolClient, acc: BucketAccumulator): Promise<void> {
    const all = acc.drain();
    for (let i = 0; i < all.length; i += 5000) {
      const batch = all.slice(i, i + 5000);
      const scopes = batch.map((b) => b.scope);
      const hours = batch.map((b) => b.bucket.hour);
      const { rows } = await client.query<Row>(
        `SELECT h.* FROM report_hourly h
         JOIN unnest($1::text[], $2::timestamptz[]) AS k(scope_key, hour)
           ON h.scope_key = k.scope_key AND h.hour = k.hour`,
        [scopes, hours],
      );
      const prior = new Map(
        rows.map((r) => [`${r['scope_key'] as string}\u0000${time(r['hour'])}`, toBucket(r, time)]),
      );
      const columns = COUNT_COLUMN_LIST.map(() => [] as number[]);
      const waits: string[] = [];
      const lengths: string[] = [];
      for (const { scope, bucket } of batch) {
        const old = prior.get(`${scope}\u0000${bucket.hour}`);
        REPORT_COUNT_KEYS.forEach((k, j) =>
          columns[j]!.push(bucket.counts[k] + (old?.counts[k] ?? 0)),
        );
        waits.push(JSON.stringify(old ? mergedHistogram(old.wait, bucket.wait) : bucket.wait));
        lengths.push(
          JSON.stringify(old ? mergedHistogram(old.length, bucket.length) : bucket.length),
        );
      }
      const n = COUNT_COLUMN_LIST.length;
      await client.query(
        `INSERT INTO report_hourly (scope_key, hour, ${COUNT_COLUMN_LIST.join(', ')}, wait, length)
         SELECT * FROM unnest($1::text[], $2::timestamptz[],
           ${COUNT_COLUMN_LIST.map((_, j) => `$${j + 3}::int[]`).join(', ')},
           $${n + 3}::jsonb[], $${n + 4}::jsonb[])
         ON CONFLICT (scope_key, hour) DO UPDATE SET
           ${COUNT_COLUMN_LIST.map((c) => `${c} = excluded.${c}`).join(', ')},
           wait = excluded.wait, length = excluded.length`,
        [scopes, hours, ...columns, waits, lengths],
      );
    }
  }

  async rolledUpBefore(): Promise<string | undefined> {
    const rows = await this.query(
      'rolledUpBefore',
      `SELECT MIN(at) AS at FROM call_events
       WHERE seq > (SELECT cursor FROM report_state WHERE id = 1)`,
      [],
    );
    return time(rows[0]?.['at']);
  }

  async buckets(scope: ReportScope, range: HourRange): Promise<HourBucket[]> {
    const rows = await this.query(
      'buckets',
      `SELECT * FROM report_hourly WHERE scope_key = $1 AND hour >= $2 AND hour < $3 ORDER BY hour`,
      [scopeKey(scope), range.from, range.to],
    );
    return rows.map((row) => toBucket(row, time));
  }

  async rawEvents(scope: ReportScope, range: HourRange): Promise<ReportEventRow[]> {
    const filter = scopeFilter(scope, 2);
    const rows = await this.query(
      'rawEvents',
      `SELECT ${RAW_EVENT_COLUMNS} FROM call_events e JOIN calls c ON c.id = e.call_id
       LEFT JOIN report_call_facts f ON f.call_id = e.call_id
       WHERE e.at >= $1 AND e.at < $2${filter.sql} ORDER BY e.seq`,
      [range.from, range.to, ...filter.values],
    );
    return rows.map((row) => toEventRow(row, time));
  }

  async callRows(query: CallRowQuery): Promise<CallRow[]> {
    const filter = scopeFilter(query.scope, 2);
    const values: unknown[] = [query.from, query.to, ...filter.values];
    let keyset = '';
    if (query.after) {
      values.push(query.after.createdAt, query.after.id);
      keyset = ` AND (c.created_at, c.id) > ($${values.length - 1}::timestamptz, $${values.length})`;
    }
    values.push(checkLimit(query.limit));
    const rows = await this.query(
      'callRows',
      `SELECT ${CALL_ROW_COLUMNS} FROM calls c
       LEFT JOIN report_call_facts f ON f.call_id = c.id
       WHERE c.created_at >= $1 AND c.created_at < $2${filter.sql}${keyset}
       ORDER BY c.created_at, c.id LIMIT $${values.length}`,
      values,
    );
    return rows.map((row) => toCallRow(row, time, json));
  }

  purge(before: string): Promise<number> {
    return this.transaction('purge', async (client) => {
      const a = await client.query('DELETE FROM report_hourly WHERE hour < $1', [before]);
      const b = await client.query('DELETE FROM report_call_facts WHERE noted_at < $1', [before]);
      return (a.rowCount ?? 0) + (b.rowCount ?? 0);
    });
  }

  async close(): Promise<void> {
    if (!this.owned || this.ended) return;
    this.ended = true;
    await this.pool.end();
  }

  private async query(what: string, sql: string, values: readonly unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, values as unknown[])).rows;
    } catch (error) {
      throw translatePgError(error, `PostgreSQL reports ${what} failed`);
    }
  }

  private async transaction<T>(what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translatePgError(error, `PostgreSQL reports ${what} failed`);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw translatePgError(error, `PostgreSQL reports ${what} failed`);
    } finally {
      client.release();
    }
  }
}
