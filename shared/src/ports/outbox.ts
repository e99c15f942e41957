/** Where a job stands. `skipped`: nothing to do any more (the call moved on). */
export type JobStatus = 'pending' | 'done' | 'skipped' | 'failed';

/**
 * One job of a queue, stored before any attempt so a restart does not lose it. The payload is the
 * feature's own (a lobby card's kind and target, a meeting step); the outbox stores it as JSON.
 */
export type Job<P = unknown> = {
  /** The queue (the feature) the job belongs to; ids are unique per queue. */
  readonly queue: string;
  /** Idempotency key, e.g. `<callId>:<event seq>:<what>`; enqueueing it twice stores it once. */
  readonly id: string;
  /** Jobs of one group (the call) run one after another, in `seq` order. */
  readonly group: string;
  /** Whose job it is, for {@link Outbox.failures}; `undefined` when nobody asks. */
  readonly owner?: string | undefined;
  /** The event that caused the job (the feed's cursor position). */
  readonly seq: number;
  readonly payload: P;
  readonly status: JobStatus;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** Not before this instant (ISO-8601 UTC): a later step, and retries. */
  readonly dueAt: string;
  /** Why the last attempt failed: a short code (`http-429`, `forbidden`), never personal data. */
  readonly lastError?: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** A finished job's status. */
export type JobEnd = Exclude<JobStatus, 'pending'>;

/** A job to add (status `pending`, no attempts yet). */
export type NewJob<P = unknown> = Pick<
  Job<P>,
  'id' | 'group' | 'owner' | 'seq' | 'payload' | 'dueAt' | 'createdAt'
>;

/**
 * The persisted outbox every background feature shares (lobby cards, meeting steps): queues of
 * jobs with leases, so a job runs in one instance at a time and a crashed instance's jobs come
 * back when their lease runs out, and the cursors of the feeds that fill them. Every adapter
 * passes `tests/contract/outbox.contract.ts`.
 */
export interface Outbox {
  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** The last event `seq` turned into jobs by the feed `name`; 0 when never saved. */
  cursor(name: string): Promise<number>;
  /** Moves the cursor forward (never back). */
  saveCursor(name: string, seq: number): Promise<void>;
  /** Adds jobs whose id is new to `queue`; existing ids are left as they are. Resolves how many were added. */
  enqueue(queue: string, jobs: readonly NewJob[]): Promise<number>;
  /**
   * Takes up to `limit` pending jobs of `queue` due at `now` that nobody else holds, and holds
   * them until `leaseUntil`. Oldest `seq` first.
   */
  lease(queue: string, now: string, leaseUntil: string, limit: number): Promise<Job[]>;
  /**
   * Ends a pending job (`done`, `skipped`, or `failed` with a short error code) and releases its
   * lease. A finished job is left as it is.
   */
  complete(queue: string, id: string, status: JobEnd, at: string, error?: string): Promise<void>;
  /** Puts a pending job back for another attempt at `dueAt`, counting the failure. Releases the lease. */
  retry(queue: string, id: string, dueAt: string, at: string, error: string): Promise<void>;
  /** `undefined` for an unknown id. */
  get(queue: string, id: string): Promise<Job | undefined>;
  /** The owner's failed jobs of `queue`, newest first, at most `limit`. */
  failures(queue: string, owner: string, limit: number): Promise<Job[]>;
  /** Retention: deletes the finished jobs of `queue` last updated before `before`. Resolves how many went. */
  purge(queue: string, before: string): Promise<number>;
}

/**
 * One queue of the {@link Outbox} in a feature's own terms: its entries, and its names for the
 * statuses. What the feature's worker works with.
 */
export interface OutboxQueue<Entry, NewEntry, Status extends string> {
  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** The last event `seq` turned into entries by the feed `name`; 0 when never saved. */
  cursor(name: string): Promise<number>;
  /** Moves the cursor forward (never back). */
  saveCursor(name: string, seq: number): Promise<void>;
  /** Adds entries whose `id` is new; existing ids are left as they are. Resolves how many were added. */
  enqueue(entries: readonly NewEntry[]): Promise<number>;
  /**
   * Takes up to `limit` pending entries due at `now` that nobody else holds, and holds them until
   * `leaseUntil` (so two instances never run the same entry at once). Oldest `seq` first.
   */
  lease(now: string, leaseUntil: string, limit: number): Promise<Entry[]>;
  /** Ends a pending entry (done, skipped, or failed with a short error code). Releases the lease. */
  complete(
    id: string,
    status: Exclude<Status, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void>;
  /** Puts an entry back for another attempt at `dueAt`, counting the failure. Releases the lease. */
  retry(id: string, dueAt: string, at: string, error: string): Promise<void>;
  /** `undefined` for an unknown id. */
  get(id: string): Promise<Entry | undefined>;
  /** Retention: deletes finished entries last updated before `before`. Resolves how many went. */
  purge(before: string): Promise<number>;
}
