import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryOutbox } from '../../bot/src/adapters/outbox/in-memory-outbox';
import { PostgresOutbox, SqliteOutbox } from '../../bot/src/adapters/outbox/sql-outbox';
import { outboxContract } from './outbox.contract';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

const dir = mkdtempSync(path.join(tmpdir(), 'otc-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

outboxContract('InMemoryOutbox', () => {
  // One object is "the database": a second handle is the same object.
  const outbox = new InMemoryOutbox();
  return Promise.resolve({
    outbox,
    connect: () => Promise.resolve(outbox),
    cleanup: () => Promise.resolve(),
  });
});

outboxContract('SqliteOutbox', async () => {
  const file = path.join(dir, `outbox-${(files += 1)}.sqlite`);
  const opened = [new SqliteOutbox(file)];
  await opened[0]!.migrate();
  return {
    outbox: opened[0]!,
    connect: () => {
      opened.push(new SqliteOutbox(file));
      return Promise.resolve(opened[opened.length - 1]!);
    },
    cleanup: async () => {
      await Promise.all(opened.map((o) => o.close()));
    },
  };
});

describePostgres('PostgreSQL outbox', () => {
  outboxContract('PostgresOutbox', async () => {
    const schema = aSchemaName();
    const opened = [new PostgresOutbox(TEST_DATABASE_URL, { schema })];
    await opened[0]!.migrate();
    return {
      outbox: opened[0]!,
      connect: () => {
        opened.push(new PostgresOutbox(TEST_DATABASE_URL, { schema }));
        return Promise.resolve(opened[opened.length - 1]!);
      },
      cleanup: async () => {
        await Promise.all(opened.map((o) => o.close()));
        await dropSchema(schema);
      },
    };
  });
});
