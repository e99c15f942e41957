import type Database from 'better-sqlite3';
import type {
  AadObjectId,
  NewOutboxEntry,
  NotificationOutbox,
  OutboxEntry,
  OutboxStatus,
  SentCard,
} from '@shared';
import { runSqliteMigrations, type Migration } from '../storage/migrations';
import { conversationKeyText, decodeRef, rowToEntry, type OutboxRow } from './keys';
import { openSqlite } from './sqlite-conversation-store';

/** The `outbox` namespace of `schema_migrations`. Never edit a released step; append one. */
export const SQLITE_OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot_outbox, bot_outbox_cursors, bot_sent_cards',
    sql: `
CREATE TABLE bot_outbox (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('card','escalation','update')),
  target TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','sent','failed','skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX bot_outbox_due ON bot_outbox (status, due_at);
CREATE INDEX bot_outbox_agent ON bot_outbox (agent_id, status);
CREATE TABLE bot_outbox_cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
CREATE TABLE bot_sent_cards (
  call_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  ref TEXT NOT NULL CHECK (json_valid(ref)),
  sent_at TEXT NOT NULL,
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

/** The lobby-notification outbox in SQLite. */
export class SqliteNotificationOutbox implements NotificationOutbox {
  private readonly db: Database.Database;
  private readonly owned: boolean;
  private readonly statements = new Map<string, Database.Statement>();
  private enqueueTx:
    Database.Transaction<(entries: readonly NewOutboxEntry[]) => number> | undefined;
  private leaseTx:
    | Database.Transaction<(now: string, leaseUntil: string, limit: number) => OutboxEntry[]>
    | undefined;
  private purgeTx: Database.Transaction<(before: string) => number> | undefined;

  /** `file` opens a connection this outbox closes; a `Database` is borrowed and left open. */
  constructor(source: string | Database.Database) {
    this.owned = typeof source === 'string';
    this.db = typeof source === 'string' ? openSqlite(source) : source;
  }

  migrate(): Promise<void> {
    runSqliteMigrations(this.db, 'outbox', SQLITE_OUTBOX_MIGRATIONS);
    return Promise.resolve();
  }

  cursor(name: string): Promise<number> {
    const row = this.sql('SELECT seq FROM bot_outbox_cursors WHERE name = ?').get(name) as
      { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? 0);
  }

  saveCursor(name: string, seq: number): Promise<void> {
    this.sql(
      `INSERT INTO bot_outbox_cursors (name, seq) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
    ).run(name, seq);
    return Promise.resolve();
  }

  enqueue(entries: readonly NewOutboxEntry[]): Promise<number> {
    // Transaction wrappers, like statements, are built once (lazily: the tables come with migrate).
    this.enqueueTx ??= this.db.transaction((entries: readonly NewOutboxEntry[]) => {
      const insert = this.sql(
        `INSERT INTO bot_outbox (id, call_id, agent_id, seq, kind, target, status, attempts, due_at,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      );
      return entries.reduce(
        (added, e) =>
          added +
          insert.run(
            e.id,
            e.callId,
            e.agentId,
            e.seq,
            e.kind,
            e.target ? conversationKeyText(e.target) : null,
            e.dueAt,
            e.createdAt,
            e.createdAt,
          ).changes,
        0,
      );
    });
    return Promise.resolve(this.enqueueTx(entries));
  }

  lease(now: string, leaseUntil: string, limit: number): Promise<OutboxEntry[]> {
    // Most rounds find nothing due: a plain read answers that without taking the write lock.
    const due = this.sql(
      `SELECT 1 FROM bot_outbox
         WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
         LIMIT 1`,
    ).get(now, now);
    if (due === undefined) return Promise.resolve([]);
    this.leaseTx ??= this.db.transaction((now: string, leaseUntil: string, limit: number) => {
      const rows = this.sql(
        `SELECT * FROM bot_outbox
           WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY seq, id LIMIT ?`,
      ).all(now, now, limit) as OutboxRow[];
      const hold = this.sql('UPDATE bot_outbox SET lease_until = ? WHERE id = ?');
      for (const row of rows) hold.run(leaseUntil, row.id);
      return rows.map(rowToEntry);
    });
    return Promise.resolve(this.leaseTx.immediate(now, leaseUntil, limit));
  }

  complete(
    id: string,
    status: Exclude<OutboxStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    this.sql(
      `UPDATE bot_outbox SET status = ?, lease_until = NULL, updated_at = ?,
           last_error = COALESCE(?, last_error) WHERE id = ?`,
    ).run(status, at, error ?? null, id);
    return Promise.resolve();
  }

  retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    this.sql(
      `UPDATE bot_outbox SET attempts = attempts + 1, due_at = ?, lease_until = NULL,
           last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
    ).run(dueAt, error, at, id);
    return Promise.resolve();
  }

  get(id: string): Promise<OutboxEntry | undefined> {
    const row = this.sql('SELECT * FROM bot_outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return Promise.resolve(row ? rowToEntry(row) : undefined);
  }

  recordSent(card: SentCard): Promise<void> {
    this.sql(
      `INSERT INTO bot_sent_cards (call_id, conversation_id, activity_id, ref, sent_at, entry_id)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(
      card.callId,
      card.conversationId,
      card.activityId,
      JSON.stringify(card.ref),
      card.sentAt,
      card.entryId ?? null,
    );
    return Promise.resolve();
  }

  sentCards(callId: string): Promise<SentCard[]> {
    const rows = this.sql(
      `SELECT call_id, conversation_id, activity_id, ref, sent_at, entry_id FROM bot_sent_cards
         WHERE call_id = ? ORDER BY sent_at, rowid`,
    ).all(callId) as {
      call_id: string;
      conversation_id: string;
      activity_id: string;
      ref: string;
      sent_at: string;
      entry_id: string | null;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        callId: r.call_id,
        conversationId: r.conversation_id,
        activityId: r.activity_id,
        ref: decodeRef(r.ref),
        sentAt: r.sent_at,
        ...(r.entry_id ? { entryId: r.entry_id } : {}),
      })),
    );
  }

  failures(agentId: AadObjectId, limit: number): Promise<OutboxEntry[]> {
    const rows = this.sql(
      `SELECT * FROM bot_outbox WHERE agent_id = ? AND status = 'failed'
         ORDER BY updated_at DESC, seq DESC LIMIT ?`,
    ).all(agentId, limit) as OutboxRow[];
    return Promise.resolve(rows.map(rowToEntry));
  }

  purge(before: string): Promise<number> {
    this.purgeTx ??= this.db.transaction(
      (before: string) =>
        this.sql(`DELETE FROM bot_outbox WHERE status <> 'pending' AND updated_at < ?`).run(before)
          .changes + this.sql('DELETE FROM bot_sent_cards WHERE sent_at < ?').run(before).changes,
    );
    return Promise.resolve(this.purgeTx(before));
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
