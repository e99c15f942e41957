import type { Pool } from 'pg';
import type {
  CallEvent,
  CallQuery,
  CallRecord,
  CallStore,
  NewCallEvent,
  TransitionInput,
  TransitionResult,
} from '@shared';
import { AppError, TERMINAL_STATES, lookupKey, meetingThreadOf, type MeetingKey } from '@shared';
import {
  callColumns,
  canonicalTime,
  patchColumns,
  rowToCall,
  rowToEvent,
  type RowDecoder,
} from './call-columns';
import { FEWER_CALL_INDEXES } from './calls-migration-4';
import { runPostgresMigrations, type Migration } from './migrations';
import { createPostgresPool, translatePgError, type PostgresPoolOptions } from './postgres-pool';

/** The `calls` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_CALL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calls and call_events',
    sql: `
CREATE TABLE calls (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN
    ('scheduled','waiting','admitted','in_call','ended','declined','revoked','expired','abandoned')),
  version INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  team_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  title TEXT NOT NULL,
  starts_at TIMESTAMPTZ NOT NULL,
  duration_minutes INTEGER NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  customer_locale TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  agent JSONB NOT NULL,
  team JSONB,
  meeting JSONB NOT NULL,
  customer_name TEXT,
  claim_token_hash TEXT,
  claimed_at TIMESTAMPTZ,
  admitted_at TIMESTAMPTZ,
  admitted_by JSONB,
  decided_at TIMESTAMPTZ,
  decline_reason TEXT,
  ended_at TIMESTAMPTZ,
  lobby_message JSONB,
  reissued_from TEXT,
  reissued_to TEXT
);
CREATE INDEX calls_agent_created ON calls (agent_id, created_at);
CREATE INDEX calls_team_created ON calls (team_id, created_at) WHERE team_id IS NOT NULL;
CREATE INDEX calls_created ON calls (created_at);
CREATE INDEX calls_state_expires ON calls (state, expires_at);
CREATE INDEX calls_state_claimed ON calls (state, claimed_at);
CREATE INDEX calls_state_updated ON calls (state, updated_at);
CREATE TABLE call_events (
  seq BIGSERIAL PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  actor JSONB NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  data JSONB
);
CREATE INDEX call_events_call ON call_events (call_id, seq);
`,
  },
  {
    version: 2,
    name: 'meeting index and meeting presence',
    sql: `
ALTER TABLE calls ADD COLUMN meeting_thread TEXT;
ALTER TABLE calls ADD COLUMN meeting_join_url TEXT;
UPDATE calls SET meeting_join_url = meeting->>'joinUrl'
  WHERE meeting->>'provider' = 'teams';
CREATE INDEX calls_meeting_thread ON calls (meeting_thread) WHERE meeting_thread IS NOT NULL;
CREATE INDEX calls_meeting_join_url ON calls (meeting_join_url) WHERE meeting_join_url IS NOT NULL;
CREATE TABLE meeting_presence (
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  joined_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (call_id, participant_id)
);
`,
  },
  {
    version: 3,
    name: 'timed_out state and lobby extension',
    sql: `
ALTER TABLE calls DROP CONSTRAINT calls_state_check;
ALTER TABLE calls ADD CONSTRAINT calls_state_check CHECK (state IN
  ('scheduled','waiting','admitted','in_call','ended','declined','revoked','expired','abandoned',
   'timed_out'));
ALTER TABLE calls ADD COLUMN lobby_extended_at TIMESTAMPTZ;
`,
  },
  FEWER_CALL_INDEXES,
];

/** Options of {@link PostgresCallStore}. */
export type PostgresCallStoreOptions = PostgresPoolOptions;

type Row = Record<string, unknown>;

const DECODE: RowDecoder = {
  // Plain selects give Dates; rows folded with to_jsonb() give ISO strings with an offset.
  time: (value) => (value instanceof Date ? value.toISOString() : canonicalTime(value as string)),
  json: (value) => value,
};

const DEFAULT_LIST_LIMIT = 100;
const TERMINAL_LIST = TERMINAL_STATES.map((s) => `'${s}'`).join(',');

/** One advisory lock per schema (the key includes the event table's oid), "OTCE" in the high half. */
const LOG_LOCK_KEY = `(x'4f544345'::bigint << 32) | 'call_events'::regclass::oid::bigint`;

/**
 * `seq` comes from a sequence, so events may commit out of `seq` order. To keep the `eventsSince`
 * cursor from skipping an event that commits late, every append holds this lock in shared mode from
 * before it draws its `seq` until it commits (appenders never wait for each other), and
 * `eventsSince` takes it exclusively before it reads: then every `seq` drawn so far is committed (or
 * rolled back) and every later one will be larger. Row locks are always taken first: no deadlock.
 */
const APPEND_LOCK = `pg_advisory_xact_lock_shared(${LOG_LOCK_KEY})`;
const READ_LOCK = `SELECT pg_advisory_xact_lock(${LOG_LOCK_KEY})`;

const EVENT_COLUMNS = 'call_id, type, at, actor, from_state, to_state, data';

/**
 * Calls in PostgreSQL, for several instances behind a load balancer. Every write is a single
 * statement (data-modifying CTEs), so it is one transaction and one round trip. The event log's
 * `seq` is safe to use as a cursor across instances (see `APPEND_LOCK`).
 */
export class PostgresCallStore implements CallStore {
  /** The pool, for adapters that keep their own tables in the same schema. */
  readonly pool: Pool;
  private readonly schema: string | undefined;
  private ended = false;

  constructor(connectionString: string, options: PostgresCallStoreOptions = {}) {
    this.schema = options.schema;
    this.pool = createPostgresPool(connectionString, options);
  }

  async migrate(): Promise<void> {
    try {
      await runPostgresMigrations(this.pool, 'calls', POSTGRES_CALL_MIGRATIONS, {
        schema: this.schema,
      });
      await this.backfillMeetingThreads();
    } catch (error) {
      throw translatePgError(error, 'PostgreSQL migration failed');
    }
  }

  async insert(call: CallRecord, event: NewCallEvent): Promise<CallEvent> {
    const columns = callColumns(call);
    const params = columns.map(([, value]) => value);
    const eventParams = eventValues(event, params.length);
    const sql = `
      WITH inserted AS (
        INSERT INTO calls (${columns.map(([c]) => c).join(', ')})
        VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
        RETURNING id, state
      ), logged AS (
        INSERT INTO call_events (${EVENT_COLUMNS})
        SELECT inserted.id, ${eventParams.placeholders.type}, ${eventParams.placeholders.at},
               ${eventParams.placeholders.actor}, NULL, inserted.state, ${eventParams.placeholders.data}
        FROM inserted, LATERAL (SELECT ${APPEND_LOCK}) AS serial
        RETURNING *
      )
      SELECT to_jsonb(logged) AS event FROM logged`;
    const rows = await this.query('insert', sql, [...params, ...eventParams.values], PREPARED);
    return rowToEvent(rows[0]?.['event'] as Row, DECODE);
  }

  async get(id: string): Promise<CallRecord | undefined> {
    const rows = await this.query('get', 'SELECT * FROM calls WHERE id = $1', [id]);
    return rows[0] && rowToCall(rows[0], DECODE);
  }

  async getByCodeHash(codeHash: string): Promise<CallRecord | undefined> {
    const rows = await this.query('getByCodeHash', 'SELECT * FROM calls WHERE code_hash = $1', [
      codeHash,
    ]);
    return rows[0] && rowToCall(rows[0], DECODE);
  }

  async list(query: CallQuery): Promise<CallRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    if (query.agentId !== undefined) where.push(`agent_id = ${param(query.agentId)}`);
    if (query.teamId !== undefined) where.push(`team_id = ${param(query.teamId)}`);
    if (query.states !== undefined) where.push(`state = ANY(${param(query.states)}::text[])`);
    const limit = param(checkLimit(query.limit ?? DEFAULT_LIST_LIMIT));
    const sql =
      'SELECT * FROM calls' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT ${limit}`;
    return (await this.query('list', sql, values)).map((row) => rowToCall(row, DECODE));
  }

  async findByMeeting(key: MeetingKey): Promise<CallRecord | undefined> {
    const { threadId, joinUrl } = lookupKey(key);
    if (!threadId && !joinUrl) return undefined;
    const rows = await this.query(
      'findByMeeting',
      `SELECT * FROM calls WHERE meeting_thread = $1 OR meeting_join_url = $2
       ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT 1`,
      [threadId ?? null, joinUrl ?? null],
    );
    return rows[0] && rowToCall(rows[0], DECODE);
  }

  async joinMeeting(callId: string, participantId: string, at: string): Promise<number> {
    const rows = await this.query(
      'joinMeeting',
      `WITH added AS (
         INSERT INTO meeting_presence (call_id, participant_id, joined_at) VALUES ($1, $2, $3)
         ON CONFLICT (call_id, participant_id) DO NOTHING RETURNING participant_id
       )
       SELECT (SELECT count(*) FROM meeting_presence WHERE call_id = $1)::int
            + (SELECT count(*) FROM added)::int AS n`,
      [callId, participantId, canonicalTime(at)],
    );
    return Number(rows[0]?.['n'] ?? 0);
  }

  async leaveMeeting(callId: string, participantId: string | undefined): Promise<void> {
    if (participantId === undefined)
      await this.query('leaveMeeting', 'DELETE FROM meeting_presence WHERE call_id = $1', [callId]);
    else
      await this.query(
        'leaveMeeting',
        'DELETE FROM meeting_presence WHERE call_id = $1 AND participant_id = $2',
        [callId, participantId],
      );
  }

  /** Rows written before the meeting index: their thread is worked out once (`''`: none). */
  private async backfillMeetingThreads(): Promise<void> {
    const rows = await this.query(
      'backfill',
      `SELECT id, meeting FROM calls WHERE meeting_thread IS NULL AND meeting->>'provider' = 'teams'`,
      [],
    );
    for (const row of rows) {
      const thread = meetingThreadOf(row['meeting'] as CallRecord['meeting']);
      await this.query('backfill', 'UPDATE calls SET meeting_thread = $1 WHERE id = $2', [
        thread ?? '',
        row['id'],
      ]);
    }
  }

  async transition(input: TransitionInput): Promise<TransitionResult> {
    const values: unknown[] = [input.id, input.expected];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const guard =
      input.expectedVersion === undefined ? '' : ` AND version = ${param(input.expectedVersion)}`;
    const assignments = patchColumns(input.patch);
    if (input.to !== undefined) assignments.push(['state', input.to]);
    assignments.push(['updated_at', canonicalTime(input.at)]);
    const sets = assignments.map(([column, value]) => `${column} = ${param(value)}`);
    const event = eventValues(input.event, values.length);
    values.push(...event.values);
    // READ COMMITTED: a transition that waited on the row lock re-checks `state` and `version` on the
    // row the winner committed, so the loser finds nothing to update.
    const sql = `
      WITH prior AS (
        SELECT id, state FROM calls WHERE id = $1 AND state = ANY($2::text[])${guard} FOR UPDATE
      ), moved AS (
        UPDATE calls AS c SET ${sets.join(', ')}, version = c.version + 1
        FROM prior WHERE c.id = prior.id
        RETURNING c.*, prior.state AS prior_state
      ), logged AS (
        INSERT INTO call_events (${EVENT_COLUMNS})
        SELECT moved.id, ${event.placeholders.type}, ${event.placeholders.at}, ${event.placeholders.actor},
               moved.prior_state, moved.state, ${event.placeholders.data}
        FROM moved, LATERAL (SELECT ${APPEND_LOCK}) AS serial
        RETURNING *
      )
      SELECT to_jsonb(moved) AS call, to_jsonb(logged) AS event FROM moved, logged`;
    const [row] = await this.query('transition', sql, values, PREPARED);
    if (!row) return { ok: false, current: await this.get(input.id) };
    return {
      ok: true,
      call: rowToCall(row['call'] as Row, DECODE),
      event: rowToEvent(row['event'] as Row, DECODE),
    };
  }

  async events(callId: string): Promise<CallEvent[]> {
    const rows = await this.query(
      'events',
      'SELECT * FROM call_events WHERE call_id = $1 ORDER BY seq',
      [callId],
    );
    return rows.map((row) => rowToEvent(row, DECODE));
  }

  async eventsSince(afterSeq: number, limit: number): Promise<CallEvent[]> {
    const bounded = checkLimit(limit);
    try {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(READ_LOCK);
        // A new statement: READ COMMITTED takes its snapshot after the lock was granted.
        const { rows } = await client.query<Row>(
          'SELECT * FROM call_events WHERE seq > $1 ORDER BY seq LIMIT $2',
          [afterSeq, bounded],
        );
        await client.query('COMMIT');
        return rows.map((row) => rowToEvent(row, DECODE));
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined); // the original error is what matters
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      throw translatePgError(error, 'PostgreSQL eventsSince failed');
    }
  }

  async due(now: string, waitingClaimedBefore: string, limit: number): Promise<CallRecord[]> {
    const sql = `SELECT * FROM calls
      WHERE (state IN ('scheduled', 'waiting', 'admitted', 'in_call') AND expires_at <= $1)
         OR (state = 'waiting' AND COALESCE(lobby_extended_at, claimed_at, updated_at) <= $2)
      ORDER BY created_at, id COLLATE "C" LIMIT $3`;
    const rows = await this.query('due', sql, [
      canonicalTime(now),
      canonicalTime(waitingClaimedBefore),
      checkLimit(limit),
    ]);
    return rows.map((row) => rowToCall(row, DECODE));
  }

  async purge(before: string): Promise<number> {
    // Events go with their calls (ON DELETE CASCADE), in the same statement. The states are written
    // out, not a parameter: the planner must see the partial index's own condition.
    const rows = await this.query(
      'purge',
      `WITH purged AS (
         DELETE FROM calls WHERE state IN (${TERMINAL_LIST}) AND updated_at < $1 RETURNING id
       ) SELECT count(*)::int AS n FROM purged`,
      [canonicalTime(before)],
    );
    return Number(rows[0]?.['n'] ?? 0);
  }

  async ping(): Promise<boolean> {
    if (this.ended) return false;
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      // An unreachable database is exactly what ping reports.
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }

  private async query(
    what: string,
    sql: string,
    values: readonly unknown[],
    prepared = false,
  ): Promise<Row[]> {
    try {
      const result = prepared
        ? await this.pool.query<Row>({ name: statementName(sql), text: sql, values: [...values] })
        : await this.pool.query<Row>(sql, values as unknown[]);
      return result.rows;
    } catch (error) {
      throw translatePgError(error, `PostgreSQL ${what} failed`);
    }
  }
}

/**
 * Create and claim run as named statements, which each connection parses and plans once: planning
 * their CTEs cost the server more than running them (backend CPU per create 630 → 370 µs, per claim
 * 1030 → 440 µs). Only statements whose result is a fixed pair of jsonb columns: a prepared
 * `SELECT *` would fail on an instance still running when a migration adds a column ("cached plan
 * must not change result type").
 */
const PREPARED = true;

const statementNames = new Map<string, string>();

/** A name per statement text (a claim's text depends on the fields it sets; a few dozen in all). */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `otc_calls_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

function eventValues(event: NewCallEvent, offset: number) {
  return {
    placeholders: {
      type: `$${offset + 1}::text`,
      at: `$${offset + 2}::timestamptz`,
      actor: `$${offset + 3}::jsonb`,
      data: `$${offset + 4}::jsonb`,
    },
    values: [
      event.type,
      canonicalTime(event.at),
      JSON.stringify(event.actor),
      event.data === undefined ? null : JSON.stringify(event.data),
    ],
  };
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new AppError('internal', `Bad limit ${limit}`);
  return limit;
}
