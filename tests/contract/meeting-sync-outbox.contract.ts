import type { MeetingSyncOutbox, NewMeetingSyncEntry } from '@shared';

/** One fresh outbox for one test, another handle on the same data (another instance), the clean-up. */
export type MeetingSyncOutboxHarness = {
  readonly outbox: MeetingSyncOutbox;
  readonly connect: () => Promise<MeetingSyncOutbox>;
  readonly cleanup: () => Promise<void>;
};

const T = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds)).toISOString();

const aStep = (overrides: Partial<NewMeetingSyncEntry> = {}): NewMeetingSyncEntry => ({
  id: 'call-1:2:admit',
  callId: 'call-1',
  seq: 2,
  step: 'admit',
  dueAt: T(0),
  createdAt: T(0),
  ...overrides,
});

/** The contract every MeetingSyncOutbox adapter passes. */
export function meetingSyncOutboxContract(
  name: string,
  create: () => Promise<MeetingSyncOutboxHarness>,
): void {
  describe(`${name} (MeetingSyncOutbox contract)`, () => {
    let h: MeetingSyncOutboxHarness;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(() => h.cleanup());

    it('stores a step once, however often the same event is read', async () => {
      expect(await h.outbox.enqueue([aStep(), aStep()])).toBe(1);
      expect(await h.outbox.enqueue([aStep({ dueAt: T(9) })])).toBe(0);
      expect(await h.outbox.get('call-1:2:admit')).toMatchObject({
        callId: 'call-1',
        seq: 2,
        step: 'admit',
        status: 'pending',
        attempts: 0,
        dueAt: T(0),
      });
      expect(await h.outbox.get('nope')).toBeUndefined();
    });

    it('keeps the feed cursor, which only moves forward, across instances', async () => {
      expect(await h.outbox.cursor('meeting-sync')).toBe(0);
      await h.outbox.saveCursor('meeting-sync', 7);
      await h.outbox.saveCursor('meeting-sync', 3);
      expect(await (await h.connect()).cursor('meeting-sync')).toBe(7);
    });

    it('leases due steps oldest first, and not again while the lease holds', async () => {
      await h.outbox.enqueue([
        aStep({ id: 'call-1:5:close', seq: 5, step: 'close' }),
        aStep(),
        aStep({ id: 'call-1:2:relock', step: 'relock', dueAt: T(600) }),
      ]);
      const first = await h.outbox.lease(T(1), T(31), 10);
      expect(first.map((e) => e.id)).toEqual(['call-1:2:admit', 'call-1:5:close']);
      expect(await (await h.connect()).lease(T(2), T(32), 10)).toEqual([]);
      // The lease ran out (the instance died): another instance takes the steps over.
      expect((await (await h.connect()).lease(T(40), T(70), 10)).map((e) => e.id)).toEqual([
        'call-1:2:admit',
        'call-1:5:close',
      ]);
      await h.outbox.complete('call-1:2:admit', 'done', T(41));
      await h.outbox.complete('call-1:5:close', 'done', T(41));
      // The relock waits for the end of the admission window.
      expect((await h.outbox.lease(T(600), T(630), 10)).map((e) => e.id)).toEqual([
        'call-1:2:relock',
      ]);
    });

    it('gives a step to exactly one of two instances leasing at once', async () => {
      await h.outbox.enqueue([aStep()]);
      const other = await h.connect();
      const [a, b] = await Promise.all([
        h.outbox.lease(T(1), T(31), 10),
        other.lease(T(1), T(31), 10),
      ]);
      expect(a.length + b.length).toBe(1);
    });

    it('counts a retry, keeps its error code and holds the step until it is due', async () => {
      await h.outbox.enqueue([aStep()]);
      await h.outbox.lease(T(1), T(31), 10);
      await h.outbox.retry('call-1:2:admit', T(20), T(2), 'upstream-unavailable');
      expect(await h.outbox.lease(T(10), T(40), 10)).toEqual([]);
      expect(await h.outbox.lease(T(20), T(50), 10)).toEqual([
        expect.objectContaining({ attempts: 1, lastError: 'upstream-unavailable' }),
      ]);
    });

    it('ends a step once: a finished step is neither leased, retried nor ended again', async () => {
      await h.outbox.enqueue([aStep(), aStep({ id: 'call-1:2:relock', step: 'relock' })]);
      await h.outbox.complete('call-1:2:admit', 'failed', T(3), 'forbidden');
      await h.outbox.complete('call-1:2:admit', 'done', T(4));
      await h.outbox.retry('call-1:2:admit', T(5), T(5), 'late');
      await h.outbox.complete('call-1:2:relock', 'skipped', T(3));
      expect(await h.outbox.get('call-1:2:admit')).toMatchObject({
        status: 'failed',
        attempts: 0,
        lastError: 'forbidden',
        updatedAt: T(3),
      });
      expect(await h.outbox.lease(T(10), T(40), 10)).toEqual([]);
    });

    it('purges finished steps only', async () => {
      await h.outbox.enqueue([aStep(), aStep({ id: 'call-1:5:close', seq: 5, step: 'close' })]);
      await h.outbox.complete('call-1:2:admit', 'done', T(1));
      expect(await h.outbox.purge(T(2))).toBe(1);
      expect(await h.outbox.get('call-1:2:admit')).toBeUndefined();
      expect(await h.outbox.get('call-1:5:close')).toBeDefined();
    });
  });
}
