import type { Job, JobEnd, NewJob, Outbox } from '@shared';

type Stored = Job & { leaseUntil?: string | undefined };

const key = (queue: string, id: string) => `${queue}\u0000${id}`;

function strip(stored: Stored): Job {
  const { leaseUntil: _held, ...job } = stored;
  return job;
}

/** The outbox in memory: the SQL adapters' semantics for one process; nothing survives it. */
export class InMemoryOutbox implements Outbox {
  private readonly jobs = new Map<string, Stored>();
  private readonly cursors = new Map<string, number>();

  migrate(): Promise<void> {
    return Promise.resolve();
  }

  cursor(name: string): Promise<number> {
    return Promise.resolve(this.cursors.get(name) ?? 0);
  }

  saveCursor(name: string, seq: number): Promise<void> {
    this.cursors.set(name, Math.max(this.cursors.get(name) ?? 0, seq));
    return Promise.resolve();
  }

  enqueue(queue: string, jobs: readonly NewJob[]): Promise<number> {
    let added = 0;
    for (const j of jobs) {
      if (this.jobs.has(key(queue, j.id))) continue;
      this.jobs.set(key(queue, j.id), {
        ...j,
        queue,
        status: 'pending',
        attempts: 0,
        updatedAt: j.createdAt,
      });
      added += 1;
    }
    return Promise.resolve(added);
  }

  lease(queue: string, now: string, leaseUntil: string, limit: number): Promise<Job[]> {
    const due = [...this.jobs.values()]
      .filter(
        (j) =>
          j.queue === queue &&
          j.status === 'pending' &&
          j.dueAt <= now &&
          (!j.leaseUntil || j.leaseUntil <= now),
      )
      .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const j of due) this.jobs.set(key(queue, j.id), { ...j, leaseUntil });
    return Promise.resolve(due.map(strip));
  }

  complete(queue: string, id: string, status: JobEnd, at: string, error?: string): Promise<void> {
    this.update(queue, id, (j) => ({
      status,
      updatedAt: at,
      lastError: error ?? j.lastError,
    }));
    return Promise.resolve();
  }

  retry(queue: string, id: string, dueAt: string, at: string, error: string): Promise<void> {
    this.update(queue, id, (j) => ({
      attempts: j.attempts + 1,
      dueAt,
      updatedAt: at,
      lastError: error,
    }));
    return Promise.resolve();
  }

  get(queue: string, id: string): Promise<Job | undefined> {
    const j = this.jobs.get(key(queue, id));
    return Promise.resolve(j ? strip(j) : undefined);
  }

  failures(queue: string, owner: string, limit: number): Promise<Job[]> {
    return Promise.resolve(
      [...this.jobs.values()]
        .filter((j) => j.queue === queue && j.owner === owner && j.status === 'failed')
        .sort((a, b) =>
          a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.seq - a.seq,
        )
        .slice(0, limit)
        .map(strip),
    );
  }

  purge(queue: string, before: string): Promise<number> {
    let gone = 0;
    for (const [k, j] of this.jobs) {
      if (j.queue === queue && j.status !== 'pending' && j.updatedAt < before) {
        this.jobs.delete(k);
        gone += 1;
      }
    }
    return Promise.resolve(gone);
  }

  /** A pending job changed and its lease released; a finished one stays as it is. */
  private update(queue: string, id: string, change: (j: Stored) => Partial<Stored>): void {
    const j = this.jobs.get(key(queue, id));
    if (j?.status === 'pending') {
      this.jobs.set(key(queue, id), { ...j, ...change(j), leaseUntil: undefined });
    }
  }
}
