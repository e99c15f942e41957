import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryMeetingSyncOutbox } from '../../bot/src/adapters/meeting-sync/in-memory-meeting-sync-outbox';
import { PostgresMeetingSyncOutbox } from '../../bot/src/adapters/meeting-sync/postgres-meeting-sync-outbox';
import { SqliteMeetingSyncOutbox } from '../../bot/src/adapters/meeting-sync/sqlite-meeting-sync-outbox';
import { meetingSyncOutboxContract } from './meeting-sync-outbox.contract';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

const dir = mkdtempSync(path.join(tmpdir(), 'otc-meeting-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

meetingSyncOutboxContract('InMemoryMeetingSyncOutbox', () => {
  const outbox = new InMemoryMeetingSyncOutbox();
  return Promise.resolve({
    outbox,
    connect: () => Promise.resolve(outbox),
    cleanup: () => Promise.resolve(),
  });
});

meetingSyncOutboxContract('SqliteMeetingSyncOutbox', async () => {
  const file = path.join(dir, `sync-${(files += 1)}.sqlite`);
  const outbox = new SqliteMeetingSyncOutbox(file);
  await outbox.migrate();
  const opened = [outbox];
  return {
    outbox,
    connect: () => {
      const other = new SqliteMeetingSyncOutbox(file);
      opened.push(other);
      return Promise.resolve(other);
    },
    cleanup: async () => {
      await Promise.all(opened.map((o) => o.close()));
    },
  };
});

describePostgres('PostgreSQL meeting-sync outbox', () => {
  meetingSyncOutboxContract('PostgresMeetingSyncOutbox', async () => {
    const schema = aSchemaName();
    const outbox = new PostgresMeetingSyncOutbox(TEST_DATABASE_URL, { schema });
    await outbox.migrate();
    const opened = [outbox];
    return {
      outbox,
      connect: () => {
        const other = new PostgresMeetingSyncOutbox(TEST_DATABASE_URL, { schema });
        opened.push(other);
        return Promise.resolve(other);
      },
      cleanup: async () => {
        await Promise.all(opened.map((o) => o.close()));
        await dropSchema(schema);
      },
    };
  });
});
