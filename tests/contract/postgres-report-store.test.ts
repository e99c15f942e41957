import {
  POSTGRES_REPORT_MIGRATIONS,
  PostgresReportStore,
} from '../../bot/src/adapters/reports/postgres-report-store';
import { runPostgresMigrations } from '../../bot/src/adapters/storage/migrations';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { createPostgresPool } from '../../bot/src/adapters/storage/postgres-pool';
import { hourlyRollUpMigrationContract, reportStoreContract } from './report-store.contract';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

describePostgres('PostgresReportStore', () => {
  reportStoreContract('PostgresReportStore', async () => {
    const schema = aSchemaName();
    const calls = new PostgresCallStore(TEST_DATABASE_URL, { schema });
    await calls.migrate();
    const reports = new PostgresReportStore(TEST_DATABASE_URL, { schema, max: 3 });
    await reports.migrate();
    return {
      calls,
      reports,
      cleanup: async () => {
        await reports.close();
        await calls.close();
        await dropSchema(schema);
      },
    };
  });

  hourlyRollUpMigrationContract('PostgresReportStore', async () => {
    const schema = aSchemaName();
    const calls = new PostgresCallStore(TEST_DATABASE_URL, { schema });
    await calls.migrate();
    const pool = createPostgresPool(TEST_DATABASE_URL, { schema, max: 1 });
    await runPostgresMigrations(pool, 'reports', POSTGRES_REPORT_MIGRATIONS.slice(0, 1), {
      schema,
    });
    const opened: PostgresReportStore[] = [];
    return {
      insertHourly: async (rows) => {
        for (const r of rows) {
          const columns = Object.keys(r.counts).map((k) =>
            k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
          );
          const all = ['scope_key', 'hour', ...columns, 'wait', 'length'];
          await pool.query(
            `INSERT INTO report_hourly (${all.join(', ')}) VALUES (${all.map((_, i) => `$${i + 1}`).join(', ')})`,
            [r.scopeKey, r.hour, ...Object.values(r.counts), r.wait, r.length],
          );
        }
      },
      open: () => {
        const store = new PostgresReportStore(TEST_DATABASE_URL, { schema, max: 2 });
        opened.push(store);
        return Promise.resolve(store);
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        await pool.end();
        await calls.close();
        await dropSchema(schema);
      },
    };
  });
});
