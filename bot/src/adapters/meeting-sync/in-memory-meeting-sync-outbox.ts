import type {
  MeetingSyncEntry,
  MeetingSyncOutbox,
  MeetingSyncStatus,
  NewMeetingSyncEntry,
} from '@shared';

type Stored = MeetingSyncEntry & { leaseUntil?: string | undefined };

/** The meeting-sync outbox in memory (one process; unit tests and embedded runs). */
export class InMemoryMeetingSyncOutbox implements MeetingSyncOutbox {
  private readonly entries = new Map<string, Stored>();
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

  enqueue(entries: readonly NewMeetingSyncEntry[]): Promise<number> {
    let added = 0;
    for (const e of entries) {
      if (this.entries.has(e.id)) continue;
      this.entries.set(e.id, {
        ...e,
        status: 'pending',
        attempts: 0,
        updatedAt: e.createdAt,
      });
      added += 1;
    }
    return Promise.resolve(added);
  }

  lease(now: string, leaseUntil: string, limit: number): Promise<MeetingSyncEntry[]> {
    const due = [...this.entries.values()]
      .filter(
        (e) => e.status === 'pending' && e.dueAt <= now && (!e.leaseUntil || e.leaseUntil <= now),
      )
      .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const e of due) this.entries.set(e.id, { ...e, leaseUntil });
    return Promise.resolve(due.map(({ leaseUntil: _held, ...entry }) => entry));
  }

  complete(
    id: string,
    status: Exclude<MeetingSyncStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    const e = this.entries.get(id);
    if (e?.status === 'pending') {
      this.entries.set(id, {
        ...e,
        status,
        leaseUntil: undefined,
        updatedAt: at,
        ...(error ? { lastError: error } : {}),
      });
    }
    return Promise.resolve();
  }

  retry(id: string, dueAt: string, at: string, error: string): Promise<void> {
    const e = this.entries.get(id);
    if (e?.status === 'pending') {
      this.entries.set(id, {
        ...e,
        attempts: e.attempts + 1,
        dueAt,
        leaseUntil: undefined,
        lastError: error,
        updatedAt: at,
      });
    }
    return Promise.resolve();
  }

  get(id: string): Promise<MeetingSyncEntry | undefined> {
    const e = this.entries.get(id);
    if (!e) return Promise.resolve(undefined);
    const { leaseUntil: _held, ...entry } = e;
    return Promise.resolve(entry);
  }

  purge(before: string): Promise<number> {
    let gone = 0;
    for (const [id, e] of this.entries) {
      if (e.status !== 'pending' && e.updatedAt < before) {
        this.entries.delete(id);
        gone += 1;
      }
    }
    return Promise.resolve(gone);
  }
}
