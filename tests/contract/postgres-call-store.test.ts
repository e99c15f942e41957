import type { CallStore } from '@shared';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { aCall, aClaim, aCreatedEvent } from '../fixtures/calls';
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

describePostgres('PostgresCallStore prepared statements', () => {
  it('keeps creating and claiming on its connections after a migration adds a column', async () => {
    const schema = aSchemaName();
    // One connection: the statements it prepared are the ones used after the change.
    const store = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 1 });
    try {
      await store.migrate();
      const first = aCall();
      await store.insert(first, aCreatedEvent());
      await expect(store.transition(aClaim(first))).resolves.toMatchObject({ ok: true });

      // What a newer instance's migration may do while this one runs.
      await store.pool.query('ALTER TABLE calls ADD COLUMN added_later TEXT');

      const second = aCall();
      await expect(store.insert(second, aCreatedEvent())).resolves.toMatchObject({
        callId: second.id,
      });
      await expect(store.transition(aClaim(second))).resolves.toMatchObject({
        ok: true,
        call: { id: second.id, state: 'waiting' },
      });
    } finally {
      await store.close();
      await dropSchema(schema);
    }
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
