import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  runPostgresMigrations,
  runSqliteMigrations,
  type Migration,
} from '../../bot/src/adapters/storage/migrations';
import { createPostgresPool } from '../../bot/src/adapters/storage/postgres-pool';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

// The helper other adapters reuse for their own tables: steps are numbered per namespace.

const OUTBOX: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox',
    sql: 'CREATE TABLE outbox (id INTEGER PRIMARY KEY, body TEXT NOT NULL);',
  },
  { version: 2, name: 'outbox sent_at', sql: 'ALTER TABLE outbox ADD COLUMN sent_at TEXT;' },
];
const CONVERSATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conversations',
    sql: 'CREATE TABLE conversation_refs (user_id TEXT PRIMARY KEY);',
  },
];
const BROKEN: readonly Migration[] = [
  { version: 1, name: 'good', sql: 'CREATE TABLE good_table (id INTEGER);' },
  { version: 2, name: 'bad', sql: 'CREATE TABLE (' },
];

describe('runSqliteMigrations', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otc-migrations-'));
    db = new Database(path.join(dir, 'm.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ledger = () =>
    db.prepare('SELECT namespace, version FROM schema_migrations ORDER BY 1, 2').all();

  it('applies each namespace’s missing steps once, independently of other namespaces', () => {
    expect(runSqliteMigrations(db, 'outbox', OUTBOX.slice(0, 1))).toBe(1);
    expect(runSqliteMigrations(db, 'conversations', CONVERSATIONS)).toBe(1);
    expect(runSqliteMigrations(db, 'outbox', OUTBOX)).toBe(1);
    expect(runSqliteMigrations(db, 'outbox', OUTBOX)).toBe(0);

    expect(ledger()).toEqual([
      { namespace: 'conversations', version: 1 },
      { namespace: 'outbox', version: 1 },
      { namespace: 'outbox', version: 2 },
    ]);
    db.prepare('INSERT INTO outbox (id, body, sent_at) VALUES (1, ?, NULL)').run('x');
  });

  it('rolls the whole run back when a step fails', () => {
    expect(() => runSqliteMigrations(db, 'broken', BROKEN)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'good_table'").all()).toEqual(
      [],
    );
    expect(runSqliteMigrations(db, 'outbox', OUTBOX.slice(0, 1))).toBe(1);
    expect(ledger()).toEqual([{ namespace: 'outbox', version: 1 }]);
  });

  it('refuses steps that are not numbered 1, 2, 3 …', () => {
    const gap = [OUTBOX[0]!, { ...OUTBOX[1]!, version: 3 }];
    expect(() => runSqliteMigrations(db, 'outbox', gap)).toThrow(
      expect.objectContaining({ name: 'AppError', code: 'internal' }) as Error,
    );
  });
});

describePostgres('runPostgresMigrations', () => {
  let schema: string;
  beforeEach(() => {
    schema = aSchemaName();
  });
  afterEach(() => dropSchema(schema));

  it('creates the schema and applies each step once, even from three pools at once', async () => {
    const pools = [1, 2, 3].map(() => createPostgresPool(TEST_DATABASE_URL, { schema, max: 2 }));
    try {
      const applied = await Promise.all(
        pools.map((pool) => runPostgresMigrations(pool, 'outbox', OUTBOX, { schema })),
      );
      expect(applied.reduce((a, b) => a + b, 0)).toBe(2);
      await expect(
        runPostgresMigrations(pools[0]!, 'conversations', CONVERSATIONS, { schema }),
      ).resolves.toBe(1);
      const { rows } = await pools[0]!.query(
        'SELECT namespace, version FROM schema_migrations ORDER BY 1, 2',
      );
      expect(rows).toEqual([
        { namespace: 'conversations', version: 1 },
        { namespace: 'outbox', version: 1 },
        { namespace: 'outbox', version: 2 },
      ]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('rolls the whole run back when a step fails', async () => {
    const pool = createPostgresPool(TEST_DATABASE_URL, { schema });
    try {
      await expect(runPostgresMigrations(pool, 'broken', BROKEN, { schema })).rejects.toThrow();
      await runPostgresMigrations(pool, 'outbox', OUTBOX.slice(0, 1), { schema });
      const { rows } = await pool.query("SELECT to_regclass('good_table') AS t");
      expect(rows).toEqual([{ t: null }]);
    } finally {
      await pool.end();
    }
  });
});
