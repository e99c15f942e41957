import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  SQLITE_REPORT_MIGRATIONS,
  SqliteReportStore,
} from '../../bot/src/adapters/reports/sqlite-report-store';
import { runSqliteMigrations } from '../../bot/src/adapters/storage/migrations';
import { SqliteCallStore } from '../../bot/src/adapters/storage/sqlite-call-store';
import { hourlyRollUpMigrationContract, reportStoreContract } from './report-store.contract';

const dir = mkdtempSync(path.join(tmpdir(), 'otc-sqlite-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

reportStoreContract('SqliteReportStore', async () => {
  files += 1;
  const file = path.join(dir, `reports-${files}.sqlite`);
  const calls = new SqliteCallStore(file);
  await calls.migrate();
  const reports = new SqliteReportStore(file);
  await reports.migrate();
  return {
    calls,
    reports,
    cleanup: async () => {
      await reports.close();
      await calls.close();
    },
  };
});

hourlyRollUpMigrationContract('SqliteReportStore', async () => {
  files += 1;
  const file = path.join(dir, `reports-${files}.sqlite`);
  const calls = new SqliteCallStore(file);
  await calls.migrate();
  const db = new Database(file);
  runSqliteMigrations(db, 'reports', SQLITE_REPORT_MIGRATIONS.slice(0, 1));
  return {
    insertHourly: (rows) => {
      for (const r of rows) {
        const columns = Object.keys(r.counts).map((k) =>
          k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        );
        db.prepare(
          `INSERT INTO report_hourly (scope_key, hour, ${[...columns, 'wait', 'length'].join(', ')})
           VALUES (?, ?, ${[...columns, 'wait', 'length'].map(() => '?').join(', ')})`,
        ).run(
          r.scopeKey,
          r.hour,
          ...Object.values(r.counts),
          JSON.stringify(r.wait),
          JSON.stringify(r.length),
        );
      }
      return Promise.resolve();
    },
    open: () => Promise.resolve(new SqliteReportStore(file)),
    cleanup: async () => {
      db.close();
      await calls.close();
    },
  };
});
