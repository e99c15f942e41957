import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { callColumns } from '../../bot/src/adapters/storage/call-columns';
import { runSqliteMigrations } from '../../bot/src/adapters/storage/migrations';
import {
  SQLITE_CALL_MIGRATIONS,
  SqliteCallStore,
} from '../../bot/src/adapters/storage/sqlite-call-store';
import { aCall, aCreatedEvent, at, sha256Hex } from '../fixtures/calls';
import { callStoreContract } from './call-store.contract';

const dir = mkdtempSync(path.join(tmpdir(), 'otc-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

callStoreContract('SqliteCallStore', async () => {
  files += 1;
  const file = path.join(dir, `calls-${files}.sqlite`);
  const store = new SqliteCallStore(file);
  await store.migrate();
  return {
    store,
    connect: () => Promise.resolve(new SqliteCallStore(file)),
    cleanup: () => store.close(),
  };
});

type Racer = {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<string>;
};

/** Starts a racer process on `file`; it waits for "go" before it acts. */
function startRacer(args: readonly string[]): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', RACER, ...args], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ready = new Promise<void>((resolve) =>
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) resolve();
    }),
  );
  const done = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(out.slice('ready\n'.length).trim())
        : reject(new Error(`racer failed: ${err}`)),
    ),
  );
  return { child, ready, done };
}

async function race(racers: readonly Racer[]): Promise<string[]> {
  await Promise.all(racers.map((r) => r.ready));
  for (const r of racers) r.child.stdin?.write('go\n');
  return Promise.all(racers.map((r) => r.done));
}

const RACER = path.join(__dirname, 'support', 'sqlite-claim-racer.ts');

describe('SqliteCallStore across processes on one file', () => {
  jest.setTimeout(60_000);

  it('of 50 claims from five processes, exactly one wins and one claimed event is logged', async () => {
    const file = path.join(dir, 'processes-claim.sqlite');
    const store = new SqliteCallStore(file);
    await store.migrate();
    const call = aCall();
    await store.insert(call, aCreatedEvent());

    const outputs = await race(
      Array.from({ length: 5 }, (_, p) =>
        startRacer(['claim', file, call.id, String(p * 10), '10']),
      ),
    );

    const won = outputs.flatMap((o) => (JSON.parse(o) as { won: number[] }).won);
    expect(won).toHaveLength(1);
    const events = await store.events(call.id);
    expect(events.filter((e) => e.type === 'claimed')).toHaveLength(1);
    await expect(store.get(call.id)).resolves.toMatchObject({
      state: 'waiting',
      claimTokenHash: sha256Hex(`browser-${won[0]}`),
    });
    await store.close();
  });

  it('migrates a new file from three processes at once, applying each step once', async () => {
    const file = path.join(dir, 'processes-migrate.sqlite');

    const outputs = await race(Array.from({ length: 3 }, () => startRacer(['migrate', file])));

    expect(outputs.map((o) => JSON.parse(o) as unknown)).toEqual(Array(3).fill({ migrated: true }));
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT namespace, version FROM schema_migrations').all()).toEqual(
      SQLITE_CALL_MIGRATIONS.map((m) => ({ namespace: 'calls', version: m.version })),
    );
    db.close();
  });
});

describe('SqliteCallStore file', () => {
  it('creates its folder and opens the file in WAL mode', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'calls.sqlite');
    const store = new SqliteCallStore(file);
    await store.migrate();
    await store.close();

    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(existsSync(file)).toBe(true);
  });

  it('leaves no orphaned events in the file after a purge', async () => {
    const file = path.join(dir, 'purge.sqlite');
    const store = new SqliteCallStore(file);
    await store.migrate();
    const call = aCall({ state: 'ended' });
    await store.insert(call, aCreatedEvent());
    await expect(store.purge('2100-01-01T00:00:00.000Z')).resolves.toBe(1);
    await store.close();

    const db = new Database(file);
    expect(db.prepare('SELECT count(*) AS n FROM call_events').get()).toEqual({ n: 0 });
    db.close();
  });

  it('indexes the Teams meetings of calls stored before the meeting index', async () => {
    const file = path.join(dir, 'upgrade.sqlite');
    const thread = '19:meeting_dXBncmFkZQ@thread.v2';
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0`;
    const call = aCall({ meeting: { provider: 'teams', meetingId: 'event-1', joinUrl } });
    // A file as the first release left it: schema step 1 only, the call written by its columns.
    const old = new Database(file);
    runSqliteMigrations(old, 'calls', SQLITE_CALL_MIGRATIONS.slice(0, 1));
    const columns = callColumns(call).filter(
      ([c]) => !c.startsWith('meeting_') && c !== 'lobby_extended_at',
    );
    old
      .prepare(
        `INSERT INTO calls (${columns.map(([c]) => c).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      .run(...columns.map(([, v]) => v));
    old.close();

    const store = new SqliteCallStore(file);
    await store.migrate();
    await expect(store.findByMeeting({ threadId: thread })).resolves.toMatchObject({ id: call.id });
    await expect(store.findByMeeting({ joinUrl })).resolves.toMatchObject({ id: call.id });
    await store.close();
  });

  it('keeps calls and their events through the rebuild that allows timed_out', async () => {
    const file = path.join(dir, 'timed-out.sqlite');
    const call = aCall({ state: 'waiting', claimedAt: at(5) });
    // A file of the release before: schema steps 1 and 2, a waiting call with its log.
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    runSqliteMigrations(old, 'calls', SQLITE_CALL_MIGRATIONS.slice(0, 2));
    const columns = callColumns(call).filter(([c]) => c !== 'lobby_extended_at');
    old
      .prepare(
        `INSERT INTO calls (${columns.map(([c]) => c).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      .run(...columns.map(([, v]) => v));
    old
      .prepare(
        `INSERT INTO call_events (call_id, type, at, actor, to_state) VALUES (?, 'claimed', ?, '{"kind":"customer"}', 'waiting')`,
      )
      .run(call.id, at(5));
    old.close();

    const store = new SqliteCallStore(file);
    await store.migrate();
    await expect(store.events(call.id)).resolves.toHaveLength(1);
    const moved = await store.transition({
      id: call.id,
      expected: ['waiting'],
      to: 'timed_out',
      patch: {},
      event: {
        type: 'timed-out',
        at: at(30),
        actor: { kind: 'system' },
        fromState: 'waiting',
        toState: 'timed_out',
      },
      at: at(30),
    });
    expect(moved).toMatchObject({ ok: true, call: { state: 'timed_out' } });
    await expect(store.get(call.id)).resolves.toMatchObject({ state: 'timed_out' });
    await expect(store.events(call.id)).resolves.toHaveLength(2);
    await store.close();
  });

  it('reports a closed store as unavailable', async () => {
    const store = new SqliteCallStore(path.join(dir, 'closed.sqlite'));
    await store.migrate();
    await store.close();
    await expect(store.get('x')).rejects.toMatchObject({
      name: 'AppError',
      code: 'upstream-unavailable',
    });
  });
});
