import type Database from 'better-sqlite3';
import {
  AppError,
  REPORT_COUNT_KEYS,
  isAppError,
  type CallRow,
  type CallRowQuery,
  type HourBucket,
  type HourRange,
  type ReportEventRow,
  type ReportScope,
  type ReportStore,
  type RollUpResult,
} from '@shared';
import { openSqlite } from '../conversations/sqlite-conversation-store';
import { runSqliteMigrations, type Migration } from '../storage/migrations';
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
export const SQLITE_REPORT_MIGRATIONS: readonly Migration[] = [
  {
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
];

type Row = Record<string, unknown>;
const time = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : (value as string);
const json = (value: unknown): unknown => JSON.parse(value as string);
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
          const acc = new BucketAccumulator();
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

  rebuild(fromHour: string): Promise<{ hours: number }> {
    return this.run('rebuild', () =>
      this.db
        .transaction(() => {
          const from = new Date(fromHour).toISOString();
          const { cursor } = this.db
            .prepare('SELECT cursor FROM report_state WHERE id = 1')
            .get() as {
            cursor: number;
          };
          this.db.prepare('DELETE FROM report_hourly WHERE hour >= ?').run(from);
          const page = this.db.prepare(
            `SELECT ${RAW_EVENT_COLUMNS} FROM call_events e JOIN calls c ON c.id = e.call_id
             LEFT JOIN report_call_facts f ON f.call_id = e.call_id
             WHERE e.at >= ? AND e.seq <= ? AND (e.at > ? OR (e.at = ? AND e.seq > ?))
             ORDER BY e.at, e.seq LIMIT ${PAGE}`,
          );
          const acc = new BucketAccumulator();
          let afterAt = '';
          let afterSeq = 0;
          for (;;) {
            const rows = page.all(from, cursor, afterAt, afterAt, afterSeq) as Row[];
            for (const row of rows) acc.add(toEventRow(row, time));
            if (acc.size > FLUSH_AT) this.write(acc);
            if (rows.length < PAGE) break;
            const tail = rows[rows.length - 1]!;
            afterAt = tail['at'] as string;
            afterSeq = Number(tail['seq']);
          }
          this.write(acc);
          const { n } = this.db
            .prepare('SELECT COUNT(DISTINCT hour) AS n FROM report_hourly WHERE hour >= ?')
            .get(from) as { n: number };
          return { hours: n };
        })
        .immediate(),
    );
  }

  /** Adds the accumulated buckets to the stored ones (read, merge, write back). */
  private write(acc: BucketAccumulator): void {
    const select = this.db.prepare('SELECT * FROM report_hourly WHERE scope_key = ? AND hour = ?');
    const upsert = this.db.prepare(
      `INSERT OR REPLACE INTO report_hourly (scope_key, hour, ${COUNT_COLUMN_LIST.join(', ')}, wait, length)
       VALUES (?, ?, ${COUNT_COLUMN_LIST.map(() => '?').join(', ')}, ?, ?)`,
    );
    for (const { scope, bucket } of acc.drain()) {
      const prior = select.get(scope, bucket.hour) as Row | undefined;
      const old = prior ? toBucket(prior, time) : undefined;
      upsert.run(
        scope,
        bucket.hour,
        ...REPORT_COUNT_KEYS.map((k) => bucket.counts[k] + (old?.counts[k] ?? 0)),
        JSON.stringify(old ? mergedHistogram(old.wait, bucket.wait) : bucket.wait),
        JSON.stringify(old ? mergedHistogram(old.length, bucket.length) : bucket.length),
      );
    }
  }

  rolledUpBefore(): Promise<string | undefined> {
    return this.run('rolledUpBefore', () => {
      const row = this.db
        .prepare(
          `SELECT MIN(at) AS at FROM call_events
           WHERE seq > (SELECT cursor FROM report_state WHERE id = 1)`,
        )
        .get() as { at: string | null };
      return row.at ?? undefined;
    });
  }

  buckets(scope: ReportScope, range: HourRange): Promise<HourBucket[]> {
    return this.run('buckets', () =>
      (
        this.db
          .prepare(
            'SELECT * FROM report_hourly WHERE scope_key = ? AND hour >= ? AND hour < ? ORDER BY hour',
          )
          .all(scopeKey(scope), range.from, range.to) as Row[]
      ).map((row) => toBucket(row, time)),
    );
  }

  rawEvents(scope: ReportScope, range: HourRange): Promise<ReportEventRow[]> {
    const filter = scopeFilter(scope);
    return this.run('rawEvents', () =>
      (
        this.db
          .prepare(
            `SELECT ${RAW_EVENT_COLUMNS} FROM call_events e JOIN calls c ON c.id = e.call_id
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
      ).map((row) => toCallRow(row, time, json)),
    );
  }

  purge(before: string): Promise<number> {
    const cutoff = new Date(before).toISOString();
    return this.run('purge', () =>
      this.db
        .transaction(
          () =>
            this.db.prepare('DELETE FROM report_hourly WHERE hour < ?').run(cutoff).changes +
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
