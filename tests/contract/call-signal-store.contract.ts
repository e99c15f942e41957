import type { CallSignalStore, NewSignal, SeatClaim, SignalMessage } from '@shared';

/** A store under test, a second handle on the same data (another instance), and the cleanup. */
export type SignalStoreHarness = {
  readonly store: CallSignalStore;
  readonly connect: () => Promise<CallSignalStore>;
  readonly cleanup: () => Promise<void>;
};

const T0 = '2026-05-04T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const claim = (over: Partial<SeatClaim> = {}): SeatClaim => ({
  callId: 'call-1',
  role: 'customer',
  sessionId: 'session-a-0000000000',
  resumeSessionId: undefined,
  at: T0,
  staleBefore: at(-30),
  ...over,
});

const offer: SignalMessage = { type: 'description', description: { type: 'offer', sdp: 'v=0' } };
const candidate = (n: number): SignalMessage => ({
  type: 'candidate',
  candidate: { candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${n} typ host`, sdpMid: '0' },
});

const signal = (over: Partial<NewSignal> = {}): NewSignal => ({
  callId: 'call-1',
  from: 'customer',
  sessionId: 'session-a-0000000000',
  seq: 1,
  message: offer,
  at: T0,
  rate: { max: 120, since: at(-10) },
  ...over,
});

/** One contract for every CallSignalStore adapter: SQLite, PostgreSQL and the in-memory one. */
export function callSignalStoreContract(
  name: string,
  create: () => Promise<SignalStoreHarness>,
): void {
  describe(`${name} (CallSignalStore contract)`, () => {
    let h: SignalStoreHarness;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('gives an empty seat to the first session, and refuses a second while the first is live', async () => {
      const first = await h.store.claimSeat(claim());
      expect(first).toMatchObject({
        ok: true,
        replaced: undefined,
        seat: { sessionId: 'session-a-0000000000', lastSeq: 0, heartbeatAt: T0, joinedAt: T0 },
      });
      const second = await h.store.claimSeat(
        claim({ sessionId: 'session-b-0000000000', at: at(5), staleBefore: at(-25) }),
      );
      expect(second).toMatchObject({ ok: false, current: { sessionId: 'session-a-0000000000' } });
      const seats = await h.store.seats('call-1');
      expect(seats.map((s) => s.sessionId)).toEqual(['session-a-0000000000']);
    });

    it('lets the holder resume its own seat under a fresh session, dropping its old messages', async () => {
      await h.store.claimSeat(claim());
      await h.store.appendSignal(signal());
      const resumed = await h.store.claimSeat(
        claim({
          sessionId: 'session-c-0000000000',
          resumeSessionId: 'session-a-0000000000',
          at: at(3),
          staleBefore: at(-27),
        }),
      );
      expect(resumed).toMatchObject({
        ok: true,
        replaced: 'session-a-0000000000',
        seat: { sessionId: 'session-c-0000000000', lastSeq: 0 },
      });
      await expect(
        h.store.signalsAfter('call-1', 'customer', 'session-a-0000000000', 0, 10),
      ).resolves.toEqual([]);
      await expect(h.store.appendSignal(signal({ at: at(4) }))).resolves.toEqual({
        ok: false,
        reason: 'session-replaced',
      });
    });

    it('gives a stale seat to exactly one of two sessions racing for it from two instances', async () => {
      await h.store.claimSeat(claim());
      const other = await h.connect();
      const later = { at: at(60), staleBefore: at(30) };
      const results = await Promise.all([
        h.store.claimSeat(claim({ ...later, sessionId: 'session-x-0000000000' })),
        other.claimSeat(claim({ ...later, sessionId: 'session-y-0000000000' })),
      ]);
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      if (!winner?.ok) throw new Error('no winner');
      expect(winner.replaced).toBe('session-a-0000000000');
      const seats = await other.seats('call-1');
      expect(seats).toHaveLength(1);
      expect(seats[0]?.sessionId).toBe(winner.seat.sessionId);
    });

    it('keeps the two roles of a call apart, and calls apart', async () => {
      await h.store.claimSeat(claim());
      await expect(
        h.store.claimSeat(claim({ role: 'agent', sessionId: 'session-g-0000000000' })),
      ).resolves.toMatchObject({ ok: true });
      await expect(
        h.store.claimSeat(claim({ callId: 'call-2', sessionId: 'session-h-0000000000' })),
      ).resolves.toMatchObject({ ok: true });
      expect((await h.store.seats('call-1')).map((s) => s.role).sort()).toEqual([
        'agent',
        'customer',
      ]);
    });

    it('stores messages of the seat session in id order and refuses repeats and going back', async () => {
      await h.store.claimSeat(claim());
      const one = await h.store.appendSignal(signal());
      const two = await h.store.appendSignal(signal({ seq: 2, message: candidate(2) }));
      const five = await h.store.appendSignal(
        signal({ seq: 5, message: { type: 'candidate', candidate: null } }),
      );
      expect([one.ok, two.ok, five.ok]).toEqual([true, true, true]);
      await expect(h.store.appendSignal(signal({ seq: 5 }))).resolves.toEqual({
        ok: false,
        reason: 'out-of-order',
      });
      await expect(h.store.appendSignal(signal({ seq: 3 }))).resolves.toEqual({
        ok: false,
        reason: 'out-of-order',
      });
      const read = await h.store.signalsAfter('call-1', 'customer', 'session-a-0000000000', 0, 10);
      expect(read.map((s) => s.seq)).toEqual([1, 2, 5]);
      expect(read[0]).toMatchObject({ from: 'customer', callId: 'call-1', message: offer, at: T0 });
      expect(read[2]?.message).toEqual({ type: 'candidate', candidate: null });
      const ids = read.map((s) => s.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      const after = await h.store.signalsAfter(
        'call-1',
        'customer',
        'session-a-0000000000',
        ids[0] ?? 0,
        1,
      );
      expect(after.map((s) => s.seq)).toEqual([2]);
      expect((await h.store.seats('call-1'))[0]?.lastSeq).toBe(5);
    });

    it('refuses messages of a session that does not hold the seat, storing nothing', async () => {
      await expect(h.store.appendSignal(signal())).resolves.toEqual({
        ok: false,
        reason: 'session-replaced',
      });
      await h.store.claimSeat(claim());
      await expect(
        h.store.appendSignal(signal({ sessionId: 'session-z-0000000000' })),
      ).resolves.toEqual({ ok: false, reason: 'session-replaced' });
      await expect(h.store.appendSignal(signal({ from: 'agent' }))).resolves.toEqual({
        ok: false,
        reason: 'session-replaced',
      });
      await expect(h.store.callsWithRows(10)).resolves.toEqual(['call-1']);
      await expect(
        h.store.signalsAfter('call-1', 'customer', 'session-z-0000000000', 0, 10),
      ).resolves.toEqual([]);
    });

    it('caps the messages per session in a window and says when one more fits', async () => {
      await h.store.claimSeat(claim());
      for (let i = 1; i <= 3; i++) {
        const r = await h.store.appendSignal(
          signal({ seq: i, at: at(i), rate: { max: 3, since: at(i - 10) } }),
        );
        expect(r.ok).toBe(true);
      }
      await expect(
        h.store.appendSignal(signal({ seq: 4, at: at(5), rate: { max: 3, since: at(-5) } })),
      ).resolves.toEqual({ ok: false, reason: 'rate-limited', retryAt: at(11) });
      // The refused message was not stored and did not consume its seq.
      await expect(
        h.store.appendSignal(signal({ seq: 4, at: at(12), rate: { max: 3, since: at(2) } })),
      ).resolves.toMatchObject({ ok: true, signal: { seq: 4 } });
    });

    it('records heartbeats of the seat session only, and announces absence once', async () => {
      await h.store.claimSeat(claim());
      await expect(
        h.store.heartbeat('call-1', 'customer', 'session-z-0000000000', at(10)),
      ).resolves.toBeUndefined();
      await expect(
        h.store.markAbsent('call-1', 'customer', 'session-a-0000000000', at(-1), at(40)),
      ).resolves.toBe(false);
      await expect(h.store.staleSeats(at(10), 10)).resolves.toMatchObject([
        { sessionId: 'session-a-0000000000' },
      ]);
      await expect(
        h.store.markAbsent('call-1', 'customer', 'session-a-0000000000', at(10), at(40)),
      ).resolves.toBe(true);
      await expect(
        h.store.markAbsent('call-1', 'customer', 'session-a-0000000000', at(10), at(41)),
      ).resolves.toBe(false);
      expect((await h.store.seats('call-1'))[0]?.absentSince).toBe(at(40));
      const before = await h.store.heartbeat('call-1', 'customer', 'session-a-0000000000', at(45));
      expect(before).toMatchObject({ heartbeatAt: T0, absentSince: at(40) });
      const seat = (await h.store.seats('call-1'))[0];
      expect(seat).toMatchObject({ heartbeatAt: at(45), absentSince: undefined });
      await expect(h.store.staleSeats(at(10), 10)).resolves.toEqual([]);
    });

    it('deletes a call’s seats and messages, and purges old messages of any call', async () => {
      await h.store.claimSeat(claim());
      await h.store.claimSeat(claim({ callId: 'call-2', sessionId: 'session-h-0000000000' }));
      await h.store.appendSignal(signal());
      await h.store.appendSignal(
        signal({ callId: 'call-2', sessionId: 'session-h-0000000000', at: at(100) }),
      );
      expect((await h.store.callsWithRows(10)).sort()).toEqual(['call-1', 'call-2']);
      await h.store.deleteCall('call-1');
      await expect(h.store.seats('call-1')).resolves.toEqual([]);
      await expect(
        h.store.signalsAfter('call-1', 'customer', 'session-a-0000000000', 0, 10),
      ).resolves.toEqual([]);
      await expect(h.store.purgeSignals(at(50))).resolves.toBe(0);
      await expect(h.store.purgeSignals(at(101))).resolves.toBe(1);
      await expect(h.store.callsWithRows(10)).resolves.toEqual(['call-2']);
    });
  });
}
