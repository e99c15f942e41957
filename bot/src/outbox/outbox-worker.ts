import type { CallDeps, CallEvent, OutboxQueue } from '@shared';
import { errorFields, type Logger } from '../logger';

/** Pacing and retries of a worker; each feature has its defaults. */
export type OutboxWorkerTuning = {
  /** How often the event log and the due entries are polled when the bus is quiet. */
  readonly pollIntervalMs: number;
  /**
   * After a bus wake-up, how long the worker gathers further changes before its round (0: at
   * once). Each round costs the same few statements and a cursor write however many events it
   * reads, so under load one round takes a batch instead of one round (and one commit) per change.
   */
  readonly wakeDelayMs: number;
  /** Events read, and entries leased, per batch. */
  readonly batchSize: number;
  /** How long a leased entry is held by this process (then another instance may take it over). */
  readonly leaseMs: number;
  /** Attempts before an entry is given up. */
  readonly maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Calls worked on side by side (one call's entries always in order). */
  readonly concurrency: number;
};

/** What the worker needs of an entry: its key, its call (the order group) and its failures so far. */
export type WorkEntry = { readonly id: string; readonly callId: string; readonly attempts: number };

/** A failed attempt as the handler judges it. */
export type AttemptFailure = {
  /** A short code stored with the entry (`http-503`, `upstream-unavailable`); never personal data. */
  readonly reason: string;
  /** Worth another attempt (a 429, a 5xx, no answer), if attempts are left. */
  readonly retryable: boolean;
  /** The upstream's `Retry-After`: the next attempt waits at least this long. */
  readonly retryAfterMs?: number | undefined;
};

/** A finished entry's status; `failed` is every queue's word for an entry given up. */
type Final<Status extends string> = Exclude<Status, 'pending'> | 'failed';

/** What a feature plugs into the worker. `Status`: the feature's words for its entries' statuses. */
export interface OutboxHandler<Entry extends WorkEntry, NewEntry, Status extends string> {
  /** The feed's cursor name over the store's event log. */
  readonly cursor: string;
  /** The entries an event calls for; their ids derive from the event, so reading it twice adds nothing. */
  entriesFor(event: CallEvent): Promise<readonly NewEntry[]> | readonly NewEntry[];
  /**
   * Whether an event on the bus may call for entries, so is worth a round now. The others (most
   * creations and claims, for some features) are read by the next polled round, which moves the
   * cursor past them: a round per event only to do that cost each creation a cursor commit.
   * Absent: every event wakes the worker.
   */
  wakesFor?(event: CallEvent): boolean;
  /** One attempt. Throws on failure (see `judge`). */
  run(entry: Entry): Promise<{ status: Final<Status>; reason?: string | undefined }>;
  judge(error: unknown): AttemptFailure;
  /** Told (to log it) that an entry will be tried again after `waitMs`. */
  willRetry(entry: Entry, failure: AttemptFailure, error: unknown, waitMs: number): void;
  /** Told that an entry was marked failed after `attempts` attempts (to log and record it). */
  gaveUp(entry: Entry, failure: AttemptFailure, error: unknown, attempts: number): Promise<void>;
}

/** What a {@link OutboxWorker} works with. */
export type OutboxWorkerOptions<Entry extends WorkEntry, NewEntry, Status extends string> = {
  readonly deps: Pick<CallDeps, 'store' | 'bus' | 'clock'>;
  readonly queue: OutboxQueue<Entry, NewEntry, Status | 'failed'>;
  readonly handler: OutboxHandler<Entry, NewEntry, Status>;
  readonly logger: Logger;
  /** Names the worker in the log (`lobby notifier round failed`). */
  readonly name: string;
  readonly tuning: OutboxWorkerTuning;
};

/**
 * The loop behind every persisted outbox: neither lost nor doubled. The store's event log, written
 * in the move's own transaction, is the durable source: each round reads the events after a
 * persisted cursor and enqueues the entries they call for (idempotent ids, so an event read twice,
 * or again after a restart, adds nothing), then leases due entries (one instance at a time; a
 * crashed instance's lease runs out and another takes over) and runs them, one call's in order.
 * A failure the handler calls retryable is retried with exponential backoff, never sooner than
 * the upstream's `Retry-After`; after `maxAttempts`, or at once when not retryable, the entry is
 * marked failed and the handler told. The event bus and the timer only wake the loop.
 */
export class OutboxWorker<Entry extends WorkEntry, NewEntry, Status extends string> {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: OutboxWorkerOptions<Entry, NewEntry, Status>) {}

  /** Starts polling and listening to the bus. */
  start(): void {
    if (this.timer) return;
    const { handler } = this.options;
    this.unsubscribe = this.options.deps.bus.subscribe(({ event }) => {
      if (handler.wakesFor?.(event) ?? true) this.wake();
    });
    this.timer = setInterval(() => void this.kick(), this.options.tuning.pollIntervalMs);
    this.timer.unref();
    void this.kick();
  }

  /** Stops the timer and the listener, and waits for the round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.running;
  }

  /** A change on the bus: one round soon, shared with the changes that follow within `wakeDelayMs`. */
  private wake(): void {
    if (this.options.tuning.wakeDelayMs <= 0) {
      void this.kick();
      return;
    }
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      void this.kick();
    }, this.options.tuning.wakeDelayMs);
  }

  /** Runs a round now (or right after the one in progress) and resolves when it is done. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async round(): Promise<void> {
    try {
      await this.ingest();
      while ((await this.runDue()) === this.options.tuning.batchSize) {
        // A full batch: there may be more due right now.
      }
    } catch (error) {
      // The database did not answer: the next round (timer or bus) tries again.
      this.options.logger.error(`${this.options.name} round failed`, errorFields(error));
    }
  }

  /** Turns new events into entries and advances the cursor. Resolves how many were added. */
  async ingest(): Promise<number> {
    const { queue, deps, handler, tuning } = this.options;
    let cursor = await queue.cursor(handler.cursor);
    let added = 0;
    for (;;) {
      const events = await deps.store.eventsSince(cursor, tuning.batchSize);
      if (events.length === 0) return added;
      const entries: NewEntry[] = [];
      for (const event of events) entries.push(...(await handler.entriesFor(event)));
      // Most events (creation, the link's later moves before a claim) call for no entry.
      if (entries.length > 0) added += await queue.enqueue(entries);
      cursor = events[events.length - 1]!.seq;
      await queue.saveCursor(handler.cursor, cursor);
      if (events.length < tuning.batchSize) return added;
    }
  }

  /** Runs one batch of due entries. Resolves how many were leased. */
  async runDue(): Promise<number> {
    const { queue, deps, tuning } = this.options;
    const now = deps.clock.now();
    const leased = await queue.lease(
      now.toISOString(),
      new Date(now.getTime() + tuning.leaseMs).toISOString(),
      tuning.batchSize,
    );
    const byCall = new Map<string, Entry[]>();
    for (const entry of leased)
      byCall.set(entry.callId, [...(byCall.get(entry.callId) ?? []), entry]);
    const groups = [...byCall.values()];
    const workers = Array.from(
      { length: Math.min(tuning.concurrency, groups.length) },
      async () => {
        for (let group = groups.shift(); group; group = groups.shift()) {
          for (const entry of group) await this.attempt(entry);
        }
      },
    );
    await Promise.all(workers);
    return leased.length;
  }

  private async attempt(entry: Entry): Promise<void> {
    const { queue, deps, handler, tuning } = this.options;
    try {
      const outcome = await handler.run(entry);
      await queue.complete(
        entry.id,
        outcome.status,
        deps.clock.now().toISOString(),
        outcome.reason,
      );
    } catch (error) {
      const at = deps.clock.now();
      const failure = handler.judge(error);
      const attempts = entry.attempts + 1;
      if (failure.retryable && attempts < tuning.maxAttempts) {
        const backoff = Math.min(tuning.backoffMaxMs, tuning.backoffBaseMs * 2 ** entry.attempts);
        const waitMs = Math.max(failure.retryAfterMs ?? 0, backoff);
        await queue.retry(
          entry.id,
          new Date(at.getTime() + waitMs).toISOString(),
          at.toISOString(),
          failure.reason,
        );
        handler.willRetry(entry, failure, error, waitMs);
        return;
      }
      await queue.complete(entry.id, 'failed', at.toISOString(), failure.reason);
      await handler.gaveUp(entry, failure, error, attempts);
    }
  }
}
