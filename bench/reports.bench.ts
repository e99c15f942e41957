// Reports at real size: seeds BENCH_REPORT_CALLS calls (default 200,000, a few minutes on 2 cores;
// BENCH_REPORT_CALLS=1000000 for the full size; generated inside the
// database with one INSERT … SELECT per table, never checked in) into SQLite and into PostgreSQL,
// rolls them up, then prints the time of a 90-day team report and a 365-day organisation report
// (target: p99 < 300 ms) and of a 100,000-row CSV export over HTTP (target: < 5 s, memory flat).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { addDays, localTime } from '@shared';
import { buildApp } from '../bot/src/build-app';
import { loadConfig } from '../bot/src/config';
import { percentile } from './stats';

const CALLS = Number(process.env['BENCH_REPORT_CALLS'] ?? 200_000);
const PG_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY_S = 86_400;
const ZONE = 'Europe/Berlin';

// Every call i: created evenly over the 365 days before today (UTC), owner agent-(i % 200), team
// team-(i % 20) for even i; outcome by i % 10: 0–5 admitted and ended, 6 declined, 7 abandoned,
// 8 expired unused, 9 revoked. Times in whole seconds since the epoch.
const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
const start = today - 365 * DAY_S;
const step = (365 * DAY_S) / CALLS;

/** The shared SELECT that generates calls (`i`, `c` created, `k` claimed, `a` admitted, `e` end). */
const facts = (series: string, epoch: (s: string) => string) =>
  `
  SELECT i, i % 10 AS o,
    ${start} + CAST(i * ${step} AS INTEGER) AS c,
    ${start} + CAST(i * ${step} AS INTEGER) + 300 AS k,
    ${start} + CAST(i * ${step} AS INTEGER) + 300 + (i * 37) % 180 AS a,
    ${start} + CAST(i * ${step} AS INTEGER) + 600 + (i * 37) % 180 + (i * 53) % 1800 AS e
  FROM ${series}` + epoch('');

/** Every event of every call (`i`, `type`, `at` in epoch seconds, states), from the facts `f`. */
const EVENTS = [
  ['created', 'c', null, 'scheduled', '1 = 1'],
  ['claimed', 'k', 'scheduled', 'waiting', 'o < 8'],
  ['admitted', 'a', 'waiting', 'admitted', 'o < 6'],
  ['ended', 'e', 'admitted', 'ended', 'o < 6'],
  ['declined', 'k + 40', 'waiting', 'declined', 'o = 6'],
  ['abandoned', 'k + 900', 'waiting', 'abandoned', 'o = 7'],
  ['expired', 'c + 7200', 'scheduled', 'expired', 'o = 8'],
  ['revoked', 'c + 600', 'scheduled', 'revoked', 'o = 9'],
]
  .map(
    ([type, at, from, to, where]) =>
      `SELECT i, '${type}' AS type, ${at} AS at, ${from === null ? 'NULL' : `'${from}'`} AS from_state,
        '${to}' AS to_state FROM f WHERE ${where}`,
  )
  .join(' UNION ALL ');

function sqliteSeed(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const t = (s: string) => `strftime('%Y-%m-%dT%H:%M:%S.000Z', ${s}, 'unixepoch')`;
  const series = `(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS}) SELECT i FROM n)`;
  db.exec('BEGIN');
  db.exec(`CREATE TEMP TABLE f AS ${facts(series, () => '')}`);
  db.exec(`INSERT INTO calls (id, code_hash, state, version, agent_id, team_id, created_at, updated_at,
      title, starts_at, duration_minutes, expires_at, customer_locale, time_zone, agent, team, meeting,
      claimed_at, admitted_at, ended_at)
    SELECT printf('%08d-0000-4000-8000-000000000000', i), 'h' || i,
      CASE WHEN o < 6 THEN 'ended' WHEN o = 6 THEN 'declined' WHEN o = 7 THEN 'abandoned'
           WHEN o = 8 THEN 'expired' ELSE 'revoked' END, 3,
      'agent-' || (i % 200), CASE WHEN i % 2 = 0 THEN 'team-' || (i % 20) END,
      ${t('c')}, ${t('e')}, 'Wartung ' || i, ${t('c')}, 30, ${t('c + 7200')}, 'de', 'Europe/Berlin',
      json_object('id', 'agent-' || (i % 200), 'name', 'Agent ' || (i % 200)),
      CASE WHEN i % 2 = 0 THEN json_object('id', 'team-' || (i % 20), 'name', 'Team ' || (i % 20)) END,
      '{"provider":"browser","meetingId":"m"}',
      CASE WHEN o < 8 THEN ${t('k')} END, CASE WHEN o < 6 THEN ${t('a')} END,
      CASE WHEN o < 6 THEN ${t('e')} END
    FROM f`);
  // One INSERT in time order, as a real log grows: the roll-up then sums neighbouring events
  // into the same rows instead of touching a new row per event.
  db.exec(`INSERT INTO call_events (call_id, type, at, actor, from_state, to_state)
    SELECT printf('%08d-0000-4000-8000-000000000000', i), type, ${t('at')}, '{"kind":"system"}',
      from_state, to_state
    FROM (${EVENTS}) ORDER BY at, i`);
  db.exec('COMMIT');
  db.close();
}

async function postgresSeed(schema: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`SET search_path = "${schema}"`);
    await client.query('SET synchronous_commit = off');
    const t = (s: string) => `to_timestamp(${s})`;
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE f AS ${facts(`generate_series(1, ${CALLS}) AS g(i)`, () => '')}`,
    );
    await client.query(`INSERT INTO calls (id, code_hash, state, version, agent_id, team_id, created_at,
        updated_at, title, starts_at, duration_minutes, expires_at, customer_locale, time_zone, agent,
        team, meeting, claimed_at, admitted_at, ended_at)
      SELECT lpad(i::text, 8, '0') || '-0000-4000-8000-000000000000', 'h' || i,
        CASE WHEN o < 6 THEN 'ended' WHEN o = 6 THEN 'declined' WHEN o = 7 THEN 'abandoned'
             WHEN o = 8 THEN 'expired' ELSE 'revoked' END, 3,
        'agent-' || (i % 200), CASE WHEN i % 2 = 0 THEN 'team-' || (i % 20) END,
        ${t('c')}, ${t('e')}, 'Wartung ' || i, ${t('c')}, 30, ${t('c + 7200')}, 'de', 'Europe/Berlin',
        jsonb_build_object('id', 'agent-' || (i % 200), 'name', 'Agent ' || (i % 200)),
        CASE WHEN i % 2 = 0 THEN jsonb_build_object('id', 'team-' || (i % 20), 'name', 'Team ' || (i % 20)) END,
        '{"provider":"browser","meetingId":"m"}'::jsonb,
        CASE WHEN o < 8 THEN ${t('k')} END, CASE WHEN o < 6 THEN ${t('a')} END,
        CASE WHEN o < 6 THEN ${t('e')} END
      FROM f`);
    await client.query(`INSERT INTO call_events (call_id, type, at, actor, from_state, to_state)
      SELECT lpad(i::text, 8, '0') || '-0000-4000-8000-000000000000', type, ${t('at')},
        '{"kind":"system"}'::jsonb, from_state, to_state
      FROM (${EVENTS}) x ORDER BY at, i`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const p = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms (n=${values.length})`;

async function measure(
  label: string,
  env: Record<string, string>,
  seed: () => Promise<void>,
  settle: () => Promise<void>,
) {
  console.log(`\n--- ${label}: ${CALLS.toLocaleString('en')} calls`);
  // Build once to create the schema, seed into it, then build again to roll up and measure.
  const empty = await buildApp(loadConfig({ NODE_ENV: 'test', PORT: '0', ...env }), {
    sweeper: false,
    notifier: false,
  });
  await empty.close();
  let t0 = process.hrtime.bigint();
  await seed();
  console.log(`seeded in ${(ms(t0) / 1000).toFixed(1)} s`);
  const app = await buildApp(loadConfig({ NODE_ENV: 'test', PORT: '0', ...env }), {
    sweeper: false,
    notifier: false,
  });
  const server = await app.listen();
  try {
    t0 = process.hrtime.bigint();
    const events = await server.rollUpReports();
    console.log(
      `rolled up ${events.toLocaleString('en')} events in ${(ms(t0) / 1000).toFixed(1)} s`,
    );
    // A year rolled up in minutes outruns autovacuum; in service it keeps the planner's statistics
    // and the visibility map (index-only scans) current. Do here what it would have done.
    await settle();
    const to = localTime(Date.now(), ZONE).date;
    // One request first, reported apart: it compiles the statements and the zone's formatter, a
    // cost once per process, not a percentile of a server's life.
    const ask = async (query: string, runs: number) => {
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = -1; i < runs; i += 1) {
        const t = process.hrtime.bigint();
        const c = process.cpuUsage();
        const res = await fetch(`${server.url}/api/reports?${query}`);
        await res.json();
        if (res.status !== 200) throw new Error(`report: ${res.status}`);
        const used = process.cpuUsage(c);
        if (i < 0) {
          console.log(`  first request: ${ms(t).toFixed(1)} ms`);
          continue;
        }
        times.push(ms(t));
        cpu.push((used.user + used.system) / 1000);
      }
      return { times, cpu };
    };
    const team = await ask(
      `scope=team&teamId=team-4&from=${addDays(to, -89)}&to=${to}&timeZone=${ZONE}`,
      40,
    );
    console.log(`90-day team report (HTTP, JSON):          ${p(team.times)}  target p99 < 300 ms`);
    console.log(`  CPU of this process per report:          ${p(team.cpu)}`);
    const org = await ask(`scope=org&from=${addDays(to, -364)}&to=${to}&timeZone=${ZONE}`, 20);
    console.log(`365-day organisation report (HTTP, JSON): ${p(org.times)}  target p99 < 300 ms`);
    console.log(`  CPU of this process per report:          ${p(org.cpu)}`);

    // ~100,000 calls: the share of the year that holds that many.
    const days = Math.min(365, Math.max(1, Math.round((100_000 / CALLS) * 365)));
    const csvFrom = addDays(to, -days);
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 50);
    t0 = process.hrtime.bigint();
    const csvCpu = process.cpuUsage();
    const res = await fetch(
      `${server.url}/api/reports.csv?scope=org&from=${csvFrom}&to=${addDays(to, -1)}&timeZone=${ZONE}`,
    );
    if (res.status !== 200) throw new Error(`CSV: ${res.status}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let rows = 0;
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (const b of value) if (b === 10) rows += 1;
    }
    const csvMs = ms(t0);
    const csvUsed = process.cpuUsage(csvCpu);
    clearInterval(sampler);
    const mb = (n: number) => (n / 1_048_576).toFixed(0);
    console.log(
      `CSV export: ${(rows - 1).toLocaleString('en')} rows, ${mb(bytes)} MB in ${(csvMs / 1000).toFixed(2)} s  target < 5 s; ` +
        `RSS ${mb(Math.min(...rss))}–${mb(Math.max(...rss))} MB while streaming; ` +
        `CPU of this process (server and reader) ${((csvUsed.user + csvUsed.system) / 1e6).toFixed(2)} s`,
    );
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  // Wall times on a shared machine include waiting for a core: the load is printed with them.
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'otc-bench-reports-'));
  try {
    const file = path.join(dir, 'one-time-call.sqlite');
    await measure(
      'SQLite',
      { DATA_DIR: dir },
      () => {
        sqliteSeed(file);
        return Promise.resolve();
      },
      () => {
        const db = new Database(file);
        db.exec('ANALYZE');
        db.close();
        return Promise.resolve();
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const schema = `otc_bench_${randomBytes(4).toString('hex')}`;
  try {
    await measure(
      'PostgreSQL',
      { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema },
      () => postgresSeed(schema),
      async () => {
        const client = new Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`SET search_path = "${schema}"`);
        await client.query(
          'VACUUM ANALYZE report_slots, report_hours, report_durations, report_durations_daily',
        );
        await client.end();
      },
    );
  } catch (error) {
    console.log(`PostgreSQL skipped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    const client = new Client({ connectionString: PG_URL });
    await client.connect().then(
      () => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end()),
      () => undefined,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
