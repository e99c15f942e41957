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

describe('PostgresCallStore without a database', () => {
  it('reports an unreachable server as upstream-unavailable, and ping as false', async () => {
    const store = new PostgresCallStore('postgres://postgres@127.0.0.1:1/none');
    try {
      const unavailable = { name: 'AppError', code: 'upstream-unavailable' };
      await expect(store.migrate()).rejects.toMatchObject(unavailable);
      await expect(store.get('x')).rejects.toMatchObject(unavailable);
      await expect(store.eventsSince(0, 10)).rejects.toMatchObject(unavailable);
      await expect(store.ping()).resolves.toBe(false);
      const error = await store.get('x').catch((e: unknown) => e);
      expect((error as Error).cause).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(
      () => new PostgresCallStore('postgres://x@127.0.0.1/x', { schema: 'a; DROP TABLE calls' }),
    ).toThrow(expect.objectContaining({ code: 'invalid-input' }) as Error);
  });
});
