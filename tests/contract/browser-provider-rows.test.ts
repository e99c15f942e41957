import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { SqliteCallStore } from '../../bot/src/adapters/storage/sqlite-call-store';
import { aCall, aCreatedEvent } from '../fixtures/calls';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

// Rows stored before the `browser` provider replaced `local` read as `browser` in both stores.

const OLD_MEETING = JSON.stringify({ provider: 'local', meetingId: 'room-old' });

describe('SqliteCallStore reading a call stored with the old "local" provider', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otc-local-rows-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads it as "browser" in get, getByCodeHash and list', async () => {
    const file = path.join(dir, 'calls.sqlite');
    const store = new SqliteCallStore(file);
    await store.migrate();
    const call = aCall();
    await store.insert(call, aCreatedEvent());
    const raw = new Database(file);
    raw.prepare('UPDATE calls SET meeting = ? WHERE id = ?').run(OLD_MEETING, call.id);
    raw.close();
    try {
      expect((await store.get(call.id))?.meeting).toEqual({
        provider: 'browser',
        meetingId: 'room-old',
      });
      expect((await store.getByCodeHash(call.codeHash))?.meeting.provider).toBe('browser');
      expect((await store.list({ agentId: call.agent.id }))[0]?.meeting.provider).toBe('browser');
    } finally {
      await store.close();
    }
  });
});

describePostgres('PostgresCallStore reading a call stored with the old "local" provider', () => {
  it('reads it as "browser"', async () => {
    const schema = aSchemaName();
    const store = new PostgresCallStore(TEST_DATABASE_URL, { schema });
    try {
      await store.migrate();
      const call = aCall();
      await store.insert(call, aCreatedEvent());
      await store.pool.query('UPDATE calls SET meeting = $1::jsonb WHERE id = $2', [
        OLD_MEETING,
        call.id,
      ]);
      expect((await store.get(call.id))?.meeting).toEqual({
        provider: 'browser',
        meetingId: 'room-old',
      });
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
