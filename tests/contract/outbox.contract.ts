import type { NewJob, Outbox } from '@shared';

/** One fresh outbox for one test, another handle on the same data (another instance), the clean-up. */
export type OutboxHarness = {
  readonly outbox: Outbox;
  readonly connect: () => Promise<Outbox>;
  readonly cleanup: () => Promise<void>;
};

const T = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds)).toISOString();

const aJob = (overrides: Partial<NewJob> = {}): NewJob => ({
  id: 'call-1:2:x',
  group: 'call-1',
  seq: 2,
  payload: { what: 'x', nested: { n: 1 } },
  dueAt: T(0),
  createdAt: T(0),
  ...overrides,
});

const ids = (jobs: readonly { id: string }[]) => jobs.map((j) => j.id);

/**
 * The behaviour every {@link Outbox} adapter shows, whatever the queue carries. The features'
 * own suites (`conversation-outbox.contract.ts`, `meeting-sync-outbox.contract.ts`) run on top.
 */
export function outboxContract(name: string, create: () => Promise<OutboxHarness>): void {
  describe(`Outbox contract: ${name}`, () => {
    let h: OutboxHarness;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(() => h.cleanup());

    it('stores a job once per queue, with its payload, owner and times', async () => {
      expect(await h.outbox.enqueue('a', [aJob(), aJob({ payload: 'other' })])).toBe(1);
      expect(await h.outbox.enqueue('b', [aJob({ owner: 'agent-1' })])).toBe(1);
      expect(await h.outbox.get('a', 'call-1:2:x')).toEqual({
        ...aJob(),
        queue: 'a',
        status: 'pending',
        attempts: 0,
        updatedAt: T(0),
      });
      expect(await h.outbox.get('b', 'call-1:2:x')).toMatchObject({ owner: 'agent-1' });
      expect(await h.outbox.get('c', 'call-1:2:x')).toBeUndefined();
      expect(await h.outbox.enqueue('a', [])).toBe(0);
    });

    it('keeps each feed’s cursor apart, forward only, for every instance', async () => {
      await h.outbox.saveCursor('one', 5);
      await h.outbox.saveCursor('one', 4);
      await h.outbox.saveCursor('two', 9);
      const other = await h.connect();
      expect([
        await other.cursor('one'),
        await other.cursor('two'),
        await other.cursor('x'),
      ]).toEqual([5, 9, 0]);
    });

    it('leases one queue’s due jobs, oldest seq first, and again only once the lease ran out', async () => {
      await h.outbox.enqueue('a', [
        aJob({ id: 'late', seq: 1, dueAt: T(100) }),
        aJob({ id: 's3', seq: 3 }),
        aJob({ id: 's1', seq: 1 }),
      ]);
      await h.outbox.enqueue('b', [aJob({ id: 'b1', seq: 0 })]);
      expect(ids(await h.outbox.lease('a', T(1), T(30), 10))).toEqual(['s1', 's3']);
      expect(await h.outbox.lease('a', T(29), T(59), 10)).toEqual([]);
      expect(ids(await (await h.connect()).lease('a', T(30), T(60), 1))).toEqual(['s1']);
      // s1 is held until T(60); s3's lease ran out at T(30).
      expect(ids(await h.outbox.lease('a', T(50), T(80), 10))).toEqual(['s3']);
      expect(ids(await h.outbox.lease('a', T(100), T(130), 10))).toEqual(['late', 's1', 's3']);
      expect(ids(await h.outbox.lease('b', T(1), T(30), 10))).toEqual(['b1']);
    });

    it('hands each job to exactly one of fifty workers claiming at once on two instances', async () => {
      const other = await h.connect();
      await h.outbox.enqueue(
        'a',
        Array.from({ length: 120 }, (_, i) =>
          aJob({ id: `j${i}`, group: `call-${i % 7}`, seq: i }),
        ),
      );
      const claims = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? other : h.outbox).lease('a', T(1), T(60), 3)),
      );
      const claimed = claims.flatMap(ids);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(120);
    });

    it('ends a pending job once: a finished job is neither leased, retried nor ended again', async () => {
      await h.outbox.enqueue('a', [aJob({ id: 'x' }), aJob({ id: 'y' })]);
      await h.outbox.lease('a', T(0), T(30), 10);
      await h.outbox.complete('a', 'x', 'failed', T(1), 'http-403');
      await h.outbox.complete('a', 'x', 'done', T(2));
      await h.outbox.retry('a', 'x', T(3), T(3), 'late');
      await h.outbox.complete('a', 'y', 'done', T(1));
      expect(await h.outbox.get('a', 'x')).toMatchObject({
        status: 'failed',
        attempts: 0,
        lastError: 'http-403',
        updatedAt: T(1),
      });
      expect(await h.outbox.get('a', 'y')).toMatchObject({ status: 'done', updatedAt: T(1) });
      expect(await h.outbox.lease('a', T(100), T(130), 10)).toEqual([]);
    });

    it('retries: counts the attempt, keeps the code, releases the lease until the new due time', async () => {
      await h.outbox.enqueue('a', [aJob({ id: 'x' })]);
      await h.outbox.lease('a', T(0), T(300), 10);
      await h.outbox.retry('a', 'x', T(10), T(1), 'http-503');
      expect(await h.outbox.lease('a', T(9), T(39), 10)).toEqual([]);
      expect(await h.outbox.lease('a', T(10), T(40), 10)).toEqual([
        expect.objectContaining({ id: 'x', attempts: 1, lastError: 'http-503', dueAt: T(10) }),
      ]);
    });

    it('lists an owner’s failed jobs of one queue, newest first, up to the limit', async () => {
      await h.outbox.enqueue('a', [
        aJob({ id: 'f1', owner: 'ann', seq: 1 }),
        aJob({ id: 'f2', owner: 'ann', seq: 2 }),
        aJob({ id: 'bob', owner: 'bob', seq: 3 }),
      ]);
      await h.outbox.enqueue('b', [aJob({ id: 'f3', owner: 'ann' })]);
      for (const [queue, id, at] of [
        ['a', 'f1', 5],
        ['a', 'f2', 6],
        ['a', 'bob', 7],
        ['b', 'f3', 8],
      ] as const)
        await h.outbox.complete(queue, id, 'failed', T(at), 'http-500');
      expect(ids(await h.outbox.failures('a', 'ann', 10))).toEqual(['f2', 'f1']);
      expect(ids(await h.outbox.failures('a', 'ann', 1))).toEqual(['f2']);
    });

    it('purges one queue’s finished jobs older than the cut-off, never pending ones', async () => {
      await h.outbox.enqueue('a', [aJob({ id: 'old' }), aJob({ id: 'open' }), aJob({ id: 'new' })]);
      await h.outbox.enqueue('b', [aJob({ id: 'old' })]);
      await h.outbox.complete('a', 'old', 'done', T(1));
      await h.outbox.complete('a', 'new', 'skipped', T(20));
      await h.outbox.complete('b', 'old', 'done', T(1));
      expect(await h.outbox.purge('a', T(10))).toBe(1);
      expect(await h.outbox.get('a', 'old')).toBeUndefined();
      expect(await h.outbox.get('a', 'open')).toBeDefined();
      expect(await h.outbox.get('b', 'old')).toBeDefined();
    });

    it('migrates again without harm and keeps the jobs', async () => {
      await h.outbox.enqueue('a', [aJob()]);
      await h.outbox.migrate();
      await (await h.connect()).migrate();
      expect(await h.outbox.get('a', aJob().id)).toBeDefined();
    });
  });
}
