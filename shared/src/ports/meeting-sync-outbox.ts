import type { MeetingStep } from '../domain/call';

/** Where a meeting step stands. `skipped`: nothing to do any more (the call moved on). */
export type MeetingSyncStatus = 'pending' | 'done' | 'skipped' | 'failed';

/** One meeting step to run, stored before any attempt so a restart does not lose it. */
export type MeetingSyncEntry = {
  /** Idempotency key `<callId>:<event seq>:<step>`; enqueueing it twice stores it once. */
  readonly id: string;
  readonly callId: string;
  /** The event that caused the step (the feed's cursor position). */
  readonly seq: number;
  readonly step: MeetingStep;
  readonly status: MeetingSyncStatus;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** Not before this instant (ISO-8601 UTC): the lobby window's end, and retries. */
  readonly dueAt: string;
  /** Why the last attempt failed: a short code (`upstream-unavailable`, `forbidden`), never personal data. */
  readonly lastError?: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** A step to add (status `pending`, no attempts yet). */
export type NewMeetingSyncEntry = Pick<
  MeetingSyncEntry,
  'id' | 'callId' | 'seq' | 'step' | 'dueAt' | 'createdAt'
>;

/**
 * The persisted meeting-sync outbox: the meeting steps that follow the calls' moves, with the
 * cursor over the store's event log that feeds it. Leases make a step run in one instance at a
 * time. Every adapter passes `tests/contract/meeting-sync-outbox.contract.ts`.
 */
export interface MeetingSyncOutbox {
  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** The last event `seq` turned into steps by the feed `name`; 0 when never saved. */
  cursor(name: string): Promise<number>;
  /** Moves the cursor forward (never back). */
  saveCursor(name: string, seq: number): Promise<void>;
  /** Adds entries whose `id` is new; existing ids are left as they are. Resolves how many were added. */
  enqueue(entries: readonly NewMeetingSyncEntry[]): Promise<number>;
  /**
   * Takes up to `limit` pending entries due at `now` that nobody else holds, and holds them until
   * `leaseUntil`. Oldest `seq` first.
   */
  lease(now: string, leaseUntil: string, limit: number): Promise<MeetingSyncEntry[]>;
  /** Ends an entry (`done`, `skipped` or `failed` with a short error code). Releases the lease. */
  complete(
    id: string,
    status: Exclude<MeetingSyncStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void>;
  /** Puts an entry back for another attempt at `dueAt`, counting the failure. Releases the lease. */
  retry(id: string, dueAt: string, at: string, error: string): Promise<void>;
  /** `undefined` for an unknown id. */
  get(id: string): Promise<MeetingSyncEntry | undefined>;
  /** Retention: deletes finished entries last updated before `before`. Resolves how many went. */
  purge(before: string): Promise<number>;
}
