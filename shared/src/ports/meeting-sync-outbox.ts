import type { MeetingStep } from '../domain/call';
import type { OutboxQueue } from './outbox';

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
 * The meeting steps that follow the calls' moves: the `meeting-sync` queue of the shared
 * {@link OutboxQueue}, with the cursor over the store's event log that feeds it. Leases make a
 * step run in one instance at a time. Every adapter passes
 * `tests/contract/meeting-sync-outbox.contract.ts`.
 */
export type MeetingSyncOutbox = OutboxQueue<
  MeetingSyncEntry,
  NewMeetingSyncEntry,
  MeetingSyncStatus
>;
