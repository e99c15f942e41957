import {
  AppError,
  type Job,
  type JobEnd,
  type JobStatus,
  type NewJob,
  type Outbox,
  type OutboxQueue,
} from '@shared';

/** How a feature's entries are stored as jobs of its queue, and read back. */
export type QueueCodec<Entry, NewEntry, Status extends string> = {
  readonly queue: string;
  readonly toJob: (entry: NewEntry) => NewJob;
  readonly fromJob: (job: Job) => Entry;
  /** The feature's word for a job status (`sent` for a delivered card, `done` for a meeting step). */
  readonly statuses: { readonly [S in JobStatus]: Status };
};

/** What every feature's entry has: its key, its call (the job's group), its event and its times. */
type EntryBase = {
  readonly id: string;
  readonly callId: string;
  readonly seq: number;
  readonly dueAt: string;
  readonly createdAt: string;
};

/** The job fields of a new entry; the codec adds the payload (and the owner). */
export const jobFieldsOf = (e: EntryBase) => ({
  id: e.id,
  group: e.callId,
  seq: e.seq,
  dueAt: e.dueAt,
  createdAt: e.createdAt,
});

/** The entry fields of a job, the status in the feature's words; the codec adds the payload's. */
export function entryFieldsOf<Status extends string>(
  job: Job,
  statuses: { readonly [S in JobStatus]: Status },
) {
  return {
    id: job.id,
    callId: job.group,
    seq: job.seq,
    status: statuses[job.status],
    attempts: job.attempts,
    dueAt: job.dueAt,
    ...(job.lastError ? { lastError: job.lastError } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** An outbox the view may close (the SQL ones hold a connection or a pool). */
type ClosableOutbox = Outbox & { close?(): Promise<void> };

/**
 * One queue of an {@link Outbox} in a feature's terms. A subclass adds what the feature keeps
 * besides (the lobby's sent cards).
 */
export class OutboxQueueView<Entry, NewEntry, Status extends string> implements OutboxQueue<
  Entry,
  NewEntry,
  Status
> {
  /**
   * `migrateEarlier` runs after the outbox's own schema: it moves what an earlier version of the
   * feature stored (its own tables) into the outbox.
   */
  constructor(
    protected readonly outbox: ClosableOutbox,
    protected readonly codec: QueueCodec<Entry, NewEntry, Status>,
    private readonly migrateEarlier: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async migrate(): Promise<void> {
    await this.outbox.migrate();
    await this.migrateEarlier();
  }

  /** Closes the outbox's connection, if it has one of its own. */
  async close(): Promise<void> {
    await this.outbox.close?.();
  }

  cursor(name: string): Promise<number> {
    return this.outbox.cursor(name);
  }

  saveCursor(name: string, seq: number): Promise<void> {
    return this.outbox.saveCursor(name, seq);
  }

  enqueue(entries: readonly NewEntry[]): Promise<number> {
    return this.outbox.enqueue(this.codec.queue, entries.map(this.codec.toJob));
  }

  async lease(now: string, leaseUntil: string, limit: number): Promise<Entry[]> {
    const jobs = await this.outbox.lease(this.codec.queue, now, leaseUntil, limit);
    return jobs.map(this.codec.fromJob);
  }

  complete(
    id: string,
    status: Exclude<Status, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    return this.outbox.complete(this.codec.queue, id, this.jobStatus(status), at, error);
  }

  retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    return this.outbox.retry(this.codec.queue, id, dueAt, at, error);
  }

  async get(id: string): Promise<Entry | undefined> {
    const job = await this.outbox.get(this.codec.queue, id);
    return job && this.codec.fromJob(job);
  }

  purge(before: string): Promise<number> {
    return this.outbox.purge(this.codec.queue, before);
  }

  private jobStatus(status: Exclude<Status, 'pending'>): JobEnd {
    const found = (['done', 'skipped', 'failed'] as const).find(
      (s) => this.codec.statuses[s] === status,
    );
    if (!found)
      throw new AppError('internal', `Queue ${this.codec.queue} has no job status ${status}`);
    return found;
  }
}
