import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { AppError } from '@shared';

/**
 * One step of a schema. Versions are numbered per namespace (`calls`, `conversations`, `outbox` …),
 * grow by one, and are never edited once released: add a new step instead.
 */
export type Migration = {
  readonly version: number;
  /** A short description, stored with the version. */
  readonly name: string;
  /** One or more SQL statements, run in the migration's transaction. */
  readonly sql: string;
};

const SQLITE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  namespace TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (namespace, version)
)`;

const POSTGRES_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  namespace TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, version)
)`;

/** Key of the advisory lock that serialises migrations of every namespace (ASCII "OTCM"). */
const MIGRATION_LOCK_KEY = '5716267825031544832'; // 0x4F54434D << 32

function checkOrder(namespace: string, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new AppError(
        'internal',
        `Migrations of ${namespace} must be numbered 1, 2, 3 … (found ${m.version} at position ${i + 1})`,
      );
    }
  });
}

/**
 * Applies the missing `migrations` of `namespace` to a SQLite database, all in one `BEGIN IMMEDIATE`
 * transaction: a second process that migrates at the same time waits (busy timeout) and then finds
 * nothing left to do. Returns how many steps it applied.
 */
export function runSqliteMigrations(
  db: Database.Database,
  namespace: string,
  migrations: readonly Migration[],
): number {
  checkOrder(namespace, migrations);
  const apply = db.transaction(() => {
    db.exec(SQLITE_LEDGER);
    const row = db
      .prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations WHERE namespace = ?')
      .get(namespace) as { v: number };
    const pending = migrations.filter((m) => m.version > row.v);
    const record = db.prepare(
      'INSERT INTO schema_migrations (namespace, version, name, applied_at) VALUES (?, ?, ?, ?)',
    );
    for (const m of pending) {
      db.exec(m.sql);
      record.run(namespace, m.version, m.name, new Date().toISOString());
    }
    return pending.length;
  });
  return apply.immediate();
}

/**
 * Applies the missing `migrations` of `namespace` through `pool` (whose connections' `search_path`
 * names the target schema) in one transaction under a transaction-level advisory lock, so instances
 * starting together migrate one after the other. Creates `schema` first when given. Returns how
 * many steps it applied.
 */
export async function runPostgresMigrations(
  pool: Pool,
  namespace: string,
  migrations: readonly Migration[],
  options: { readonly schema?: string | undefined } = {},
): Promise<number> {
  checkOrder(namespace, migrations);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    if (options.schema)
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    await client.query(POSTGRES_LEDGER);
    const { rows } = await client.query<{ v: number }>(
      'SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations WHERE namespace = $1',
      [namespace],
    );
    const pending = migrations.filter((m) => m.version > (rows[0]?.v ?? 0));
    for (const m of pending) {
      await client.query(m.sql);
      await client.query(
        'INSERT INTO schema_migrations (namespace, version, name) VALUES ($1, $2, $3)',
        [namespace, m.version, m.name],
      );
    }
    await client.query('COMMIT');
    return pending.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Lower-case SQL identifiers only: they go into statements unquoted by the driver. */
export const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema or table name as a quoted identifier; refuses anything but {@link SQL_IDENTIFIER}. */
export function quoteIdent(name: string): string {
  if (!SQL_IDENTIFIER.test(name)) {
    throw new AppError('invalid-input', `Not a plain SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}
