import type { AadObjectId, CallEvent, CallRecord, CallState, NewCallEvent } from '../domain/call';
import type { MeetingKey } from '../domain/meeting-key';

/** Fields a transition may set. `undefined` leaves a field as it is; `null` clears it. */
export type CallPatch = {
  readonly [
    K in keyof CallRecord as K extends
      'id' | 'codeHash' | 'state' | 'version' | 'createdAt' | 'updatedAt'
      ? never
      : K
  ]?: CallRecord[K] | null;
};

/** One atomic compare-and-set on a call, with the event that explains it. */
export type TransitionInput = {
  readonly id: string;
  /** The move happens only if the stored state is one of these (`UPDATE … WHERE state IN …`). */
  readonly expected: readonly CallState[];
  /** When set, the move also requires this stored `version` (guards non-state changes). */
  readonly expectedVersion?: number | undefined;
  /** The new state; `undefined` keeps the state (the version still grows). */
  readonly to: CallState | undefined;
  readonly patch?: CallPatch | undefined;
  /** Appended to the log in the same transaction; its `toState` must equal the resulting state. */
  readonly event: NewCallEvent;
  /** The time of the change (becomes `updatedAt`). */
  readonly at: string;
};

/** The outcome of a transition: the winner gets the new record; the loser sees the current one. */
export type TransitionResult =
  | { readonly ok: true; readonly call: CallRecord; readonly event: CallEvent }
  | { readonly ok: false; readonly current: CallRecord | undefined };

/** Which calls to list. All given conditions must hold; `undefined` means any. */
export type CallQuery = {
  /** Calls owned by this agent (and not only shared with a team). */
  readonly agentId?: AadObjectId | undefined;
  /** Calls of this team. */
  readonly teamId?: string | undefined;
  readonly states?: readonly CallState[] | undefined;
  /** Newest first, at most this many. @default 100 */
  readonly limit?: number | undefined;
};

/**
 * Calls, their event log and the atomic moves between states. Every adapter passes
 * `tests/contract/call-store.contract.ts`.
 */
export interface CallStore {
  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** Stores a new call (state `scheduled`) and its `created` event in one transaction. */
  insert(call: CallRecord, event: NewCallEvent): Promise<CallEvent>;
  /** `undefined` for an unknown id. */
  get(id: string): Promise<CallRecord | undefined>;
  /** `undefined` when no call has this code hash. */
  getByCodeHash(codeHash: string): Promise<CallRecord | undefined>;
  list(query: CallQuery): Promise<CallRecord[]>;
  /**
   * The call whose Teams meeting `key` names (by its meeting chat thread, from any part of the key,
   * or by its exact join URL), newest first; `undefined` when none. Indexed: one meeting event costs
   * one lookup, however many calls are open.
   */
  findByMeeting(key: MeetingKey): Promise<CallRecord | undefined>;
  /**
   * Records that `participantId` is in the meeting of call `callId` (idempotent), and resolves how
   * many participants are recorded present. Kept in the store, so every instance sees the same room.
   */
  joinMeeting(callId: string, participantId: string, at: string): Promise<number>;
  /** Forgets one participant of the call's meeting, or everybody when `participantId` is `undefined`. */
  leaveMeeting(callId: string, participantId: string | undefined): Promise<void>;
  /**
   * The atomic compare-and-set. Of any number of concurrent transitions on one call from the same
   * expected state, exactly one gets `ok: true`.
   */
  transition(input: TransitionInput): Promise<TransitionResult>;
  /** A call's events, oldest first. */
  events(callId: string): Promise<CallEvent[]>;
  /** Events of all calls with `seq` greater than `afterSeq`, oldest first (the outbox feed). */
  eventsSince(afterSeq: number, limit: number): Promise<CallEvent[]>;
  /**
   * Calls that a sweeper should look at: `scheduled`, `waiting`, `admitted`, `in_call` with
   * `expiresAt <= now`, and `waiting` whose wait started (`lobbyExtendedAt`, else `claimedAt`) at or
   * before `waitingClaimedBefore`. Oldest first.
   */
  due(now: string, waitingClaimedBefore: string, limit: number): Promise<CallRecord[]>;
  /**
   * Deletes terminal calls (and their events) last updated before `before`. Returns how many calls.
   * Personal data retention.
   */
  purge(before: string): Promise<number>;
  /** True when the store answers (for `/readyz`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
