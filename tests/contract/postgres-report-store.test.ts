import { PostgresReportStore } from '../../bot/src/adapters/reports/postgres-report-store';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { reportStoreContract } from './report-store.contract';
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
});
