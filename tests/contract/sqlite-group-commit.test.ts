import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configureSqlite } from '../../bot/src/adapters/storage/sqlite-connection';
import { GroupCommit, MAX_BATCH } from '../../bot/src/adapters/storage/sqlite-group-commit';

// Group commit on a real SQLite file, watched from a second connection as another process sees it.

const dir = mkdtempSync(path.join(tmpdir(), 'otc-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function open(): { db: Database.Database; other: Database.Database; writes: GroupCommit } {
  files += 1;
  const file = path.join(dir, `g-${files}.sqlite`);
  const db = new Database(file);
  configureSqlite(db);
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))');
  const other = new Database(file);
  configureSqlite(other, 0);
  return { db, other, writes: new GroupCommit(db) };
}

const insert = (db: Database.Database, k: string, v: number) => () =>
  db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v).changes;
const keys = (db: Database.Database) =>
  (db.prepare('SELECT k FROM t ORDER BY k').all() as Array<{ k: string }>).map((r) => r.k);

describe('GroupCommit', () => {
  it('commits the writes of one turn in one transaction, and answers only after it', async () => {
    const { db, other, writes } = open();
    const answers = [writes.write(insert(db, 'a', 1)), writes.write(insert(db, 'b', 2))];
    // Nothing runs before the turn ends: another connection sees nothing yet.
    expect(keys(other)).toEqual([]);
    const seenAtAnswer = await answers[0]!.then(() => keys(other));
    expect(seenAtAnswer).toEqual(['a', 'b']);
    await expect(Promise.all(answers)).resolves.toEqual([1, 1]);
    // One commit: the other connection's data_version moved once for both rows.
    const version = other.prepare('PRAGMA data_version').pluck();
    const v1 = version.get() as number;
    await Promise.all([writes.write(insert(db, 'c', 3)), writes.write(insert(db, 'd', 4))]);
    expect((version.get() as number) - v1).toBe(1);
    db.close();
    other.close();
  });

  it('rolls back a failing write alone; the others of its turn commit', async () => {
    const { db, other, writes } = open();
    const results = await Promise.allSettled([
      writes.write(insert(db, 'a', 1)),
      writes.write(() => {
        insert(db, 'half', 1)();
        return insert(db, 'bad', -1)(); // the CHECK fails: 'half' must go too
      }),
      writes.write(insert(db, 'a', 9)), // a duplicate key
      writes.write(insert(db, 'b', 2)),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SQLITE_CONSTRAINT_CHECK',
    });
    expect(keys(other)).toEqual(['a', 'b']);
    db.close();
    other.close();
  });

  it('rejects every write of a turn whose transaction cannot start, and stores none', async () => {
    const { db, other, writes } = open();
    configureSqlite(db, 0); // no waiting for the lock, so the test is quick
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    const results = await Promise.allSettled([
      writes.write(insert(db, 'a', 1)),
      writes.write(insert(db, 'b', 2)),
    ]);
    other.exec('ROLLBACK');
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(keys(other)).toEqual([]);
    // The next turn works again.
    await expect(writes.write(insert(db, 'c', 3))).resolves.toBe(1);
    expect(keys(other)).toEqual(['c']);
    db.close();
    other.close();
  });

  it('commits what waits when flushed before the connection closes', async () => {
    const { db, other, writes } = open();
    const answer = writes.write(insert(db, 'a', 1));
    writes.flush();
    db.close();
    await expect(answer).resolves.toBe(1);
    expect(keys(other)).toEqual(['a']);
    other.close();
  });

  it('cuts a flood into slices of MAX_BATCH, one commit per turn; close commits the rest at once', async () => {
    const { db, other, writes } = open();
    const flood = Array.from({ length: MAX_BATCH * 2 + 10 }, (_, i) =>
      writes.write(insert(db, `k${i}`, i)),
    );
    // Each slice is answered right after its commit, before the next slice runs.
    await flood[0];
    expect(keys(other)).toHaveLength(MAX_BATCH);
    await flood[MAX_BATCH];
    expect(keys(other)).toHaveLength(MAX_BATCH * 2);
    await Promise.all(flood);
    expect(keys(other)).toHaveLength(MAX_BATCH * 2 + 10);

    const rest = Array.from({ length: MAX_BATCH + 1 }, (_, i) =>
      writes.write(insert(db, `r${i}`, i)),
    );
    writes.flush(true);
    db.close();
    await expect(Promise.all(rest)).resolves.toHaveLength(MAX_BATCH + 1);
    expect(keys(other)).toHaveLength(MAX_BATCH * 3 + 11);
    other.close();
  });

  it('runs a turn of writes in the order they were asked for', async () => {
    const { db, other, writes } = open();
    const order: string[] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((k) =>
        writes.write(() => {
          order.push(k);
          return insert(db, k, order.length)();
        }),
      ),
    );
    expect(order).toEqual(['x', 'y', 'z']);
    expect(other.prepare('SELECT v FROM t ORDER BY k').pluck().all()).toEqual([1, 2, 3]);
    db.close();
    other.close();
  });
});
