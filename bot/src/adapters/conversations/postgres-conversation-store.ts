import type { Pool } from 'pg';
import type { ConversationKey, ConversationRef, ConversationStore } from '@shared';
import { runPostgresMigrations, type Migration } from '../storage/migrations';
import { createPostgresPool } from '../storage/postgres-pool';
import { conversationKeyText, decodeRef } from './keys';

/** The `conversations` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_CONVERSATION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot_conversations',
    sql: `
CREATE TABLE bot_conversations (
  key TEXT PRIMARY KEY,
  ref JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);`,
  },
];

/** Options of the PostgreSQL adapters. */
export type PostgresBotStoreOptions = {
  /** Schema for the tables (created when missing); a borrowed pool's `search_path` must name it. */
  readonly schema?: string | undefined;
  /** Most connections of an owned pool. @default 4 */
  readonly max?: number | undefined;
};

/** A pool of our own from a connection string (closed by `close`), or a borrowed one (left open). */
export function postgresSource(
  source: string | Pool,
  options: PostgresBotStoreOptions,
): { readonly pool: Pool; readonly owned: boolean } {
  return typeof source === 'string'
    ? {
        pool: createPostgresPool(source, {
          schema: options.schema,
          max: options.max ?? 4,
          applicationName: 'one-time-call-bot',
        }),
        owned: true,
      }
    : { pool: source, owned: false };
}

/** Conversation references in PostgreSQL (several instances behind a load balancer). */
export class PostgresConversationStore implements ConversationStore {
  private readonly pool: Pool;
  private readonly owned: boolean;

  constructor(
    source: string | Pool,
    private readonly options: PostgresBotStoreOptions = {},
  ) {
    ({ pool: this.pool, owned: this.owned } = postgresSource(source, options));
  }

  async migrate(): Promise<void> {
    await runPostgresMigrations(this.pool, 'conversations', POSTGRES_CONVERSATION_MIGRATIONS, {
      schema: this.options.schema,
    });
  }

  async put(key: ConversationKey, ref: ConversationRef): Promise<void> {
    await this.pool.query(
      `INSERT INTO bot_conversations (key, ref, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at`,
      [conversationKeyText(key), JSON.stringify(ref), ref.updatedAt],
    );
  }

  async get(key: ConversationKey): Promise<ConversationRef | undefined> {
    const { rows } = await this.pool.query<{ ref: string }>(
      'SELECT ref::text AS ref FROM bot_conversations WHERE key = $1',
      [conversationKeyText(key)],
    );
    return rows[0] ? decodeRef(rows[0].ref) : undefined;
  }

  async remove(key: ConversationKey): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM bot_conversations WHERE key = $1', [
      conversationKeyText(key),
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}
