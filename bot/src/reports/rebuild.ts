import type { CallStore, ReportStore } from '@shared';
import { PostgresReportStore } from '../adapters/reports/postgres-report-store';
import { SqliteReportStore } from '../adapters/reports/sqlite-report-store';
import { PostgresCallStore } from '../adapters/storage/postgres-call-store';
import { SqliteCallStore } from '../adapters/storage/sqlite-call-store';
import { ConfigError, loadConfig } from '../config';

// `npm run reports:rebuild [-- --from YYYY-MM-DD]`: recompute the roll-ups from the raw event log.
// Idempotent. UTC days before `--from` (default: RETENTION_DAYS ago, the oldest day whose calls are
// all still stored) are kept as they are: their calls may be purged already. Starting the stores
// applies any pending `reports` migration first (v2 turns old hourly roll-ups into quarter hours).

function fromArgument(argv: readonly string[], retentionDays: number): string {
  const i = argv.indexOf('--from');
  if (i >= 0) {
    const value = argv[i + 1] ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new ConfigError([`--from must be a date YYYY-MM-DD (got ${JSON.stringify(value)})`]);
    }
    return `${value}T00:00:00.000Z`;
  }
  const ms = Date.now() - retentionDays * 86_400_000;
  return new Date(Math.ceil(ms / 86_400_000) * 86_400_000).toISOString();
}

async function main(): Promise<void> {
  const config = loadConfig();
  const from = fromArgument(process.argv.slice(2), config.calls.retentionDays);
  let calls: CallStore & { pool?: unknown };
  let reports: ReportStore;
  if (config.storage.kind === 'postgres') {
    // The same schema as the server's (`DATABASE_SCHEMA`), or the rebuild migrates and fills
    // tables in the search path's default instead.
    const { url, schema } = config.storage;
    const store = new PostgresCallStore(url, { schema });
    calls = store;
    reports = new PostgresReportStore(store.pool, { schema });
  } else {
    calls = new SqliteCallStore(config.storage.file);
    reports = new SqliteReportStore(config.storage.file);
  }
  try {
    await calls.migrate();
    await reports.migrate();
    let events = 0;
    for (;;) {
      const step = await reports.rollUp(new Date().toISOString(), 10_000);
      events += step.events;
      if (step.events < 10_000) break;
    }
    const { days } = await reports.rebuild(from);
    process.stdout.write(
      `Reports rebuilt from ${from}: ${days} day(s) of roll-ups (${events} new event(s) followed first).\n`,
    );
  } finally {
    await reports.close();
    await calls.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `reports:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
