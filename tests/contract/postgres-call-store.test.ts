import type { CallStore } from '@shared';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { callStoreContract } from './call-store.contract';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

describePostgres('PostgresCallStore', () => {
  callStoreContract('PostgresCallStore', async () => {
    const schema = aSchemaName();
    const store = new PostgresCallStore(TEST_DATABASE_URL, { schema });
    await store.migrate();
    const opened: CallStore[] = [store];
    return {
      store,
      connect: () => {
        const other = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 5 });
        opened.push(other);
        return Promise.resolve(other);
      },
      cleanup: async () => {
        await Promise.all(opened.map((s) => s.close()));
        await dropSchema(schema);
      },
    };
  });
});
