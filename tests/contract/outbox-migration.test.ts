import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asAadObjectId, type MeetingSyncOutbox, type NotificationOutbox } from '@shared';
import {
  POSTGRES_OUTBOX_MIGRATIONS,
  PostgresNotificationOutbox,
} from '../../bot/src/adapters/conversations/postgres-notification-outbox';
import {
  SQLITE_OUTBOX_MIGRATIONS,
  SqliteNotificationOutbox,
} from '../../bot/src/adapters/conversations/sqlite-notification-outbox';
import {
  POSTGRES_MEETING_SYNC_MIGRATIONS,
  PostgresMeetingSyncOutbox,
} from '../../bot/src/adapters/meeting-sync/postgres-meeting-sync-outbox';
import {
  SQLITE_MEETING_SYNC_MIGRATIONS,
  SqliteMeetingSyncOutbox,
} from '../../bot/src/adapters/meeting-sync/sqlite-meeting-sync-outbox';
import {
  PostgresRunner,
  SqliteRunner,
  type SqlRunner,
} from '../../bot/src/adapters/outbox/sql-runner';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

// Rows stored by the versions before the shared outbox (bot_outbox, meeting_sync and their
// cursors) move into it with the first start of this version, and nothing of them is lost.

const T = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds)).toISOString();
const alice = asAadObjectId('aad-alice');

/** A database as the earlier version left it: migrated that far, with entries in every state. */
async function seedEarlierVersion(
  db: SqlRunner,
  lobby: typeof SQLITE_OUTBOX_MIGRATIONS,
  meeting: typeof SQLITE_MEETING_SYNC_MIGRATIONS,
): Promise<void> {
  await db.migrate('outbox', lobby.slice(0, 2));
  await db.migrate('meeting-sync', meeting.slice(0, 1));
  const lobbyRow = `INSERT INTO bot_outbox (id, call_id, agent_id, seq, kind, target, status, attempts,
    due_at, lease_until, last_error, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;
  // Held by an instance until T(30), after a 429.
  await db.run(lobbyRow, [
    'call-1:2:card:personal',
    'call-1',
    alice,
    2,
    'card',
    `personal:${alice}`,
    'pending',
    1,
    T(5),
    T(30),
    'http-429',
    T(0),
    T(1),
  ]);
  await db.run(lobbyRow, [
    'call-1:3:update',
    'call-1',
    alice,
    3,
    'update',
    null,
    'sent',
    0,
    T(0),
    null,
    null,
    T(0),
    T(2),
  ]);
  await db.run(lobbyRow, [
    'call-2:2:escalation:team',
    'call-2',
    alice,
    2,
    'escalation',
    'team:team-1',
    'failed',
    6,
    T(0),
    null,
    'http-403',
    T(0),
    T(3),
  ]);
  await db.run(`INSERT INTO bot_outbox_cursors (name, seq) VALUES ('lobby-cards', 17)`, []);
  await db.run(
    `INSERT INTO bot_sent_cards (call_id, conversation_id, activity_id, ref, sent_at, entry_id)
     VALUES ('call-1', 'a:1', 'act-1', $1, $2, 'call-1:2:card:personal')`,
    [JSON.stringify({ conversationId: 'a:1', updatedAt: T(0), address: {} }), T(1)],
  );
  const stepRow = `INSERT INTO meeting_sync (id, call_id, seq, step, status, attempts, due_at,
    lease_until, last_error, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10)`;
  await db.run(stepRow, [
    'call-1:4:admit',
    'call-1',
    4,
    'admit',
    'pending',
    2,
    T(9),
    'upstream-unavailable',
    T(0),
    T(4),
  ]);
  await db.run(stepRow, [
    'call-1:5:close',
    'call-1',
    5,
    'close',
    'done',
    0,
    T(0),
    null,
    T(0),
    T(5),
  ]);
  await db.run(`INSERT INTO meeting_sync_cursors (name, seq) VALUES ('meeting-sync', 12)`, []);
}

/** What the earlier rows must look like through this version's outboxes. */
async function expectMoved(lobby: NotificationOutbox, steps: MeetingSyncOutbox): Promise<void> {
  expect(await lobby.get('call-1:2:card:personal')).toEqual({
    id: 'call-1:2:card:personal',
    callId: 'call-1',
    agentId: alice,
    seq: 2,
    kind: 'card',
    target: { kind: 'personal', agentId: alice },
    status: 'pending',
    attempts: 1,
    dueAt: T(5),
    lastError: 'http-429',
    createdAt: T(0),
    updatedAt: T(1),
  });
  expect(await lobby.get('call-1:3:update')).toMatchObject({ status: 'sent', kind: 'update' });
  expect((await lobby.get('call-1:3:update'))?.target).toBeUndefined();
  expect(await lobby.failures(alice, 10)).toEqual([
    expect.objectContaining({
      id: 'call-2:2:escalation:team',
      target: { kind: 'team', teamId: 'team-1' },
      attempts: 6,
      lastError: 'http-403',
    }),
  ]);
  expect(await lobby.cursor('lobby-cards')).toBe(17);
  expect(await lobby.sentCards('call-1')).toEqual([
    expect.objectContaining({ messageId: 'act-1', entryId: 'call-1:2:card:personal' }),
  ]);
  // The lease moved with the entry: not before T(30).
  expect(await lobby.lease(T(10), T(40), 10)).toEqual([]);
  expect((await lobby.lease(T(30), T(60), 10)).map((e) => e.id)).toEqual([
    'call-1:2:card:personal',
  ]);

  expect(await steps.get('call-1:4:admit')).toMatchObject({
    callId: 'call-1',
    seq: 4,
    step: 'admit',
    status: 'pending',
    attempts: 2,
    dueAt: T(9),
    lastError: 'upstream-unavailable',
  });
  expect(await steps.get('call-1:5:close')).toMatchObject({ status: 'done', updatedAt: T(5) });
  expect(await steps.cursor('meeting-sync')).toBe(12);
  expect((await steps.lease(T(9), T(39), 10)).map((e) => e.id)).toEqual(['call-1:4:admit']);
}

describe('SQLite: the earlier outboxes move into the shared one', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otc-outbox-move-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every entry, lease and cursor, drops the old tables, and does it once', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const earlier = new SqliteRunner(file);
    await seedEarlierVersion(earlier, SQLITE_OUTBOX_MIGRATIONS, SQLITE_MEETING_SYNC_MIGRATIONS);
    await earlier.close();

    const lobby = new SqliteNotificationOutbox(file);
    const steps = new SqliteMeetingSyncOutbox(file);
    await lobby.migrate();
    await steps.migrate();
    await expectMoved(lobby, steps);
    // A restart migrates again: nothing moves twice.
    await lobby.migrate();
    await steps.migrate();
    expect(await lobby.get('call-1:3:update')).toBeDefined();

    const check = new SqliteRunner(file);
    const tables = await check.all<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
      [],
    );
    expect(tables.map((t) => t.name)).toEqual([
      'bot_sent_cards',
      'outbox_cursors',
      'outbox_jobs',
      'schema_migrations',
    ]);
    await Promise.all([check.close(), lobby.close(), steps.close()]);
  });
});

describePostgres('PostgreSQL: the earlier outboxes move into the shared one', () => {
  let schema: string;
  beforeEach(() => {
    schema = aSchemaName();
  });
  afterEach(() => dropSchema(schema));

  it('keeps every entry, lease and cursor, drops the old tables, with two instances starting', async () => {
    const earlier = new PostgresRunner(TEST_DATABASE_URL, { schema });
    await seedEarlierVersion(earlier, POSTGRES_OUTBOX_MIGRATIONS, POSTGRES_MEETING_SYNC_MIGRATIONS);
    await earlier.close();

    const instances = [1, 2].map(() => ({
      lobby: new PostgresNotificationOutbox(TEST_DATABASE_URL, { schema }),
      steps: new PostgresMeetingSyncOutbox(TEST_DATABASE_URL, { schema }),
    }));
    try {
      await Promise.all(instances.flatMap((i) => [i.lobby.migrate(), i.steps.migrate()]));
      await expectMoved(instances[1]!.lobby, instances[0]!.steps);
      const check = new PostgresRunner(TEST_DATABASE_URL, { schema });
      const tables = await check.all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1
         ORDER BY table_name`,
        [schema],
      );
      await check.close();
      expect(tables.map((t) => t.name)).toEqual([
        'bot_sent_cards',
        'outbox_cursors',
        'outbox_jobs',
        'schema_migrations',
      ]);
    } finally {
      await Promise.all(instances.flatMap((i) => [i.lobby.close(), i.steps.close()]));
    }
  });
});
