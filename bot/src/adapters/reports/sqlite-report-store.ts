import type Database from 'better-sqlite3';
import {
  AppError,
  REPORT_COUNT_KEYS,
  SLOTS_PER_DAY,
  isAppError,
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
import { openSqlite } from '../conversations/sqlite-conversation-store';
import { runSqliteMigrations, type Migration } from '../storage/migrations';
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
export const SQLITE_REPORT_MIGRATIONS: readonly Migration[] = [
  {
    // Its indexes on calls are the calls store's since that store's migration 4 (which makes the
    // team one partial); on a new database they exist before this step, and IF NOT EXISTS skips them.
    version: 1,
    name: 'hourly roll-ups, call facts, cursor',
    sql: `
CREATE TABLE report_hourly (
  scope_key TEXT NOT NULL,
  hour TEXT NOT NULL,
  ${COUNT_COLUMN_LIST.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  wait TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(wait)),
  length TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(length)),
  PRIMARY KEY (scope_key, hour)
) WITHOUT ROWID;
CREATE INDEX report_hourly_hour ON report_hourly (hour);
CREATE TABLE report_call_facts (
  call_id TEXT PRIMARY KEY,
  opened_at TEXT,
  escalated_at TEXT,
  noted_at TEXT NOT NULL
);
CREATE INDEX report_call_facts_noted ON report_call_facts (noted_at);
CREATE TABLE report_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor INTEGER NOT NULL
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
    // exact maxima are kept per slot. Hourly rows move to the first quarter of their hour.
    sql: `
CREATE TABLE report_slots (
  scope_key TEXT NOT NULL,
  slot INTEGER NOT NULL,
  ${COUNT_COLUMN_LIST.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  wait_max INTEGER,
  length_max INTEGER,
  PRIMARY KEY (scope_key, slot)
) WITHOUT ROWID;
CREATE TABLE report_hours (
  scope_key TEXT NOT NULL,
  hour INTEGER NOT NULL,
  ${COUNT_COLUMN_LIST.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  wait_max INTEGER,
  length_max INTEGER,
  PRIMARY KEY (scope_key, hour)
) WITHOUT ROWID;
CREATE TABLE report_durations (
  scope_key TEXT NOT NULL,
  slot INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('wait', 'length')),
  bucket INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (scope_key, slot, kind, bucket)
) WITHOUT ROWID;
-- Keyed by bucket before day, so a range of days is summed in key order, without a sort.
CREATE TABLE report_durations_daily (
  scope_key TEXT NOT NULL,
  day INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('wait', 'length')),
  bucket INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (scope_key, kind, bucket, day)
) WITHOUT ROWID;
INSERT INTO report_slots (scope_key, slot, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
SELECT scope_key, CAST(strftime('%s', hour) AS INTEGER) / 900, ${COUNT_COLUMN_LIST.join(', ')},
  (SELECT MAX(CAST(key AS INTEGER)) FROM json_each(wait)),
  (SELECT MAX(CAST(key AS INTEGER)) FROM json_each(length))
FROM report_hourly;
INSERT INTO report_hours (scope_key, hour, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
SELECT scope_key, slot / 4, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max FROM report_slots;
${(['wait', 'length'] as const)
  .map(
    (kind) => `
INSERT INTO report_durations (scope_key, slot, kind, bucket, n)
SELECT scope_key, slot, '${kind}', ${BUCKET_OF_S}, SUM(n) FROM (
  SELECT h.scope_key AS scope_key, CAST(strftime('%s', h.hour) AS INTEGER) / 900 AS slot,
    CAST(j.key AS INTEGER) AS s, j.value AS n
  FROM report_hourly h, json_each(h.${kind}) j)
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
const CALL_ROW_COLUMNS = callRowColumns((c) => `json_extract(${c}, '$.name')`);
const time = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : (value as string);
const FLUSH_AT = 20_000;
const PAGE = 5_000;

function scopeFilter(scope: ReportScope): { sql: string; values: unknown[] } {
  switch (scope.kind) {
    case 'org':
      return { sql: '', values: [] };
    case 'agent':
      return { sql: ' AND c.agent_id = ?', values: [scope.agentId] };
    case 'team':
      return { sql: ' AND c.team_id = ?', values: [scope.teamId] };
  }
}

/** Report roll-ups in the embedded SQLite file, next to the calls. */
export class SqliteReportStore implements ReportStore {
  private readonly db: Database.Database;
  private readonly owned: boolean;

  /** `file` opens a connection this store closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    this.owned = typeof source === 'string';
    this.db = typeof source === 'string' ? openSqlite(source) : source;
  }

  migrate(): Promise<void> {
    return this.run('migrate', () => {
      runSqliteMigrations(this.db, 'reports', SQLITE_REPORT_MIGRATIONS);
    });
  }

  markOpened(callId: string, at: string): Promise<void> {
    return this.mark('opened_at', callId, at);
  }

  markEscalated(callId: string, at: string): Promise<void> {
    return this.mark('escalated_at', callId, at);
  }

  private mark(column: 'opened_at' | 'escalated_at', callId: string, at: string): Promise<void> {
    return this.run('mark', () => {
      // A read first: pages are fetched far more often than facts change, and reads take no lock.
      const known = this.db
        .prepare(`SELECT ${column} AS v FROM report_call_facts WHERE call_id = ?`)
        .get(callId) as { v: string | null } | undefined;
      if (known?.v) return;
      const iso = new Date(at).toISOString();
      this.db
        .prepare(
          `INSERT INTO report_call_facts (call_id, ${column}, noted_at)
           SELECT id, ?, ? FROM calls WHERE id = ?
           ON CONFLICT (call_id) DO UPDATE SET ${column} = excluded.${column}
           WHERE report_call_facts.${column} IS NULL`,
        )
        .run(iso, iso, callId);
    });
  }

  rollUp(settledBefore: string, limit: number): Promise<RollUpResult> {
    return this.run('rollUp', () =>
      this.db
        .transaction((): RollUpResult => {
          const { cursor } = this.db
            .prepare('SELECT cursor FROM report_state WHERE id = 1')
            .get() as {
            cursor: number;
          };
          const rows = this.db
            .prepare(
              `SELECT ${RAW_EVENT_COLUMNS}
               FROM (SELECT * FROM call_events WHERE seq > ? ORDER BY seq LIMIT ?) e
               JOIN calls c ON c.id = e.call_id
               LEFT JOIN report_call_facts f ON f.call_id = e.call_id
               ORDER BY e.seq`,
            )
            .all(cursor, checkLimit(limit)) as Row[];
          const acc = new RollUpAccumulator();
          let last = cursor;
          let read = 0;
          const settled = new Date(settledBefore).toISOString();
          for (const row of rows) {
            if ((row['at'] as string) > settled) break;
            acc.add(toEventRow(row, time));
            last = Number(row['seq']);
            read += 1;
          }
          this.write(acc);
          this.db.prepare('UPDATE report_state SET cursor = ? WHERE id = 1').run(last);
          return { events: read, cursor: last };
        })
        .immediate(),
    );
  }

  rebuild(from: string): Promise<{ days: number }> {
    return this.run('rebuild', () =>
      this.db
        .transaction(() => {
          const day = Math.ceil(Date.parse(from) / 86_400_000);
          const slot = day * SLOTS_PER_DAY;
          const start = new Date(day * 86_400_000).toISOString();
          const { cursor } = this.db
            .prepare('SELECT cursor FROM report_state WHERE id = 1')
            .get() as {
            cursor: number;
          };
          this.db.prepare('DELETE FROM report_slots WHERE slot >= ?').run(slot);
          this.db.prepare('DELETE FROM report_hours WHERE hour >= ?').run(day * 24);
          this.db.prepare('DELETE FROM report_durations WHERE slot >= ?').run(slot);
          this.db.prepare('DELETE FROM report_durations_daily WHERE day >= ?').run(day);
          const page = this.db.prepare(
            `SELECT ${RAW_EVENT_COLUMNS} FROM call_events e JOIN calls c ON c.id = e.call_id
             LEFT JOIN report_call_facts f ON f.call_id = e.call_id
             WHERE e.at >= ? AND e.seq <= ? AND (e.at > ? OR (e.at = ? AND e.seq > ?))
             ORDER BY e.at, e.seq LIMIT ${PAGE}`,
          );
          const acc = new RollUpAccumulator();
          let afterAt = '';
          let afterSeq = 0;
          for (;;) {
            const rows = page.all(start, cursor, afterAt, afterAt, afterSeq) as Row[];
            for (const row of rows) acc.add(toEventRow(row, time));
            if (acc.size > FLUSH_AT) this.write(acc);
            if (rows.length < PAGE) break;
            const tail = rows[rows.length - 1]!;
            afterAt = tail['at'] as string;
            afterSeq = Number(tail['seq']);
          }
          this.write(acc);
          const { n } = this.db
            .prepare('SELECT COUNT(DISTINCT slot / 96) AS n FROM report_slots WHERE slot >= ?')
            .get(slot) as { n: number };
          return { days: n };
        })
        .immediate(),
    );
  }

  /** Adds the accumulated sums to the stored roll-ups, in SQL (no read-modify-write). */
  private write(acc: RollUpAccumulator): void {
    const { slots, hours, durations, daily } = acc.drain();
    for (const [table, column, rows] of [
      ['report_slots', 'slot', slots],
      ['report_hours', 'hour', hours],
    ] as const) {
      const upsertSlot = this.db.prepare(
        `INSERT INTO ${table} (scope_key, ${column}, ${COUNT_COLUMN_LIST.join(', ')}, wait_max, length_max)
       VALUES (?, ?, ${COUNT_COLUMN_LIST.map(() => '?').join(', ')}, ?, ?)
       ON CONFLICT (scope_key, ${column}) DO UPDATE SET
         ${COUNT_COLUMN_LIST.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
         wait_max = MAX(COALESCE(wait_max, excluded.wait_max), COALESCE(excluded.wait_max, wait_max)),
         length_max = MAX(COALESCE(length_max, excluded.length_max),
                          COALESCE(excluded.length_max, length_max))`,
      );
      for (const s of rows) {
        upsertSlot.run(
          s.scope,
          s.slot,
          ...REPORT_COUNT_KEYS.map((k) => s.counts[k]),
          s.waitMax ?? null,
          s.lengthMax ?? null,
        );
      }
    }
    for (const [table, column, rows] of [
      ['report_durations', 'slot', durations],
      ['report_durations_daily', 'day', daily],
    ] as const) {
      const upsert = this.db.prepare(
        `INSERT INTO ${table} (scope_key, ${column}, kind, bucket, n) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope_key, ${column}, kind, bucket) DO UPDATE SET n = n + excluded.n`,
      );
      for (const d of rows) upsert.run(d.scope, d.at, d.kind, d.bucket, d.n);
    }
  }

  rolledUpBefore(): Promise<string | undefined> {
    return this.run('rolledUpBefore', () => {
      // The subquery with LIMIT is not flattened, so the scan starts at the cursor on the primary
      // key; a bare MIN(at) may walk the whole `at` index looking for an unrolled event.
      const row = this.db
        .prepare(
          `SELECT MIN(at) AS at FROM (SELECT at FROM call_events
           WHERE seq > (SELECT cursor FROM report_state WHERE id = 1) LIMIT -1)`,
        )
        .get() as { at: string | null };
      return row.at ?? undefined;
    });
  }

  sums(query: SlotQuery): Promise<ReportSums> {
    const q = sumsStatements(query, (i) => `@p${i}`);
    const named = (values: unknown[]) => Object.fromEntries(values.map((v, i) => [`p${i + 1}`, v]));
    return this.run('sums', () =>
      toSums(
        this.db.prepare(q.days).all(named(q.values)) as Row[],
        this.db.prepare(q.arrivals).all(named(q.values)) as Row[],
        q.durations.map((d) => this.db.prepare(d.sql).all(named(d.values)) as Row[]),
      ),
    );
  }

  rawEvents(scope: ReportScope, range: InstantRange): Promise<ReportEventRow[]> {
    const filter = scopeFilter(scope);
    return this.run('rawEvents', () =>
      (
        this.db
          .prepare(
            // CROSS JOIN keeps events outermost: the range is today (or the little not rolled up
            // yet), whereas starting from a team's or agent's calls reads their whole history
            // (110 ms for a team at 200,000 calls).
            `SELECT ${RAW_EVENT_COLUMNS} FROM call_events e CROSS JOIN calls c ON c.id = e.call_id
             LEFT JOIN report_call_facts f ON f.call_id = e.call_id
             WHERE e.at >= ? AND e.at < ?${filter.sql} ORDER BY e.seq`,
          )
          .all(range.from, range.to, ...filter.values) as Row[]
      ).map((row) => toEventRow(row, time)),
    );
  }

  callRows(query: CallRowQuery): Promise<CallRow[]> {
    const filter = scopeFilter(query.scope);
    const after = query.after;
    return this.run('callRows', () =>
      (
        this.db
          .prepare(
            `SELECT ${CALL_ROW_COLUMNS} FROM calls c
             LEFT JOIN report_call_facts f ON f.call_id = c.id
             WHERE c.created_at >= ? AND c.created_at < ?${filter.sql}
             ${after ? 'AND (c.created_at, c.id) > (?, ?)' : ''}
             ORDER BY c.created_at, c.id LIMIT ?`,
          )
          .all(
            new Date(query.from).toISOString(),
            new Date(query.to).toISOString(),
            ...filter.values,
            ...(after ? [after.createdAt, after.id] : []),
            checkLimit(query.limit),
          ) as Row[]
      ).map((row) => toCallRow(row, time)),
    );
  }

  purge(before: string): Promise<number> {
    const cutoff = new Date(before).toISOString();
    const slot = Math.floor(Date.parse(cutoff) / 900_000);
    const day = Math.floor(Date.parse(cutoff) / 86_400_000);
    return this.run('purge', () =>
      this.db
        .transaction(
          () =>
            this.db.prepare('DELETE FROM report_slots WHERE slot < ?').run(slot).changes +
            this.db.prepare('DELETE FROM report_hours WHERE hour < ?').run(Math.floor(slot / 4))
              .changes +
            this.db.prepare('DELETE FROM report_durations WHERE slot < ?').run(slot).changes +
            this.db.prepare('DELETE FROM report_durations_daily WHERE day < ?').run(day).changes +
            this.db.prepare('DELETE FROM report_call_facts WHERE noted_at < ?').run(cutoff).changes,
        )
        .immediate(),
    );
  }

  close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
    return Promise.resolve();
  }

  private run<T>(what: string, work: () => T): Promise<T> {
    if (!this.db.open) {
      return Promise.reject(new AppError('upstream-unavailable', `SQLite reports ${what}: closed`));
    }
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (isAppError(error)) return Promise.reject(error);
      return Promise.reject(
        new AppError('upstream-unavailable', `SQLite reports ${what} failed`, { cause: error }),
      );
    }
  }
}
