import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  CallEvent,
  CallQuery,
  CallRecord,
  CallStore,
  NewCallEvent,
  TransitionInput,
  TransitionResult,
} from '@shared';
import {
  AppError,
  TERMINAL_STATES,
  isAppError,
  lookupKey,
  meetingThreadOf,
  type MeetingKey,
} from '@shared';
import {
  callColumns,
  canonicalTime,
  patchColumns,
  rowToCall,
  rowToEvent,
  type RowDecoder,
} from './call-columns';
import { FEWER_CALL_INDEXES } from './calls-migration-4';
import { runSqliteMigrations, type Migration } from './migrations';
import { configureSqlite } from './sqlite-connection';
import { GroupCommit } from './sqlite-group-commit';

/** The `calls` namespace of `schema_migrations`. Never edit a released step; append one. */
export const SQLITE_CALL_MIGRATIONS: readonly Migration[] = [
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
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  title TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  expires_at TEXT NOT NULL,
  customer_locale TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  agent TEXT NOT NULL CHECK (json_valid(agent)),
  team TEXT CHECK (team IS NULL OR json_valid(team)),
  meeting TEXT NOT NULL CHECK (json_valid(meeting)),
  customer_name TEXT,
  claim_token_hash TEXT,
  claimed_at TEXT,
  admitted_at TEXT,
  admitted_by TEXT CHECK (admitted_by IS NULL OR json_valid(admitted_by)),
  decided_at TEXT,
  decline_reason TEXT,
  ended_at TEXT,
  lobby_message TEXT CHECK (lobby_message IS NULL OR json_valid(lobby_message)),
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
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (json_valid(actor)),
  from_state TEXT,
  to_state TEXT NOT NULL,
  data TEXT CHECK (data IS NULL OR json_valid(data))
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
UPDATE calls SET meeting_join_url = json_extract(meeting, '$.joinUrl')
  WHERE json_extract(meeting, '$.provider') = 'teams';
CREATE INDEX calls_meeting_thread ON calls (meeting_thread) WHERE meeting_thread IS NOT NULL;
CREATE INDEX calls_meeting_join_url ON calls (meeting_join_url) WHERE meeting_join_url IS NOT NULL;
CREATE TABLE meeting_presence (
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  joined_at TEXT NOT NULL,
  PRIMARY KEY (call_id, participant_id)
);
`,
  },
  {
    // SQLite cannot change a CHECK in place: the table is rebuilt (migrate() runs with foreign keys
    // off, so dropping the old table cascades nothing; call_events and meeting_presence keep
    // referring to "calls" by name). Column order: version 1's, then version 2's, then the new one.
    version: 3,
    name: 'timed_out state and lobby extension',
    sql: `
CREATE TABLE calls_v3 (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN
    ('scheduled','waiting','admitted','in_call','ended','declined','revoked','expired','abandoned',
     'timed_out')),
  version INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  team_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  title TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  expires_at TEXT NOT NULL,
  customer_locale TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  agent TEXT NOT NULL CHECK (json_valid(agent)),
  team TEXT CHECK (team IS NULL OR json_valid(team)),
  meeting TEXT NOT NULL CHECK (json_valid(meeting)),
  customer_name TEXT,
  claim_token_hash TEXT,
  claimed_at TEXT,
  admitted_at TEXT,
  admitted_by TEXT CHECK (admitted_by IS NULL OR json_valid(admitted_by)),
  decided_at TEXT,
  decline_reason TEXT,
  ended_at TEXT,
  lobby_message TEXT CHECK (lobby_message IS NULL OR json_valid(lobby_message)),
  reissued_from TEXT,
  reissued_to TEXT,
  meeting_thread TEXT,
  meeting_join_url TEXT,
  lobby_extended_at TEXT
);
INSERT INTO calls_v3 SELECT *, NULL FROM calls;
DROP TABLE calls;
ALTER TABLE calls_v3 RENAME TO calls;
CREATE INDEX calls_agent_created ON calls (agent_id, created_at);
CREATE INDEX calls_team_created ON calls (team_id, created_at) WHERE team_id IS NOT NULL;
CREATE INDEX calls_created ON calls (created_at);
CREATE INDEX calls_state_expires ON calls (state, expires_at);
CREATE INDEX calls_state_claimed ON calls (state, claimed_at);
CREATE INDEX calls_state_updated ON calls (state, updated_at);
CREATE INDEX calls_meeting_thread ON calls (meeting_thread) WHERE meeting_thread IS NOT NULL;
CREATE INDEX calls_meeting_join_url ON calls (meeting_join_url) WHERE meeting_join_url IS NOT NULL;
`,
  },
  FEWER_CALL_INDEXES,
];

/** Where the embedded store lives unless told otherwise. */
export const DEFAULT_SQLITE_FILE = '.data/one-time-call.sqlite';

/** Options of {@link SqliteCallStore}. */
export type SqliteCallStoreOptions = {
  /** How long a writer waits for another connection's write lock. @default 5000 */
  readonly busyTimeoutMs?: number | undefined;
};

const DECODE: RowDecoder = {
  time: (value) => value as string,
  json: (value) => JSON.parse(value as string) as unknown,
};

type Row = Record<string, unknown>;
const DEFAULT_LIST_LIMIT = 100;
const TERMINAL_LIST = TERMINAL_STATES.map((s) => `'${s}'`).join(',');

/**
 * The embedded store: one SQLite file in WAL mode. Several instances (threads, processes) may open the
 * same file; every write is a `BEGIN IMMEDIATE` transaction, so compare-and-set stays atomic across
 * them. The writes of one event-loop turn share that transaction, each in a savepoint
 * (`sqlite-group-commit.ts`).
 */
export class SqliteCallStore implements CallStore {
  private readonly db: Database.Database;
  private readonly writes: GroupCommit;
  private readonly statements = new Map<string, Database.Statement>();
  // Transaction wrappers are built once, like statements (lazily: the tables come with migrate).
  private insertTx:
    | Database.Transaction<
        (sql: string, values: unknown[], call: CallRecord, event: NewCallEvent) => CallEvent
      >
    | undefined;
  private transitionTx:
    | Database.Transaction<
        (input: TransitionInput, sql: string, values: unknown[]) => TransitionResult
      >
    | undefined;

  constructor(file: string = DEFAULT_SQLITE_FILE, options: SqliteCallStoreOptions = {}) {
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file);
      configureSqlite(this.db, options.busyTimeoutMs);
      this.db.pragma('foreign_keys = ON');
    } catch (error) {
      throw translate(error, `Cannot open the SQLite store at ${file}`);
    }
    this.writes = new GroupCommit(this.db);
  }

  migrate(): Promise<void> {
    return this.run('migrate', () => {
      // Foreign keys off while migrating: a table rebuild (version 3) must not cascade its DROP.
      // The pragma is a no-op inside a transaction, so it is set around the migrations' one.
      this.db.pragma('foreign_keys = OFF');
      try {
        runSqliteMigrations(this.db, 'calls', SQLITE_CALL_MIGRATIONS);
        const broken = this.db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`calls migration broke ${broken.length} references`);
      } finally {
        this.db.pragma('foreign_keys = ON');
      }
      this.backfillMeetingThreads();
    });
  }

  insert(call: CallRecord, event: NewCallEvent): Promise<CallEvent> {
    return this.write('insert', () => {
      const columns = callColumns(call);
      const sql = `INSERT INTO calls (${columns.map(([c]) => c).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      this.insertTx ??= this.db.transaction(
        (sql: string, values: unknown[], call: CallRecord, event: NewCallEvent) => {
          this.statement(sql).run(...values);
          return this.appendEvent(call.id, event, undefined, call.state);
        },
      );
      return this.insertTx.immediate(
        sql,
        columns.map(([, v]) => v),
        call,
        event,
      );
    });
  }

  get(id: string): Promise<CallRecord | undefined> {
    return this.run('get', () => this.selectCall(id));
  }

  getByCodeHash(codeHash: string): Promise<CallRecord | undefined> {
    return this.run('getByCodeHash', () => {
      const row = this.statement('SELECT * FROM calls WHERE code_hash = ?').get(codeHash) as
        Row | undefined;
      return row ? rowToCall(row, DECODE) : undefined;
    });
  }

  list(query: CallQuery): Promise<CallRecord[]> {
    return this.run('list', () => this.selectList(query));
  }

  private selectList(query: CallQuery): CallRecord[] {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.agentId !== undefined) {
      where.push('agent_id = ?');
      values.push(query.agentId);
    }
    if (query.teamId !== undefined) {
      where.push('team_id = ?');
      values.push(query.teamId);
    }
    if (query.states !== undefined) {
      where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
      values.push(...query.states);
    }
    const sql =
      'SELECT * FROM calls' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY created_at DESC, id DESC LIMIT ?';
    values.push(checkLimit(query.limit ?? DEFAULT_LIST_LIMIT));
    return (this.statement(sql).all(...values) as Row[]).map((row) => rowToCall(row, DECODE));
  }

  findByMeeting(key: MeetingKey): Promise<CallRecord | undefined> {
    const { threadId, joinUrl } = lookupKey(key);
    if (!threadId && !joinUrl) return Promise.resolve(undefined);
    return this.run('findByMeeting', () => {
      const row = this.statement(
        `SELECT * FROM calls WHERE meeting_thread = ? OR meeting_join_url = ?
         ORDER BY created_at DESC, id DESC LIMIT 1`,
      ).get(threadId ?? null, joinUrl ?? null) as Row | undefined;
      return row ? rowToCall(row, DECODE) : undefined;
    });
  }

  joinMeeting(callId: string, participantId: string, at: string): Promise<number> {
    return this.write('joinMeeting', () =>
      this.db
        .transaction(() => {
          this.statement(
            `INSERT INTO meeting_presence (call_id, participant_id, joined_at) VALUES (?, ?, ?)
             ON CONFLICT (call_id, participant_id) DO NOTHING`,
          ).run(callId, participantId, canonicalTime(at));
          const row = this.statement(
            'SELECT COUNT(*) AS n FROM meeting_presence WHERE call_id = ?',
          ).get(callId) as { n: number };
          return Number(row.n);
        })
        .immediate(),
    );
  }

  leaveMeeting(callId: string, participantId: string | undefined): Promise<void> {
    return this.write('leaveMeeting', () => {
      if (participantId === undefined)
        this.statement('DELETE FROM meeting_presence WHERE call_id = ?').run(callId);
      else
        this.statement('DELETE FROM meeting_presence WHERE call_id = ? AND participant_id = ?').run(
          callId,
          participantId,
        );
    });
  }

  /** Rows written before the meeting index: their thread is worked out once (`''`: none). */
  private backfillMeetingThreads(): void {
    const rows = this.db
      .prepare(
        `SELECT id, meeting FROM calls
         WHERE meeting_thread IS NULL AND json_extract(meeting, '$.provider') = 'teams'`,
      )
      .all() as Array<{ id: string; meeting: string }>;
    const update = this.db.prepare('UPDATE calls SET meeting_thread = ? WHERE id = ?');
    for (const row of rows) {
      const thread = meetingThreadOf(JSON.parse(row.meeting) as CallRecord['meeting']);
      update.run(thread ?? '', row.id);
    }
  }

  transition(input: TransitionInput): Promise<TransitionResult> {
    return this.write('transition', () => this.compareAndSet(input));
  }

  private compareAndSet(input: TransitionInput): TransitionResult {
    const assignments = patchColumns(input.patch);
    if (input.to !== undefined) assignments.push(['state', input.to]);
    assignments.push(['updated_at', canonicalTime(input.at)]);
    const guard = input.expectedVersion === undefined ? '' : ' AND version = ?';
    const sql =
      `UPDATE calls SET ${assignments.map(([c]) => `${c} = ?`).join(', ')}, version = version + 1` +
      ` WHERE id = ? AND state IN (${input.expected.map(() => '?').join(', ')})${guard} RETURNING *`;
    const values = [
      ...assignments.map(([, v]) => v),
      input.id,
      ...input.expected,
      ...(input.expectedVersion === undefined ? [] : [input.expectedVersion]),
    ];
    this.transitionTx ??= this.db.transaction(
      (input: TransitionInput, sql: string, values: unknown[]): TransitionResult => {
        // Inside BEGIN IMMEDIATE nobody else writes, so this is exactly the state the UPDATE sees.
        // Only the state: a refused move reads its call again (unchanged), the rare path.
        const prior = this.statement('SELECT state FROM calls WHERE id = ?').get(input.id) as
          { state: string } | undefined;
        const row = this.statement(sql).get(...values) as Row | undefined;
        if (!row) return { ok: false, current: prior && this.selectCall(input.id) };
        const call = rowToCall(row, DECODE);
        const event = this.appendEvent(call.id, input.event, prior?.state, call.state);
        return { ok: true, call, event };
      },
    );
    return this.transitionTx.immediate(input, sql, values);
  }

  events(callId: string): Promise<CallEvent[]> {
    return this.run('events', () =>
      (
        this.statement('SELECT * FROM call_events WHERE call_id = ? ORDER BY seq').all(
          callId,
        ) as Row[]
      ).map((row) => rowToEvent(row, DECODE)),
    );
  }

  eventsSince(afterSeq: number, limit: number): Promise<CallEvent[]> {
    return this.run('eventsSince', () =>
      (
        this.statement('SELECT * FROM call_events WHERE seq > ? ORDER BY seq LIMIT ?').all(
          afterSeq,
          checkLimit(limit),
        ) as Row[]
      ).map((row) => rowToEvent(row, DECODE)),
    );
  }

  due(now: string, waitingClaimedBefore: string, limit: number): Promise<CallRecord[]> {
    const sql = `SELECT * FROM calls
      WHERE (state IN ('scheduled', 'waiting', 'admitted', 'in_call') AND expires_at <= ?)
         OR (state = 'waiting' AND COALESCE(lobby_extended_at, claimed_at, updated_at) <= ?)
      ORDER BY created_at, id LIMIT ?`;
    return this.run('due', () =>
      (
        this.statement(sql).all(
          canonicalTime(now),
          canonicalTime(waitingClaimedBefore),
          checkLimit(limit),
        ) as Row[]
      ).map((row) => rowToCall(row, DECODE)),
    );
  }

  purge(before: string): Promise<number> {
    const doomed = `SELECT id FROM calls WHERE state IN (${TERMINAL_LIST}) AND updated_at < ?`;
    return this.write('purge', () =>
      this.db
        .transaction(() => {
          const cutoff = canonicalTime(before);
          this.statement(`DELETE FROM call_events WHERE call_id IN (${doomed})`).run(cutoff);
          return this.statement(`DELETE FROM calls WHERE id IN (${doomed})`).run(cutoff).changes;
        })
        .immediate(),
    );
  }

  ping(): Promise<boolean> {
    try {
      return Promise.resolve(this.statement('SELECT 1 AS one').get() !== undefined);
    } catch {
      // A closed or broken handle is exactly what ping reports.
      return Promise.resolve(false);
    }
  }

  close(): Promise<void> {
    if (this.db.open) {
      this.writes.flush(true);
      this.db.close();
    }
    this.statements.clear();
    return Promise.resolve();
  }

  private selectCall(id: string): CallRecord | undefined {
    const row = this.statement('SELECT * FROM calls WHERE id = ?').get(id) as Row | undefined;
    return row ? rowToCall(row, DECODE) : undefined;
  }

  /** The store records the states it actually moved between, whatever the caller assumed. */
  private appendEvent(
    callId: string,
    event: NewCallEvent,
    fromState: string | undefined,
    toState: string,
  ): CallEvent {
    const row = this.statement(
      `INSERT INTO call_events (call_id, type, at, actor, from_state, to_state, data)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ).get(
      callId,
      event.type,
      canonicalTime(event.at),
      JSON.stringify(event.actor),
      fromState ?? null,
      toState,
      event.data === undefined ? null : JSON.stringify(event.data),
    ) as Row;
    return rowToEvent(row, DECODE);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A write: runs in the next group commit, answered once committed. */
  private write<T>(what: string, work: () => T): Promise<T> {
    if (!this.db.open) {
      return Promise.reject(
        new AppError('upstream-unavailable', `SQLite ${what}: the store is closed`),
      );
    }
    return this.writes
      .write(work)
      .catch((error: unknown) => Promise.reject(translate(error, `SQLite ${what} failed`)));
  }

  private run<T>(what: string, work: () => T): Promise<T> {
    if (!this.db.open) {
      return Promise.reject(
        new AppError('upstream-unavailable', `SQLite ${what}: the store is closed`),
      );
    }
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(translate(error, `SQLite ${what} failed`));
    }
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new AppError('internal', `Bad limit ${limit}`);
  return limit;
}

const UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
];

/**
 * A better-sqlite3 error, by shape. Not `instanceof`: the native addon keeps the `SqliteError` class
 * (and with it the `Error` of the realm) of the first module instance that opened a database, so in
 * another module registry or VM context (jest runs each test file in its own) `instanceof` is false
 * and a unique-key clash would read as a bug.
 */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string';
}

/** Vendor errors become AppErrors (keeping the cause); AppErrors pass through. */
function translate(error: unknown, message: string): AppError {
  if (isAppError(error)) return error;
  if (isSqliteError(error)) {
    if (
      error.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    ) {
      return new AppError(
        'state-conflict',
        `${message}: a call with this id or code already exists`,
        {
          cause: error,
        },
      );
    }
    if (UNAVAILABLE.some((prefix) => error.code.startsWith(prefix))) {
      return new AppError('upstream-unavailable', message, { cause: error });
    }
  }
  return new AppError('internal', message, { cause: error });
}
