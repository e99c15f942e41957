import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import {
  postgresSource,
  type PostgresBotStoreOptions,
} from '../conversations/postgres-conversation-store';
import { openSqlite } from '../conversations/sqlite-conversation-store';
import { runPostgresMigrations, runSqliteMigrations, type Migration } from '../storage/migrations';
import { GroupCommit } from '../storage/sqlite-group-commit';

/** The two databases the outbox runs on; the SQL differs only where this says. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * One database connection (SQLite) or pool (PostgreSQL) as the outbox uses it: statements are
 * written once, with PostgreSQL's `$1 … $n` parameters, and run on either.
 */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  /** The rows a statement returns (a query, or a write with `RETURNING`). */
  all<R>(text: string, params: readonly unknown[]): Promise<R[]>;
  /** Runs a write; resolves how many rows it changed. */
  run(text: string, params: readonly unknown[]): Promise<number>;
  /** Applies the missing steps of a `schema_migrations` namespace. */
  migrate(namespace: string, migrations: readonly Migration[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * SQLite through better-sqlite3; each statement is prepared once per connection. Writes of one
 * event-loop turn share one commit (`sqlite-group-commit.ts`); reads run at once.
 */
export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite';
  private readonly db: Database.Database;
  private readonly owned: boolean;
  private readonly writes: GroupCommit;
  private readonly statements = new Map<
    string,
    { statement: Database.Statement; order: number[] }
  >();

  /** `file` opens a connection this runner closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    this.owned = typeof source === 'string';
    this.db = typeof source === 'string' ? openSqlite(source) : source;
    this.writes = new GroupCommit(this.db);
  }

  all<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    const { statement, order } = this.prepare(text);
    const rows = () => statement.all(...order.map((i) => params[i])) as R[];
    // A write with RETURNING commits with the turn's other writes.
    return statement.readonly ? Promise.resolve(rows()) : this.writes.write(rows);
  }

  run(text: string, params: readonly unknown[]): Promise<number> {
    const { statement, order } = this.prepare(text);
    return this.writes.write(() => statement.run(...order.map((i) => params[i])).changes);
  }

  migrate(namespace: string, migrations: readonly Migration[]): Promise<void> {
    runSqliteMigrations(this.db, namespace, migrations);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.db.open) this.writes.flush(true);
    this.statements.clear();
    if (this.owned && this.db.open) this.db.close();
    return Promise.resolve();
  }

  /** `$n` becomes `?`, and `order` says which parameter each `?` takes (a `$n` may repeat). */
  private prepare(text: string): { statement: Database.Statement; order: number[] } {
    let prepared = this.statements.get(text);
    if (!prepared) {
      const order: number[] = [];
      const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      prepared = { statement: this.db.prepare(sql), order };
      this.statements.set(text, prepared);
    }
    return prepared;
  }
}

/** PostgreSQL through a `pg` pool of its own, or a borrowed one. */
export class PostgresRunner implements SqlRunner {
  readonly dialect = 'postgres';
  private readonly pool: Pool;
  private readonly owned: boolean;

  constructor(
    source: string | Pool,
    private readonly options: PostgresBotStoreOptions = {},
  ) {
    ({ pool: this.pool, owned: this.owned } = postgresSource(source, options));
  }

  async all<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    const { rows } = await this.pool.query(text, [...params]);
    return rows as R[];
  }

  async run(text: string, params: readonly unknown[]): Promise<number> {
    return (await this.pool.query(text, [...params])).rowCount ?? 0;
  }

  async migrate(namespace: string, migrations: readonly Migration[]): Promise<void> {
    await runPostgresMigrations(this.pool, namespace, migrations, { schema: this.options.schema });
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}
