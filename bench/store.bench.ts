// Store figures: create-call inserts and claim transitions per second, with latency, on SQLite and
// (when it answers) PostgreSQL. Run alone with `npx tsx bench/store.bench.ts`. Bounded: a few
// seconds per figure. Prints; asserts nothing. The schema is the server's: the report store's
// migrations run too (they add indexes on `calls` and `call_events`), and calls are made as a
// server makes them: `created_at` moves on, half of them belong to a team.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallRecord, CallStore } from '@shared';
import { PostgresReportStore } from '../bot/src/adapters/reports/postgres-report-store';
import { SqliteReportStore } from '../bot/src/adapters/reports/sqlite-report-store';
import { PostgresCallStore } from '../bot/src/adapters/storage/postgres-call-store';
import { SqliteCallStore } from '../bot/src/adapters/storage/sqlite-call-store';
import { SqliteCheckpointer } from '../bot/src/adapters/storage/sqlite-checkpointer';
import { aCall, aClaim, aCreatedEvent, aTeam } from '../tests/fixtures/calls';
import { latency } from './stats';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const PG_CALLERS = 12;
const PG_URL =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/test';

type Figures = {
  readonly count: number;
  readonly seconds: number;
  readonly samples: number[];
  /** This process's CPU time (user + system), in µs. */
  readonly cpuMicros: number;
};

/** Runs `op` from `callers` concurrent loops until the time is up or `op` says there is no more work. */
async function measure(callers: number, op: () => Promise<boolean>): Promise<Figures> {
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        if (!(await op())) return;
        samples.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { count: samples.length, seconds, samples, cpuMicros: used.user + used.system };
}

const line = (label: string, f: Figures): string =>
  `${label.padEnd(56)} ${(f.count / f.seconds).toFixed(0).padStart(6)}/s over ${f.seconds.toFixed(1)} s, ` +
  `${((f.seconds * 1e6) / f.count).toFixed(0)} µs wall and ${(f.cpuMicros / f.count).toFixed(0)} µs node CPU per op, ` +
  `latency mean ${(f.samples.reduce((a, b) => a + b, 0) / f.count).toFixed(3)} ms, ${latency(f.samples)}`;

let made = 0;
/** A call as the server makes one: created now (so later than the last), every other one in a team. */
const aNewCall = (): CallRecord => {
  const createdAt = new Date().toISOString();
  return aCall({ createdAt, updatedAt: createdAt, ...(made++ % 2 ? { team: aTeam() } : {}) });
};

async function bench(name: string, store: CallStore, callers: number): Promise<void> {
  const created: CallRecord[] = [];
  const inserts = await measure(callers, async () => {
    const call = aNewCall();
    await store.insert(call, aCreatedEvent({ at: call.createdAt }));
    created.push(call);
    return true;
  });
  console.log(line(`${name}: create-call inserts`, inserts));

  // Claims the calls just made; the run ends early (and says so by its duration) when they run out.
  let next = 0;
  let refused = 0;
  const claims = await measure(callers, async () => {
    const call = created[next++];
    if (!call) return false;
    const result = await store.transition(aClaim(call, { at: new Date().toISOString() }));
    if (!result.ok) refused++;
    return true;
  });
  console.log(line(`${name}: claim transitions (scheduled → waiting)`, claims));
  if (refused > 0) console.log(`${name}: ${refused} claims were refused (unexpected)`);

  // Fifty browsers on one link: how long until every one of them has its answer.
  const rounds: number[] = [];
  let winners = 0;
  for (let round = 0; round < 20; round++) {
    const call = aNewCall();
    await store.insert(call, aCreatedEvent({ at: call.createdAt }));
    const t = performance.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.transition(aClaim(call, { token: `b${i}` }))),
    );
    rounds.push(performance.now() - t);
    winners += results.filter((r) => r.ok).length;
  }
  console.log(
    `${`${name}: 50 concurrent claims of one link, all answered`.padEnd(56)} ${latency(rounds)}; winners per link ${winners / rounds.length}`,
  );
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otc-bench-'));
  const file = path.join(dir, 'bench.sqlite');
  const store = new SqliteCallStore(file);
  let checkpointer: SqliteCheckpointer | undefined;
  try {
    await store.migrate();
    const reports = new SqliteReportStore(file);
    await reports.migrate();
    await reports.close();
    // As in the server: the WAL is copied into the file by a worker, not inside a request.
    checkpointer = new SqliteCheckpointer(file);
    // better-sqlite3 is synchronous: one caller is the honest figure for one process.
    await bench('SQLite (WAL, NORMAL, worker checkpoints, 1 caller)', store, 1);
  } finally {
    await checkpointer?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const schema = `otc_bench_${process.pid}`;
  const store = new PostgresCallStore(PG_URL, { schema, max: PG_CALLERS });
  if (!(await store.ping())) {
    console.log(`PostgreSQL: not reachable at ${new URL(PG_URL).host}, SKIPPED`);
    await store.close();
    return;
  }
  try {
    await store.migrate();
    await new PostgresReportStore(store.pool, { schema }).migrate();
    await bench(`PostgreSQL (${PG_CALLERS} concurrent callers)`, store, PG_CALLERS);
  } finally {
    await store.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await store.close();
  }
}

async function main(): Promise<void> {
  console.log(`Store benchmark: ${SECONDS} s per figure, ${new Date().toISOString()}`);
  await sqlite();
  await postgres();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
