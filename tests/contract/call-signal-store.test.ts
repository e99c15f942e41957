import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallSignalStore } from '@shared';
import { PostgresCallSignalStore } from '../../bot/src/adapters/storage/postgres-call-signal-store';
import { SqliteCallSignalStore } from '../../bot/src/adapters/storage/sqlite-call-signal-store';
import { InMemoryCallSignalStore } from '../../bot/src/adapters/system/in-memory-call-signal-store';
import { callSignalStoreContract } from './call-signal-store.contract';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

callSignalStoreContract('InMemoryCallSignalStore', () => {
  const store = new InMemoryCallSignalStore();
  return Promise.resolve({
    store,
    connect: () => Promise.resolve(store),
    cleanup: () => store.close(),
  });
});

const dir = mkdtempSync(path.join(tmpdir(), 'otc-signal-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

callSignalStoreContract('SqliteCallSignalStore', async () => {
  files += 1;
  const file = path.join(dir, `signals-${files}.sqlite`);
  const store = new SqliteCallSignalStore(file);
  await store.migrate();
  const opened: CallSignalStore[] = [store];
  return {
    store,
    connect: () => {
      const other = new SqliteCallSignalStore(file);
      opened.push(other);
      return Promise.resolve(other);
    },
    cleanup: async () => {
      await Promise.all(opened.map((s) => s.close()));
    },
  };
});

describePostgres('PostgresCallSignalStore', () => {
  callSignalStoreContract('PostgresCallSignalStore', async () => {
    const schema = aSchemaName();
    const store = new PostgresCallSignalStore(TEST_DATABASE_URL, { schema });
    await store.migrate();
    const opened: CallSignalStore[] = [store];
    return {
      store,
      connect: () => {
        const other = new PostgresCallSignalStore(TEST_DATABASE_URL, { schema });
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
