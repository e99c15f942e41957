import type { Pool } from 'pg';
import type {
  AadObjectId,
  NewOutboxEntry,
  NotificationOutbox,
  OutboxEntry,
  OutboxStatus,
  SentCard,
} from '@shared';
import { runPostgresMigrations, type Migration } from '../storage/migrations';
import { conversationKeyText, decodeRef, rowToEntry, type OutboxRow } from './keys';
import { postgresSource, type PostgresBotStoreOptions } from './postgres-conversation-store';

/** The `outbox` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot_outbox, bot_outbox_cursors, bot_sent_cards',
    sql: `
CREATE TABLE bot_outbox (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('card','escalation','update')),
  target TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed','skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at TIMESTAMPTZ NOT NULL,
  lease_until TIMESTAMPTZ,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX bot_outbox_due ON bot_outbox (status, due_at);
CREATE INDEX bot_outbox_agent ON bot_outbox (agent_id, status);
CREATE TABLE bot_outbox_cursors (
  name TEXT PRIMARY KEY,
  seq BIGINT NOT NULL
);
CREATE TABLE bot_sent_cards (
  call_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  ref JSONB NOT NULL,
  sent_at TIMESTAMPTZ NOT NULL,
  ord BIGSERIAL,
  PRIMARY KEY (call_id, conversation_id, activity_id)
);`,
  },
  {
    version: 2,
    name: 'bot_sent_cards.entry_id',
    sql: `
ALTER TABLE bot_sent_cards ADD COLUMN entry_id TEXT;
CREATE INDEX bot_sent_cards_entry ON bot_sent_cards (entry_id) WHERE entry_id IS NOT NULL;`,
  },
];

/** The lobby-notification outbox in PostgreSQL; `lease` uses `FOR UPDATE SKIP LOCKED`. */
export class PostgresNotificationOutbox implements NotificationOutbox {
  private readonly pool: Pool;
  private readonly owned: boolean;

  constructor(
    source: string | Pool,
    private readonly options: PostgresBotStoreOptions = {},
  ) {
    ({ pool: this.pool, owned: this.owned } = postgresSource(source, options));
  }

  async migrate(): Promise<void> {
    await runPostgresMigrations(this.pool, 'outbox', POSTGRES_OUTBOX_MIGRATIONS, {
      schema: this.options.schema,
    });
  }

  async cursor(name: string): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>(
      'SELECT seq FROM bot_outbox_cursors WHERE name = $1',
      [name],
    );
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  async saveCursor(name: string, seq: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO bot_outbox_cursors (name, seq) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET seq = GREATEST(bot_outbox_cursors.seq, excluded.seq)`,
      [name, seq],
    );
  }

  async enqueue(entries: readonly NewOutboxEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const values: unknown[] = [];
    const tuples = entries.map((e, i) => {
      values.push(
        e.id,
        e.callId,
        e.agentId,
        e.seq,
        e.kind,
        e.target ? conversationKeyText(e.target) : null,
        e.dueAt,
        e.createdAt,
      );
      const b = i * 8;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, 'pending', 0, $${b + 7}, $${b + 8}, $${b + 8})`;
    });
    const result = await this.pool.query(
      `INSERT INTO bot_outbox (id, call_id, agent_id, seq, kind, target, status, attempts, due_at,
         created_at, updated_at)
       VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`,
      values,
    );
    return result.rowCount ?? 0;
  }

  async lease(now: string, leaseUntil: string, limit: number): Promise<OutboxEntry[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE bot_outbox SET lease_until = $2
       WHERE id IN (
         SELECT id FROM bot_outbox
         WHERE status = 'pending' AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY seq, id LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, leaseUntil, limit],
    );
    return rows.map(rowToEntry).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1));
  }

  async complete(
    id: string,
    status: Exclude<OutboxStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE bot_outbox SET status = $2, lease_until = NULL, updated_at = $3,
         last_error = COALESCE($4, last_error) WHERE id = $1`,
      [id, status, at, error ?? null],
    );
  }

  async retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE bot_outbox SET attempts = attempts + 1, due_at = $2, lease_until = NULL,
         last_error = $4, updated_at = $3 WHERE id = $1 AND status = 'pending'`,
      [id, dueAt, at, error],
    );
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const { rows } = await this.pool.query<OutboxRow>('SELECT * FROM bot_outbox WHERE id = $1', [
      id,
    ]);
    return rows[0] ? rowToEntry(rows[0]) : undefined;
  }

  async recordSent(card: SentCard): Promise<void> {
    await this.pool.query(
      `INSERT INTO bot_sent_cards (call_id, conversation_id, activity_id, ref, sent_at, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        card.callId,
        card.conversationId,
        card.activityId,
        JSON.stringify(card.ref),
        card.sentAt,
        card.entryId ?? null,
      ],
    );
  }

  async sentCards(callId: string): Promise<SentCard[]> {
    const { rows } = await this.pool.query<{
      call_id: string;
      conversation_id: string;
      activity_id: string;
      ref: string;
      sent_at: Date;
      entry_id: string | null;
    }>(
      `SELECT call_id, conversation_id, activity_id, ref::text AS ref, sent_at, entry_id FROM bot_sent_cards
       WHERE call_id = $1 ORDER BY sent_at, ord`,
      [callId],
    );
    return rows.map((r) => ({
      callId: r.call_id,
      conversationId: r.conversation_id,
      activityId: r.activity_id,
      ref: decodeRef(r.ref),
      sentAt: new Date(r.sent_at).toISOString(),
      ...(r.entry_id ? { entryId: r.entry_id } : {}),
    }));
  }

  async failures(agentId: AadObjectId, limit: number): Promise<OutboxEntry[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `SELECT * FROM bot_outbox WHERE agent_id = $1 AND status = 'failed'
       ORDER BY updated_at DESC, seq DESC LIMIT $2`,
      [agentId, limit],
    );
    return rows.map(rowToEntry);
  }

  async purge(before: string): Promise<number> {
    const entries = await this.pool.query(
      `DELETE FROM bot_outbox WHERE status <> 'pending' AND updated_at < $1`,
      [before],
    );
    const cards = await this.pool.query('DELETE FROM bot_sent_cards WHERE sent_at < $1', [before]);
    return (entries.rowCount ?? 0) + (cards.rowCount ?? 0);
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}
