import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ACTIVE_STATES, TERMINAL_STATES, type CallStore, type ReportStore } from '@shared';
import {
  POSTGRES_REPORT_MIGRATIONS,
  PostgresReportStore,
} from '../../bot/src/adapters/reports/postgres-report-store';
import {
  SQLITE_REPORT_MIGRATIONS,
  SqliteReportStore,
} from '../../bot/src/adapters/reports/sqlite-report-store';
import {
  runPostgresMigrations,
  runSqliteMigrations,
} from '../../bot/src/adapters/storage/migrations';
import {
  POSTGRES_CALL_MIGRATIONS,
  PostgresCallStore,
} from '../../bot/src/adapters/storage/postgres-call-store';
import {
  SQLITE_CALL_MIGRATIONS,
  SqliteCallStore,
} from '../../bot/src/adapters/storage/sqlite-call-store';
import { T0, aCall, aClaim, aCreatedEvent, aMeeting, aTeam, at } from '../fixtures/calls';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

// `calls` has few indexes on purpose (each one is written by every created call): every query the
// call store runs, and the report store's reads of calls, must still find its rows through one.
// The statements are the stores' own, recorded while they run, then explained.

const THREAD = '19:meeting_cGxhbnM@thread.v2';
const JOIN_URL = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0`;

/** Runs every read and write of the call store, and the report store's reads of calls by scope. */
async function exercise(calls: CallStore, reports: ReportStore): Promise<void> {
  const call = aCall({
    team: aTeam(),
    meeting: aMeeting({
      provider: 'teams',
      meetingId: 'm',
      joinUrl: JOIN_URL,
      onlineMeetingId: btoa(`1*organizer*0**${THREAD}`),
    }),
  });
  await calls.insert(call, aCreatedEvent());
  await calls.get(call.id);
  await calls.getByCodeHash(call.codeHash);
  await calls.list({ agentId: call.agent.id });
  await calls.list({ agentId: call.agent.id, states: ACTIVE_STATES, limit: 50 });
  await calls.list({ teamId: 'team-support' });
  await calls.list({ teamId: 'team-support', states: TERMINAL_STATES });
  await calls.findByMeeting({ threadId: THREAD, joinUrl: JOIN_URL });
  await calls.transition(aClaim(call));
  await calls.events(call.id);
  await calls.due(at(60), at(30), 100);
  await calls.purge(at(-60));
  const range = { from: T0, to: at(60 * 24) };
  for (const scope of [
    { kind: 'org' },
    { kind: 'agent', agentId: call.agent.id },
    { kind: 'team', teamId: 'team-support' },
  ] as const) {
    await reports.callRows({ scope, ...range, limit: 10 });
    await reports.callRows({ scope, ...range, after: { createdAt: T0, id: call.id }, limit: 10 });
    await reports.rawEvents(scope, range);
  }
}

const onCalls = (sql: string): boolean =>
  /\b(calls|call_events)\b/.test(sql) && /^\s*(SELECT|UPDATE|DELETE|WITH)\b/i.test(sql);

describe('SQLite query plans', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'otc-plans-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads calls and events through an index in every query', async () => {
    const file = path.join(dir, 'plans.sqlite');
    const calls = new SqliteCallStore(file);
    const reports = new SqliteReportStore(file);
    const explain = new Database(file);
    try {
      await calls.migrate();
      await reports.migrate();
      const seen = new Set<string>();
      const prepare = jest.spyOn(Database.prototype, 'prepare');
      await exercise(calls, reports);
      for (const [sql] of prepare.mock.calls) if (onCalls(sql)) seen.add(sql);
      prepare.mockRestore();

      expect(seen.size).toBeGreaterThan(15);
      for (const sql of seen) {
        const params = (sql.match(/\?/g) ?? []).map(() => null);
        const plan = explain.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
          detail: string;
        }>;
        // SEARCH seeks in an index; SCAN reads the whole table, or a whole index in its order.
        const scans = plan.filter((p) => /^SCAN (calls|call_events|c|e)\b/.test(p.detail));
        expect({ sql, scans }).toEqual({ sql, scans: [] });
      }
    } finally {
      explain.close();
      await reports.close();
      await calls.close();
    }
  });

  it('leaves a file from before migration 4 with the same indexes as a new one', async () => {
    const indexes = (file: string): string[] => {
      const db = new Database(file);
      try {
        return (
          db
            .prepare(
              `SELECT name || ': ' || sql AS i FROM sqlite_master
               WHERE type = 'index' AND tbl_name IN ('calls', 'call_events') AND sql IS NOT NULL
               ORDER BY name`,
            )
            .all() as Array<{ i: string }>
        ).map((r) => r.i.replace(/\s+/g, ' ').replace(' IF NOT EXISTS', ''));
      } finally {
        db.close();
      }
    };
    const fresh = path.join(dir, 'fresh.sqlite');
    const old = path.join(dir, 'old.sqlite');
    for (const [file, callSteps] of [
      [fresh, SQLITE_CALL_MIGRATIONS],
      [old, SQLITE_CALL_MIGRATIONS.slice(0, 3)],
    ] as const) {
      const db = new Database(file);
      db.pragma('foreign_keys = OFF'); // as SqliteCallStore.migrate runs them
      runSqliteMigrations(db, 'calls', callSteps);
      runSqliteMigrations(db, 'reports', SQLITE_REPORT_MIGRATIONS);
      db.close();
    }
    const upgraded = new SqliteCallStore(old);
    await upgraded.migrate();
    await upgraded.close();

    expect(indexes(old)).toEqual(indexes(fresh));
    expect(indexes(fresh).map((i) => i.split(':')[0])).toEqual([
      'call_events_call',
      'calls_finished_updated',
      'calls_meeting_join_url',
      'calls_meeting_thread',
      'calls_state_expires',
      'report_call_events_at',
      'report_calls_agent_created',
      'report_calls_created',
      'report_calls_team_created',
    ]);
  });
});

describePostgres('PostgreSQL query plans', () => {
  let schemas: string[] = [];
  afterEach(async () => {
    await Promise.all(schemas.map(dropSchema));
    schemas = [];
  });

  it('reads calls and events through an index in every query', async () => {
    const schema = aSchemaName();
    schemas.push(schema);
    const calls = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 2 });
    const reports = new PostgresReportStore(calls.pool, { schema });
    try {
      await calls.migrate();
      await reports.migrate();
      const query = jest.spyOn(calls.pool, 'query');
      await exercise(calls, reports);
      const seen = new Map<string, unknown[]>();
      for (const [sql, values] of query.mock.calls as unknown as Array<[string, unknown[]]>) {
        if (typeof sql === 'string' && onCalls(sql)) seen.set(sql, values ?? []);
      }
      query.mockRestore();

      expect(seen.size).toBeGreaterThan(15);
      const client = await calls.pool.connect();
      try {
        // The tables are nearly empty; without this the planner rightly prefers reading them whole.
        await client.query('SET enable_seqscan = off');
        for (const [sql, values] of seen) {
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values);
          // A sequential scan, or an index read whole (an index scan with no condition), is a scan.
          const lines = rows.map((r) => r['QUERY PLAN']);
          const scans = lines.filter(
            (line, i) =>
              /Seq Scan on (calls|call_events)\b/.test(line) ||
              (/Index (Only )?Scan (Backward )?using \w+ on (calls|call_events)\b/.test(line) &&
                !/Index Cond:/.test(lines[i + 1] ?? '')),
          );
          expect({ sql, scans }).toEqual({ sql, scans: [] });
        }
      } finally {
        await client.query('RESET enable_seqscan');
        client.release();
      }
    } finally {
      await calls.close();
    }
  });

  it('leaves a schema from before migration 4 with the same indexes as a new one', async () => {
    const indexes = async (schema: string): Promise<string[]> => {
      const store = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 1 });
      try {
        const { rows } = await store.pool.query<{ i: string }>(
          `SELECT indexname || ': ' || replace(indexdef, $1, '') AS i FROM pg_indexes
           WHERE schemaname = $2 AND tablename IN ('calls', 'call_events') ORDER BY indexname`,
          [`${schema}.`, schema],
        );
        return rows.map((r) => r.i);
      } finally {
        await store.close();
      }
    };
    const fresh = aSchemaName();
    const old = aSchemaName();
    schemas.push(fresh, old);
    for (const [schema, callSteps] of [
      [fresh, POSTGRES_CALL_MIGRATIONS],
      [old, POSTGRES_CALL_MIGRATIONS.slice(0, 3)],
    ] as const) {
      const store = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 1 });
      try {
        await runPostgresMigrations(store.pool, 'calls', callSteps, { schema });
        await runPostgresMigrations(store.pool, 'reports', POSTGRES_REPORT_MIGRATIONS, { schema });
      } finally {
        await store.close();
      }
    }
    const upgraded = new PostgresCallStore(TEST_DATABASE_URL, { schema: old, max: 1 });
    await upgraded.migrate();
    await upgraded.close();

    expect(await indexes(old)).toEqual(await indexes(fresh));
    expect((await indexes(fresh)).map((i) => i.split(':')[0])).toEqual([
      'call_events_call',
      'call_events_pkey',
      'calls_code_hash_key',
      'calls_finished_updated',
      'calls_meeting_join_url',
      'calls_meeting_thread',
      'calls_pkey',
      'calls_state_expires',
      'report_call_events_at',
      'report_calls_agent_created',
      'report_calls_created',
      'report_calls_team_created',
    ]);
  });
});
