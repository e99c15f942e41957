import type { Pool, PoolClient } from 'pg';
import {
  REPORT_COUNT_KEYS,
  SLOTS_PER_DAY,
  type CallRow,
  type CallRowQuery,
  type InstantRange,
  type ReportEventRow,
  type ReportScope,
  type ReportStore,
  type ReportSums,
  type RollUpResult,
  type SlotQuery,
} from '@shared';
import { runPostgresMigrations, type Migration } from '../storage/migrations';
import {
  createPostgresPool,
  translatePgError,
  type PostgresPoolOptions,
} from '../storage/postgres-pool';
import {
  BUCKET_OF_S,
  COUNT_COLUMN_LIST,
  RAW_EVENT_COLUMNS,
  RollUpAccumulator,
  callRowColumns,
  checkLimit,
  sumsStatements,
  toCallRow,
  toEventRow,
  toSums,
} from './report-rows';

/** The `reports` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_REPORT_MIGRATIONS: readonly Migration[] = [
  {
    // Its indexes on calls are the calls store's since that store's migration 4 (which makes the
    // team one partial); on a new database they exist before this step, and IF NOT EXISTS skips them.
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
  {
    version: 2,
    name: 'quarter-hour roll-ups with duration buckets, daily duration buckets',
    // Quarter hours, because India (+5:30) and Nepal (+5:45) start their days between UTC hours;
    // the same counts per UTC hour too, a quarter of the rows for the zones that need no more.
    // Durations become buckets (see DURATION_STEPS) so that a year sums in SQL, not in Node; the
    // exact maxima are kept per slot. Hourly rows move to the first quarter of their hour. Slots are
    // integers (quarter hours since 1970), so local days are integer arithmetic, not a function call
    // per row. The primary keys lead with the scope, then time: exactly the reports' filter.
    sql: `
CREATE TABLE report_slots (
  scope_key TEXT NOT NULL,
  slot INTEGER NOT NULL,
  ${COUNT_COLUMN_LIST.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  wait_max INTEGER,
  length_max INTEGER,
  -- Covering: a report reads the key range of one scope with an index-only scan (org rows are
  -- spread over every heap page among the agents' and teams').
  PRIMARY KEY (scope_key, slot) INCLUDE (${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
);
CREATE TABLE report_hours (
  scope_key TEXT NOT NULL,
  hour INTEGER NOT NULL,
  ${COUNT_COLUMN_LIST.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  wait_max INTEGER,
  length_max INTEGER,
  PRIMARY KEY (scope_key, hour) INCLUDE (${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
);
CREATE TABLE report_durations (
  scope_key TEXT NOT NULL,
  slot INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('wait', 'length')),
  bucket INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (scope_key, slot, kind, bucket)
);
-- Keyed by bucket before day, so a range of days is summed in key order, without a sort.
CREATE TABLE report_durations_daily (
  scope_key TEXT NOT NULL,
  day INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('wait', 'length')),
  bucket INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (scope_key, kind, bucket, day) INCLUDE (n)
);
INSERT INTO report_slots (scope_key, slot, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
SELECT scope_key, (EXTRACT(EPOCH FROM hour)::bigint / 900)::int, ${COUNT_COLUMN_LIST.join(', ')},
  (SELECT MAX(key::int) FROM jsonb_each_text(wait)),
  (SELECT MAX(key::int) FROM jsonb_each_text(length))
FROM report_hourly;
INSERT INTO report_hours (scope_key, hour, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
SELECT scope_key, slot / 4, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max FROM report_slots;
${(['wait', 'length'] as const)
  .map(
    (kind) => `
INSERT INTO report_durations (scope_key, slot, kind, bucket, n)
SELECT scope_key, slot, '${kind}', ${BUCKET_OF_S}, SUM(n) FROM (
  SELECT h.scope_key AS scope_key, (EXTRACT(EPOCH FROM h.hour)::bigint / 900)::int AS slot,
    j.key::int AS s, j.value::int AS n
  FROM report_hourly h, jsonb_each_text(h.${kind}) j) x
GROUP BY 1, 2, 4;
INSERT INTO report_durations_daily (scope_key, day, kind, bucket, n)
SELECT scope_key, slot / 96, kind, bucket, SUM(n) FROM report_durations WHERE kind = '${kind}'
GROUP BY 1, 2, 3, 4;`,
  )
  .join('\n')}
DROP TABLE report_hourly;
`,
  },
];

type Row = Record<string, unknown>;
// Instants leave PostgreSQL as ISO text: pg would parse six timestamps per row into `Date`s only for
// the export to turn them into text again (the largest part of a PostgreSQL export's CPU).
const CALL_ROW_COLUMNS = callRowColumns(
  (c) => `${c}->>'name'`,
  (c) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
);
/** An ISO text column as it came (`NULL` is absent). */
const isoText = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : (value as string);
const time = (value: unknown): string | undefined =>
  value === null || value === undefined
    ? undefined
    : value instanceof Date
      ? value.toISOString()
      : new Date(value as string).toISOString();
const FLUSH_AT = 20_000;
const PAGE = 20_000;
const BATCH = 5000;

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
      const acc = new RollUpAccumulator();
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

  rebuild(from: string): Promise<{ days: number }> {
    return this.transaction('rebuild', async (client) => {
      const day = Math.ceil(Date.parse(from) / 86_400_000);
      const slot = day * SLOTS_PER_DAY;
      const start = new Date(day * 86_400_000).toISOString();
      const state = await client.query<{ cursor: string }>(
        'SELECT cursor FROM report_state WHERE id = 1 FOR UPDATE',
      );
      const cursor = Number(state.rows[0]?.cursor ?? 0);
      await client.query('DELETE FROM report_slots WHERE slot >= $1', [slot]);
      await client.query('DELETE FROM report_hours WHERE hour >= $1', [day * 24]);
      await client.query('DELETE FROM report_durations WHERE slot >= $1', [slot]);
      await client.query('DELETE FROM report_durations_daily WHERE day >= $1', [day]);
      const acc = new RollUpAccumulator();
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
          [start, cursor, afterAt, afterSeq],
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
        'SELECT COUNT(DISTINCT slot / 96)::int AS n FROM report_slots WHERE slot >= $1',
        [slot],
      );
      return { days: rows[0]?.n ?? 0 };
    });
  }

  /** Adds the accumulated sums to the stored roll-ups in SQL: one upsert per table and batch. */
  private async write(client: PoolClient, acc: RollUpAccumulator): Promise<void> {
    const { slots, hours, durations, daily } = acc.drain();
    const n = COUNT_COLUMN_LIST.length;
    for (const [table, column, rows] of [
      ['report_slots', 'slot', slots],
      ['report_hours', 'hour', hours],
    ] as const) {
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        await client.query(
          `INSERT INTO ${table} (scope_key, ${column}, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
         SELECT * FROM unnest($1::text[], $2::int[],
           ${COUNT_COLUMN_LIST.map((_, j) => `$${j + 3}::int[]`).join(', ')},
           $${n + 3}::int[], $${n + 4}::int[])
         ON CONFLICT (scope_key, ${column}) DO UPDATE SET
           ${COUNT_COLUMN_LIST.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')},
           wait_max = GREATEST(${table}.wait_max, excluded.wait_max),
           length_max = GREATEST(${table}.length_max, excluded.length_max)`,
          [
            batch.map((s) => s.scope),
            batch.map((s) => s.slot),
            ...REPORT_COUNT_KEYS.map((k) => batch.map((s) => s.counts[k])),
            batch.map((s) => s.waitMax ?? null),
            batch.map((s) => s.lengthMax ?? null),
          ],
        );
      }
    }
    for (const [table, column, rows] of [
      ['report_durations', 'slot', durations],
      ['report_durations_daily', 'day', daily],
    ] as const) {
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        await client.query(
          `INSERT INTO ${table} (scope_key, ${column}, kind, bucket, n)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::int[])
           ON CONFLICT (scope_key, ${column}, kind, bucket) DO UPDATE SET n = ${table}.n + excluded.n`,
          [
            batch.map((d) => d.scope),
            batch.map((d) => d.at),
            batch.map((d) => d.kind),
            batch.map((d) => d.bucket),
            batch.map((d) => d.n),
          ],
        );
      }
    }
  }

  async rolledUpBefore(): Promise<string | undefined> {
    const rows = await this.query(
      'rolledUpBefore',
      // OFFSET 0 keeps the subquery apart, so it is a range scan of the primary key from the cursor:
      // a bare MIN(at) lets the planner walk the whole `at` index looking for an unrolled event
      // (~600 ms at a million calls, when there is none).
      `SELECT MIN(at) AS at FROM (SELECT at FROM call_events
       WHERE seq > (SELECT cursor FROM report_state WHERE id = 1) OFFSET 0) e`,
      [],
    );
    return time(rows[0]?.['at']);
  }

  async sums(query: SlotQuery): Promise<ReportSums> {
    const q = sumsStatements(query, (i) => `$${i}`);
    const [days, arrivals, ...durations] = await Promise.all([
      this.query('sums', q.days, q.values),
      this.query('sums', q.arrivals, q.values),
      ...q.durations.map((d) => this.query('sums', d.sql, d.values)),
    ]);
    return toSums(days, arrivals, durations);
  }

  async rawEvents(scope: ReportScope, range: InstantRange): Promise<ReportEventRow[]> {
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
    return rows.map((row) => toCallRow(row, isoText));
  }

  purge(before: string): Promise<number> {
    return this.transaction('purge', async (client) => {
      const ms = Date.parse(before);
      const slot = Math.floor(ms / 900_000);
      const day = Math.floor(ms / 86_400_000);
      let removed = 0;
      for (const [sql, value] of [
        ['DELETE FROM report_slots WHERE slot < $1', slot],
        ['DELETE FROM report_hours WHERE hour < $1', Math.floor(slot / 4)],
        ['DELETE FROM report_durations WHERE slot < $1', slot],
        ['DELETE FROM report_durations_daily WHERE day < $1', day],
        ['DELETE FROM report_call_facts WHERE noted_at < $1', new Date(ms).toISOString()],
      ] as const) {
        removed += (await client.query(sql, [value])).rowCount ?? 0;
      }
      return removed;
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
