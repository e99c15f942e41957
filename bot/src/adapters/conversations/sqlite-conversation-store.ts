import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConversationKey, ConversationRef, ConversationStore } from '@shared';
import { AppError } from '@shared';
import { runSqliteMigrations, type Migration } from '../storage/migrations';
import { configureSqlite } from '../storage/sqlite-connection';
import { conversationKeyText, decodeRef } from './keys';

/** The `conversations` namespace of `schema_migrations`. Never edit a released step; append one. */
export const SQLITE_CONVERSATION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot_conversations',
    sql: `
CREATE TABLE bot_conversations (
  key TEXT PRIMARY KEY,
  ref TEXT NOT NULL CHECK (json_valid(ref)),
  updated_at TEXT NOT NULL
);`,
  },
];

/** Opens (creating the folder of) a SQLite file the way every bot table wants it. */
export function openSqlite(file: string): Database.Database {
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    configureSqlite(db);
    return db;
  } catch (error) {
    throw new AppError('upstream-unavailable', `Cannot open the SQLite file ${file}`, {
      cause: error,
    });
  }
}

/** Conversation references in SQLite (the embedded default; same file as the calls is fine). */
export class SqliteConversationStore implements ConversationStore {
  private readonly db: Database.Database;
  private readonly owned: boolean;
  private readonly statements = new Map<string, Database.Statement>();

  /** `file` opens a connection this store closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    this.owned = typeof source === 'string';
    this.db = typeof source === 'string' ? openSqlite(source) : source;
  }

  migrate(): Promise<void> {
    runSqliteMigrations(this.db, 'conversations', SQLITE_CONVERSATION_MIGRATIONS);
    return Promise.resolve();
  }

  put(key: ConversationKey, ref: ConversationRef): Promise<void> {
    this.sql(
      `INSERT INTO bot_conversations (key, ref, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at`,
    ).run(conversationKeyText(key), JSON.stringify(ref), ref.updatedAt);
    return Promise.resolve();
  }

  get(key: ConversationKey): Promise<ConversationRef | undefined> {
    const row = this.sql('SELECT ref FROM bot_conversations WHERE key = ?').get(
      conversationKeyText(key),
    ) as { ref: string } | undefined;
    return Promise.resolve(row ? decodeRef(row.ref) : undefined);
  }

  remove(key: ConversationKey): Promise<boolean> {
    const result = this.sql('DELETE FROM bot_conversations WHERE key = ?').run(
      conversationKeyText(key),
    );
    return Promise.resolve(result.changes > 0);
  }

  /** Each SQL text is prepared once per connection and reused. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  close(): Promise<void> {
    this.statements.clear();
    if (this.owned && this.db.open) this.db.close();
    return Promise.resolve();
  }
}
