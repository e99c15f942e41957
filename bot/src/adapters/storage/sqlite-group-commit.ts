import type Database from 'better-sqlite3';

/** Writes committed together at most: a flood is cut into slices of this many, one per turn. */
export const MAX_BATCH = 256;

type Pending = {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Group commit for one SQLite connection: the writes asked for in one turn of the event loop run
 * together in one `BEGIN IMMEDIATE` transaction, each in its own savepoint, and are answered once
 * that transaction has committed.
 *
 * Why: a commit writes every page the transaction changed to the WAL, and a link creation changes
 * about twenty (the row, the event, and a leaf of each index). Under load most of those pages are
 * the same for the writes of one turn (the newest leaves of the time-ordered indexes), so one
 * commit for all of them writes each page once. Measured with the server's own schema, 16 creations
 * in one transaction cost about a third of 16 transactions.
 *
 * What stays the same:
 * - Each write is atomic and isolated as before: the writes run one after another, each in a
 *   savepoint, so a write that throws is rolled back alone and rejects alone; the others commit.
 *   A compare-and-set still sees exactly the state its UPDATE changes.
 * - Nothing is answered before it is durable as before: a write's promise settles only after the
 *   commit (a failed commit rejects every write of the batch, and none of them is stored).
 * - No lock is held across turns: the transaction opens and commits inside one synchronous call, so
 *   other connections (the other stores, the checkpointer, another process) wait no longer than
 *   before, and never on this process's event loop.
 *
 * Reads do not go through here: they see what is committed, as before.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private readonly batch: Database.Transaction<(batch: readonly Pending[]) => unknown[]>;
  private readonly savepoint: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(db: Database.Database) {
    // Called inside the batch's transaction, better-sqlite3 runs a transaction function as a
    // savepoint: on a throw, it rolls back to it and rethrows.
    this.savepoint = db.transaction((work: () => unknown) => work());
    this.batch = db.transaction((batch: readonly Pending[]) =>
      batch.map((p) => {
        try {
          return { ok: true, value: this.savepoint(p.work) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /**
   * Runs `work` in the next group commit; settles once it is committed (or has failed, with the
   * error as thrown: the store translates it).
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /**
   * Commits what is waiting now, at most {@link MAX_BATCH} writes; the rest go in the next turn.
   * `all` (before the connection closes) commits everything.
   */
  flush(all = false): void {
    if (all) {
      while (this.pending.length > 0) this.flush();
      return;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending.slice(0, MAX_BATCH);
    this.pending = this.pending.slice(batch.length);
    // A flood of writes is committed in slices, so one turn never holds the event loop long.
    if (this.pending.length > 0) setImmediate(() => this.flush());
    let outcomes: unknown[];
    try {
      outcomes = this.batch.immediate(batch);
    } catch (error) {
      // BEGIN or COMMIT failed (busy, disk full): nothing of the batch is stored.
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i] as { ok: true; value: unknown } | { ok: false; error: unknown };
      if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }
}
