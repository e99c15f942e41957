import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  AppendSignalResult,
  CallRole,
  CallSeat,
  CallSignalStore,
  NewSignal,
  SeatClaim,
  SeatClaimResult,
  SignalMessage,
  StoredSignal,
} from '@shared';
import { AppError, isAppError } from '@shared';
import { canonicalTime } from './call-columns';
import { runSqliteMigrations, type Migration } from './migrations';
import { configureSqlite } from './sqlite-connection';

/** The `call_signals` namespace of `schema_migrations`. Never edit a released step; append one. */
export const SQLITE_CALL_SIGNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'call_seats and call_signals',
    sql: `
CREATE TABLE call_seats (
  call_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
  session_id TEXT NOT NULL,
  joined_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  absent_since TEXT,
  PRIMARY KEY (call_id, role)
);
CREATE INDEX call_seats_heartbeat ON call_seats (heartbeat_at);
CREATE TABLE call_signals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id TEXT NOT NULL,
  from_role TEXT NOT NULL CHECK (from_role IN ('customer', 'agent')),
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  message TEXT NOT NULL CHECK (json_valid(message)),
  at TEXT NOT NULL
);
CREATE INDEX call_signals_read ON call_signals (call_id, from_role, session_id, id);
CREATE INDEX call_signals_session_at ON call_signals (session_id, at);
CREATE INDEX call_signals_at ON call_signals (at);
`,
  },
];

type Row = Record<string, unknown>;

const toSeat = (row: Row): CallSeat => ({
  callId: row['call_id'] as string,
  role: row['role'] as CallRole,
  sessionId: row['session_id'] as string,
  joinedAt: row['joined_at'] as string,
  heartbeatAt: row['heartbeat_at'] as string,
  lastSeq: Number(row['last_seq']),
  absentSince: (row['absent_since'] as string | null) ?? undefined,
});

const toSignal = (row: Row): StoredSignal => ({
  id: Number(row['id']),
  callId: row['call_id'] as string,
  from: row['from_role'] as CallRole,
  sessionId: row['session_id'] as string,
  seq: Number(row['seq']),
  message: JSON.parse(row['message'] as string) as SignalMessage,
  at: row['at'] as string,
});

/**
 * Seats and signalling rows in the embedded SQLite file (its own connection, WAL mode). Every
 * decision is one `BEGIN IMMEDIATE` transaction, so processes sharing the file take turns.
 */
export class SqliteCallSignalStore implements CallSignalStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file);
      configureSqlite(this.db);
    } catch (error) {
      throw new AppError('upstream-unavailable', `Cannot open the SQLite file ${file}`, {
        cause: error,
      });
    }
  }

  migrate(): Promise<void> {
    return this.run('migrate', () => {
      runSqliteMigrations(this.db, 'call_signals', SQLITE_CALL_SIGNAL_MIGRATIONS);
    });
  }

  claimSeat(claim: SeatClaim): Promise<SeatClaimResult> {
    return this.run('claimSeat', () =>
      this.db
        .transaction((): SeatClaimResult => {
          const prior = this.statement(
            'SELECT * FROM call_seats WHERE call_id = ? AND role = ?',
          ).get(claim.callId, claim.role) as Row | undefined;
          const current = prior ? toSeat(prior) : undefined;
          if (
            current &&
            current.sessionId !== claim.resumeSessionId &&
            current.heartbeatAt >= canonicalTime(claim.staleBefore)
          ) {
            return { ok: false, current };
          }
          const at = canonicalTime(claim.at);
          const row = this.statement(
            `INSERT INTO call_seats (call_id, role, session_id, joined_at, heartbeat_at, last_seq, absent_since)
             VALUES (?, ?, ?, ?, ?, 0, NULL)
             ON CONFLICT (call_id, role) DO UPDATE SET session_id = excluded.session_id,
               joined_at = excluded.joined_at, heartbeat_at = excluded.heartbeat_at,
               last_seq = 0, absent_since = NULL
             RETURNING *`,
          ).get(claim.callId, claim.role, claim.sessionId, at, at) as Row;
          if (current) {
            this.statement('DELETE FROM call_signals WHERE call_id = ? AND from_role = ?').run(
              claim.callId,
              claim.role,
            );
          }
          return { ok: true, seat: toSeat(row), replaced: current?.sessionId };
        })
        .immediate(),
    );
  }

  seats(callId: string): Promise<CallSeat[]> {
    return this.run('seats', () =>
      (
        this.statement('SELECT * FROM call_seats WHERE call_id = ? ORDER BY role').all(
          callId,
        ) as Row[]
      ).map(toSeat),
    );
  }

  heartbeat(
    callId: string,
    role: CallRole,
    sessionId: string,
    at: string,
  ): Promise<CallSeat | undefined> {
    return this.run('heartbeat', () =>
      this.db
        .transaction(() => {
          const prior = this.statement(
            'SELECT * FROM call_seats WHERE call_id = ? AND role = ? AND session_id = ?',
          ).get(callId, role, sessionId) as Row | undefined;
          if (!prior) return undefined;
          this.statement(
            'UPDATE call_seats SET heartbeat_at = ?, absent_since = NULL WHERE call_id = ? AND role = ?',
          ).run(canonicalTime(at), callId, role);
          return toSeat(prior);
        })
        .immediate(),
    );
  }

  markAbsent(
    callId: string,
    role: CallRole,
    sessionId: string,
    staleBefore: string,
    at: string,
  ): Promise<boolean> {
    return this.run(
      'markAbsent',
      () =>
        this.statement(
          `UPDATE call_seats SET absent_since = ?
           WHERE call_id = ? AND role = ? AND session_id = ? AND absent_since IS NULL AND heartbeat_at < ?`,
        ).run(canonicalTime(at), callId, role, sessionId, canonicalTime(staleBefore)).changes > 0,
    );
  }

  staleSeats(before: string, limit: number): Promise<CallSeat[]> {
    return this.run('staleSeats', () =>
      (
        this.statement(
          'SELECT * FROM call_seats WHERE heartbeat_at < ? ORDER BY heartbeat_at LIMIT ?',
        ).all(canonicalTime(before), limit) as Row[]
      ).map(toSeat),
    );
  }

  appendSignal(signal: NewSignal): Promise<AppendSignalResult> {
    return this.run('appendSignal', () =>
      this.db
        .transaction((): AppendSignalResult => {
          const seat = this.statement(
            'SELECT last_seq, session_id FROM call_seats WHERE call_id = ? AND role = ?',
          ).get(signal.callId, signal.from) as Row | undefined;
          if (!seat || seat['session_id'] !== signal.sessionId) {
            return { ok: false, reason: 'session-replaced' };
          }
          if (signal.seq <= Number(seat['last_seq'])) return { ok: false, reason: 'out-of-order' };
          const since = canonicalTime(signal.rate.since);
          const recent = this.statement(
            `SELECT at FROM call_signals WHERE session_id = ? AND at >= ?
             ORDER BY id DESC LIMIT 1 OFFSET ?`,
          ).get(signal.sessionId, since, signal.rate.max - 1) as Row | undefined;
          if (recent) {
            const windowMs = Date.parse(signal.at) - Date.parse(since);
            const retryAt = new Date(Date.parse(recent['at'] as string) + windowMs).toISOString();
            return { ok: false, reason: 'rate-limited', retryAt };
          }
          const row = this.statement(
            `INSERT INTO call_signals (call_id, from_role, session_id, seq, message, at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
          ).get(
            signal.callId,
            signal.from,
            signal.sessionId,
            signal.seq,
            JSON.stringify(signal.message),
            canonicalTime(signal.at),
          ) as Row;
          this.statement('UPDATE call_seats SET last_seq = ? WHERE call_id = ? AND role = ?').run(
            signal.seq,
            signal.callId,
            signal.from,
          );
          return { ok: true, signal: toSignal(row) };
        })
        .immediate(),
    );
  }

  signalsAfter(
    callId: string,
    from: CallRole,
    sessionId: string,
    afterId: number,
    limit: number,
  ): Promise<StoredSignal[]> {
    return this.run('signalsAfter', () =>
      (
        this.statement(
          `SELECT * FROM call_signals WHERE call_id = ? AND from_role = ? AND session_id = ? AND id > ?
         ORDER BY id LIMIT ?`,
        ).all(callId, from, sessionId, afterId, limit) as Row[]
      ).map(toSignal),
    );
  }

  deleteCall(callId: string): Promise<void> {
    return this.run('deleteCall', () => {
      this.db
        .transaction(() => {
          this.statement('DELETE FROM call_signals WHERE call_id = ?').run(callId);
          this.statement('DELETE FROM call_seats WHERE call_id = ?').run(callId);
        })
        .immediate();
    });
  }

  callsWithRows(limit: number): Promise<string[]> {
    return this.run('callsWithRows', () =>
      (
        this.statement(
          `SELECT call_id FROM call_seats UNION SELECT call_id FROM call_signals LIMIT ?`,
        ).all(limit) as Row[]
      ).map((row) => row['call_id'] as string),
    );
  }

  purgeSignals(before: string): Promise<number> {
    return this.run(
      'purgeSignals',
      () =>
        this.statement('DELETE FROM call_signals WHERE at < ?').run(canonicalTime(before)).changes,
    );
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    this.statements.clear();
    return Promise.resolve();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run<T>(what: string, work: () => T): Promise<T> {
    if (!this.db.open) {
      return Promise.reject(
        new AppError('upstream-unavailable', `SQLite ${what}: the signal store is closed`),
      );
    }
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (isAppError(error)) return Promise.reject(error);
      const code = (error as { code?: unknown }).code;
      const busy =
        typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)/.test(code);
      return Promise.reject(
        new AppError(busy ? 'upstream-unavailable' : 'internal', `SQLite ${what} failed`, {
          cause: error,
        }),
      );
    }
  }
}
