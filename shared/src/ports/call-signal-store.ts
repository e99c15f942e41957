import type { CallRole, SignalMessage } from '../contracts/call-signal';

/** One side's place in a browser call: the tab (session) that holds it and when it was last seen. */
export type CallSeat = {
  readonly callId: string;
  readonly role: CallRole;
  /** The session that holds the seat now. */
  readonly sessionId: string;
  /** When this session took the seat (ISO-8601). */
  readonly joinedAt: string;
  /** The session's last heartbeat (ISO-8601); taking the seat counts as one. */
  readonly heartbeatAt: string;
  /** The highest `seq` this session sent; 0 before its first message. */
  readonly lastSeq: number;
  /** When the other side was told that this seat went absent (stale); `undefined` while present. */
  readonly absentSince: string | undefined;
};

/** What {@link CallSignalStore.claimSeat} needs. */
export type SeatClaim = {
  readonly callId: string;
  readonly role: CallRole;
  /** The fresh session id to put on the seat. */
  readonly sessionId: string;
  /** The session the tab had before a reload: it may take its own seat back at once. */
  readonly resumeSessionId: string | undefined;
  readonly at: string;
  /** A seat whose heartbeat is older than this instant is stale and may be taken. */
  readonly staleBefore: string;
};

/**
 * The outcome of a seat claim. `ok: false`: a live session holds the seat (`current`). `replaced`:
 * the session that held the seat before (its messages are dropped), `undefined` for an empty seat.
 */
export type SeatClaimResult =
  | { readonly ok: true; readonly seat: CallSeat; readonly replaced: string | undefined }
  | { readonly ok: false; readonly current: CallSeat };

/** A stored signalling message. `id` grows across the store: the receiving side's cursor. */
export type StoredSignal = {
  readonly id: number;
  readonly callId: string;
  readonly from: CallRole;
  readonly sessionId: string;
  readonly seq: number;
  readonly message: SignalMessage;
  readonly at: string;
};

/** A message about to be stored, with the cap the store checks atomically with the append. */
export type NewSignal = {
  readonly callId: string;
  readonly from: CallRole;
  readonly sessionId: string;
  readonly seq: number;
  readonly message: SignalMessage;
  readonly at: string;
  /** At most `max` messages of this session stored at or after `since`. */
  readonly rate: { readonly max: number; readonly since: string };
};

/**
 * The outcome of an append. Refusals store nothing: `session-replaced` (the seat belongs to another
 * session, or to nobody), `out-of-order` (`seq` ≤ the session's last), `rate-limited` (with the
 * instant from which one more message fits).
 */
export type AppendSignalResult =
  | { readonly ok: true; readonly signal: StoredSignal }
  | { readonly ok: false; readonly reason: 'session-replaced' | 'out-of-order' }
  | { readonly ok: false; readonly reason: 'rate-limited'; readonly retryAt: string };

/**
 * Seats and short-lived signalling rows of browser calls. Every decision that two instances could
 * race on (taking a stale seat, the next `seq`, the rate cap) is one atomic step of the store.
 */
export interface CallSignalStore {
  /** Creates or upgrades the tables (own migration namespace). Idempotent. */
  migrate(): Promise<void>;
  /**
   * Puts `sessionId` on the role's seat when it is empty, stale, or held by `resumeSessionId`.
   * Of two claims racing for one stale seat exactly one wins. A replaced session's rows are deleted.
   */
  claimSeat(claim: SeatClaim): Promise<SeatClaimResult>;
  /** The call's seats (zero, one or two). */
  seats(callId: string): Promise<CallSeat[]>;
  /**
   * Records a heartbeat of the seat's session and clears `absentSince`. Resolves the seat as it was
   * before (so the caller sees whether it had been announced absent), or `undefined` when the seat
   * is not held by `sessionId`.
   */
  heartbeat(
    callId: string,
    role: CallRole,
    sessionId: string,
    at: string,
  ): Promise<CallSeat | undefined>;
  /**
   * Sets `absentSince` when the seat is still held by `sessionId`, its heartbeat is older than
   * `staleBefore` and nobody announced it yet. True when this call set it (announce once).
   */
  markAbsent(
    callId: string,
    role: CallRole,
    sessionId: string,
    staleBefore: string,
    at: string,
  ): Promise<boolean>;
  /** Seats whose heartbeat is older than `before`, oldest first, across calls. */
  staleSeats(before: string, limit: number): Promise<CallSeat[]>;
  /** Stores a message of the seat's current session, if `seq` and the rate cap allow. */
  appendSignal(signal: NewSignal): Promise<AppendSignalResult>;
  /** Messages of `from`'s session `sessionId` with an id above `afterId`, in id order. */
  signalsAfter(
    callId: string,
    from: CallRole,
    sessionId: string,
    afterId: number,
    limit: number,
  ): Promise<StoredSignal[]>;
  /** Deletes the call's seats and messages (the call reached a terminal state). */
  deleteCall(callId: string): Promise<void>;
  /** Ids of the calls that still have seats or messages, so the sweeper can check them. */
  callsWithRows(limit: number): Promise<string[]>;
  /** Deletes messages stored before `before`. Resolves how many. */
  purgeSignals(before: string): Promise<number>;
  /** Releases connections the store opened. */
  close(): Promise<void>;
}
