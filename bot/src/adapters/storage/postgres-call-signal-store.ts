import type { Pool, PoolClient } from 'pg';
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
import { canonicalTime } from './call-columns';
import { runPostgresMigrations, type Migration } from './migrations';
import { createPostgresPool, translatePgError } from './postgres-pool';

/** The `call_signals` namespace of `schema_migrations`. Never edit a released step; append one. */
export const POSTGRES_CALL_SIGNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'call_seats and call_signals',
    sql: `
CREATE TABLE call_seats (
  call_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
  session_id TEXT NOT NULL,
  joined_at TIMESTAMPTZ NOT NULL,
  heartbeat_at TIMESTAMPTZ NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0,
  absent_since TIMESTAMPTZ,
  PRIMARY KEY (call_id, role)
);
CREATE INDEX call_seats_heartbeat ON call_seats (heartbeat_at);
CREATE TABLE call_signals (
  id BIGSERIAL PRIMARY KEY,
  call_id TEXT NOT NULL,
  from_role TEXT NOT NULL CHECK (from_role IN ('customer', 'agent')),
  session_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  message JSONB NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX call_signals_read ON call_signals (call_id, from_role, session_id, id);
CREATE INDEX call_signals_session_at ON call_signals (session_id, at);
CREATE INDEX call_signals_at ON call_signals (at);
`,
  },
];

/** Options of {@link PostgresCallSignalStore}. */
export type PostgresCallSignalStoreOptions = {
  /** Schema for the tables (created when missing); a borrowed pool's `search_path` must name it. */
  readonly schema?: string | undefined;
  /** Most connections of an owned pool. @default 4 */
  readonly max?: number | undefined;
};

type Row = Record<string, unknown>;

const time = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : canonicalTime(String(value));

const toSeat = (row: Row): CallSeat => ({
  callId: row['call_id'] as string,
  role: row['role'] as CallRole,
  sessionId: row['session_id'] as string,
  joinedAt: time(row['joined_at']),
  heartbeatAt: time(row['heartbeat_at']),
  lastSeq: Number(row['last_seq']),
  absentSince: row['absent_since'] == null ? undefined : time(row['absent_since']),
});

const toSignal = (row: Row): StoredSignal => ({
  id: Number(row['id']),
  callId: row['call_id'] as string,
  from: row['from_role'] as CallRole,
  sessionId: row['session_id'] as string,
  seq: Number(row['seq']),
  message: JSON.parse(row['message'] as string) as SignalMessage,
  at: time(row['at']),
});

const SIGNAL_COLUMNS = 'id, call_id, from_role, session_id, seq, message::text AS message, at';

/**
 * Seats and signalling rows in PostgreSQL, shared by every instance. Decisions that instances race
 * on lock the seat's row (`FOR UPDATE`) for one short transaction.
 */
export class PostgresCallSignalStore implements CallSignalStore {
  private readonly pool: Pool;
  private readonly owned: boolean;

  /** `connectionString` opens a pool this store closes; a `Pool` is borrowed and left open. */
  constructor(
    source: string | Pool,
    private readonly options: PostgresCallSignalStoreOptions = {},
  ) {
    this.owned = typeof source === 'string';
    this.pool =
      typeof source === 'string'
        ? createPostgresPool(source, {
            schema: options.schema,
            max: options.max ?? 4,
            applicationName: 'one-time-call-signals',
          })
        : source;
  }

  async migrate(): Promise<void> {
    try {
      await runPostgresMigrations(this.pool, 'call_signals', POSTGRES_CALL_SIGNAL_MIGRATIONS, {
        schema: this.options.schema,
      });
    } catch (error) {
      throw translatePgError(error, 'Migrating the signal store failed');
    }
  }

  claimSeat(claim: SeatClaim): Promise<SeatClaimResult> {
    return this.transaction('claimSeat', async (client) => {
      const at = canonicalTime(claim.at);
      const inserted = await client.query<Row>(
        `INSERT INTO call_seats (call_id, role, session_id, joined_at, heartbeat_at)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (call_id, role) DO NOTHING RETURNING *`,
        [claim.callId, claim.role, claim.sessionId, at],
      );
      if (inserted.rows[0])
        return { ok: true, seat: toSeat(inserted.rows[0]), replaced: undefined };
      // The row exists: lock it, so of two claims for a stale seat the second sees the first's result.
      const prior = await client.query<Row>(
        'SELECT * FROM call_seats WHERE call_id = $1 AND role = $2 FOR UPDATE',
        [claim.callId, claim.role],
      );
      const current = toSeat(prior.rows[0] as Row);
      if (
        current.sessionId !== claim.resumeSessionId &&
        current.heartbeatAt >= canonicalTime(claim.staleBefore)
      ) {
        return { ok: false, current };
      }
      const updated = await client.query<Row>(
        `UPDATE call_seats SET session_id = $3, joined_at = $4, heartbeat_at = $4, last_seq = 0,
           absent_since = NULL WHERE call_id = $1 AND role = $2 RETURNING *`,
        [claim.callId, claim.role, claim.sessionId, at],
      );
      await client.query('DELETE FROM call_signals WHERE call_id = $1 AND from_role = $2', [
        claim.callId,
        claim.role,
      ]);
      return { ok: true, seat: toSeat(updated.rows[0] as Row), replaced: current.sessionId };
    });
  }

  async seats(callId: string): Promise<CallSeat[]> {
    const { rows } = await this.query<Row>(
      'seats',
      'SELECT * FROM call_seats WHERE call_id = $1 ORDER BY role',
      [callId],
    );
    return rows.map(toSeat);
  }

  heartbeat(
    callId: string,
    role: CallRole,
    sessionId: string,
    at: string,
  ): Promise<CallSeat | undefined> {
    return this.transaction('heartbeat', async (client) => {
      const prior = await client.query<Row>(
        'SELECT * FROM call_seats WHERE call_id = $1 AND role = $2 AND session_id = $3 FOR UPDATE',
        [callId, role, sessionId],
      );
      if (!prior.rows[0]) return undefined;
      await client.query(
        'UPDATE call_seats SET heartbeat_at = $3, absent_since = NULL WHERE call_id = $1 AND role = $2',
        [callId, role, canonicalTime(at)],
      );
      return toSeat(prior.rows[0]);
    });
  }

  async markAbsent(
    callId: string,
    role: CallRole,
    sessionId: string,
    staleBefore: string,
    at: string,
  ): Promise<boolean> {
    const result = await this.query(
      'markAbsent',
      `UPDATE call_seats SET absent_since = $5
       WHERE call_id = $1 AND role = $2 AND session_id = $3 AND absent_since IS NULL AND heartbeat_at < $4`,
      [callId, role, sessionId, canonicalTime(staleBefore), canonicalTime(at)],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async staleSeats(before: string, limit: number): Promise<CallSeat[]> {
    const { rows } = await this.query<Row>(
      'staleSeats',
      'SELECT * FROM call_seats WHERE heartbeat_at < $1 ORDER BY heartbeat_at LIMIT $2',
      [canonicalTime(before), limit],
    );
    return rows.map(toSeat);
  }

  appendSignal(signal: NewSignal): Promise<AppendSignalResult> {
    return this.transaction('appendSignal', async (client): Promise<AppendSignalResult> => {
      const seat = await client.query<Row>(
        'SELECT session_id, last_seq FROM call_seats WHERE call_id = $1 AND role = $2 FOR UPDATE',
        [signal.callId, signal.from],
      );
      const row = seat.rows[0];
      if (!row || row['session_id'] !== signal.sessionId) {
        return { ok: false, reason: 'session-replaced' };
      }
      if (signal.seq <= Number(row['last_seq'])) return { ok: false, reason: 'out-of-order' };
      const since = canonicalTime(signal.rate.since);
      const recent = await client.query<Row>(
        `SELECT at FROM call_signals WHERE session_id = $1 AND at >= $2
         ORDER BY id DESC LIMIT 1 OFFSET $3`,
        [signal.sessionId, since, signal.rate.max - 1],
      );
      if (recent.rows[0]) {
        const windowMs = Date.parse(signal.at) - Date.parse(since);
        const retryAt = new Date(Date.parse(time(recent.rows[0]['at'])) + windowMs).toISOString();
        return { ok: false, reason: 'rate-limited', retryAt };
      }
      const inserted = await client.query<Row>(
        `INSERT INTO call_signals (call_id, from_role, session_id, seq, message, at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING ${SIGNAL_COLUMNS}`,
        [
          signal.callId,
          signal.from,
          signal.sessionId,
          signal.seq,
          JSON.stringify(signal.message),
          canonicalTime(signal.at),
        ],
      );
      await client.query('UPDATE call_seats SET last_seq = $3 WHERE call_id = $1 AND role = $2', [
        signal.callId,
        signal.from,
        signal.seq,
      ]);
      return { ok: true, signal: toSignal(inserted.rows[0] as Row) };
    });
  }

  async signalsAfter(
    callId: string,
    from: CallRole,
    sessionId: string,
    afterId: number,
    limit: number,
  ): Promise<StoredSignal[]> {
    const { rows } = await this.query<Row>(
      'signalsAfter',
      `SELECT ${SIGNAL_COLUMNS} FROM call_signals
       WHERE call_id = $1 AND from_role = $2 AND session_id = $3 AND id > $4 ORDER BY id LIMIT $5`,
      [callId, from, sessionId, afterId, limit],
    );
    return rows.map(toSignal);
  }

  async deleteCall(callId: string): Promise<void> {
    await this.transaction('deleteCall', async (client) => {
      await client.query('DELETE FROM call_signals WHERE call_id = $1', [callId]);
      await client.query('DELETE FROM call_seats WHERE call_id = $1', [callId]);
    });
  }

  async callsWithRows(limit: number): Promise<string[]> {
    const { rows } = await this.query<{ call_id: string }>(
      'callsWithRows',
      'SELECT call_id FROM call_seats UNION SELECT call_id FROM call_signals LIMIT $1',
      [limit],
    );
    return rows.map((r) => r.call_id);
  }

  async purgeSignals(before: string): Promise<number> {
    const result = await this.query('purgeSignals', 'DELETE FROM call_signals WHERE at < $1', [
      canonicalTime(before),
    ]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }

  private async query<T extends Row>(what: string, sql: string, values: unknown[]) {
    try {
      return await this.pool.query<T>(sql, values);
    } catch (error) {
      throw translatePgError(error, `PostgreSQL ${what} failed`);
    }
  }

  private async transaction<T>(what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translatePgError(error, `PostgreSQL ${what} failed`);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined); // the connection may be gone already
      throw translatePgError(error, `PostgreSQL ${what} failed`);
    } finally {
      client.release();
    }
  }
}
