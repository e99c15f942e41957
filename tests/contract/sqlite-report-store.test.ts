import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteReportStore } from '../../bot/src/adapters/reports/sqlite-report-store';
import { SqliteCallStore } from '../../bot/src/adapters/storage/sqlite-call-store';
import { reportStoreContract } from './report-store.contract';

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
