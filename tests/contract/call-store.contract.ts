import { type CallRecord, type CallState, type CallStore } from '@shared';
import {
  T0,
  aCall,
  aClaim,
  aCreatedEvent,
  aMeeting,
  aMove,
  aTeam,
  anAdmit,
  anAgent,
  anAgentActor,
  anotherAgent,
  at,
  sha256Hex,
} from '../fixtures/calls';

/** One database for one test: the store under test, more connections to it, and the clean-up. */
export type CallStoreHarness = {
  readonly store: CallStore;
  /** Opens another store on the same database (a separate connection, as a second instance would). */
  readonly connect: () => Promise<CallStore>;
  /** Closes every store it opened and removes the database. */
  readonly cleanup: () => Promise<void>;
};

/**
 * The behaviour every {@link CallStore} adapter must show. Each adapter's test file calls this once;
 * there are no adapter-specific branches here.
 */
export function callStoreContract(name: string, create: () => Promise<CallStoreHarness>): void {
  describe(`CallStore contract: ${name}`, () => {
    // Generous: the races open extra connections, and CI machines are small and busy.
    jest.setTimeout(30_000);
    let harness: CallStoreHarness;
    let store: CallStore;

    beforeEach(async () => {
      harness = await create();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    const stored = async (call: CallRecord = aCall()): Promise<CallRecord> => {
      await store.insert(call, aCreatedEvent({ at: call.createdAt }));
      return call;
    };
    const claimed = async (call: CallRecord = aCall()): Promise<CallRecord> => {
      await stored(call);
      const result = await store.transition(aClaim(call));
      if (!result.ok) throw new Error('claim in test setup failed');
      return result.call;
    };
    const moved = async (call: CallRecord, path: readonly CallState[]): Promise<CallRecord> => {
      let current = call;
      for (const to of path) {
        const result = await store.transition(aMove(current, current.state, to));
        if (!result.ok) throw new Error(`move to ${to} in test setup failed`);
        current = result.call;
      }
      return current;
    };

    describe('insert and read', () => {
      it('returns a call by id and by code hash exactly as it was inserted', async () => {
        const call = aCall({
          team: aTeam(),
          meeting: aMeeting({
            provider: 'teams',
            onlineMeetingId: 'om-1',
            joinUrl: 'https://teams.example/l/1',
          }),
        });
        await store.insert(call, aCreatedEvent());

        await expect(store.get(call.id)).resolves.toStrictEqual(call);
        await expect(store.getByCodeHash(call.codeHash)).resolves.toStrictEqual(call);
      });

      it('round-trips every optional field', async () => {
        const call = aCall({
          state: 'ended',
          version: 7,
          team: aTeam({ channelId: undefined }),
          customerName: 'Zoë Ünal-Łukasiewicz',
          claimTokenHash: sha256Hex('token'),
          claimedAt: at(20),
          admittedAt: at(25),
          admittedBy: anotherAgent(),
          decidedAt: at(25),
          declineReason: 'Sorry – "later"',
          endedAt: at(55),
          lobbyMessage: { text: 'Two minutes, please', at: at(22) },
          reissuedFrom: 'old-call',
          reissuedTo: 'new-call',
        });
        await store.insert(call, aCreatedEvent());

        const { team: _team, ...rest } = call;
        await expect(store.get(call.id)).resolves.toStrictEqual({
          ...rest,
          team: { id: 'team-support', name: 'Support' },
        });
      });

      it('returns undefined for an unknown id or code hash', async () => {
        await stored();
        await expect(store.get('no-such-call')).resolves.toBeUndefined();
        await expect(store.getByCodeHash(sha256Hex('no-such-code'))).resolves.toBeUndefined();
      });

      it('logs the created event with a seq and the call id', async () => {
        const call = aCall();
        const event = await store.insert(call, aCreatedEvent({ data: { reissuedFrom: 'c-0' } }));

        expect(event).toStrictEqual({
          seq: expect.any(Number) as number,
          callId: call.id,
          type: 'created',
          at: T0,
          actor: anAgentActor(),
          toState: 'scheduled',
          data: { reissuedFrom: 'c-0' },
        });
        await expect(store.events(call.id)).resolves.toStrictEqual([event]);
      });

      it('refuses a second call with the same id or code hash and keeps the first', async () => {
        const first = await stored();

        const sameId = store.insert(aCall({ id: first.id }), aCreatedEvent());
        await expect(sameId).rejects.toMatchObject({ name: 'AppError', code: 'state-conflict' });
        const sameCode = store.insert(aCall({ codeHash: first.codeHash }), aCreatedEvent());
        await expect(sameCode).rejects.toMatchObject({ name: 'AppError', code: 'state-conflict' });

        await expect(store.get(first.id)).resolves.toStrictEqual(first);
        await expect(store.list({})).resolves.toHaveLength(1);
        await expect(store.eventsSince(0, 100)).resolves.toHaveLength(1);
      });

      it('stores times as canonical UTC instants', async () => {
        const call = aCall({
          createdAt: '2026-03-02T10:00:00+01:00',
          updatedAt: '2026-03-02T09:00:00Z',
        });
        await store.insert(call, aCreatedEvent({ at: '2026-03-02T10:00:00+01:00' }));

        const read = await store.get(call.id);
        expect(read?.createdAt).toBe('2026-03-02T09:00:00.000Z');
        expect(read?.updatedAt).toBe('2026-03-02T09:00:00.000Z');
        const [event] = await store.events(call.id);
        expect(event?.at).toBe('2026-03-02T09:00:00.000Z');
      });
    });

    describe('list', () => {
      it('filters by owner, team and states, newest first', async () => {
        const mine = await stored(aCall({ createdAt: at(1) }));
        const mineInTeam = await stored(aCall({ createdAt: at(2), team: aTeam() }));
        const theirsInTeam = await stored(
          aCall({ createdAt: at(3), team: aTeam(), agent: anotherAgent() }),
        );
        const theirsElsewhere = await stored(
          aCall({ createdAt: at(4), agent: anotherAgent(), team: aTeam({ id: 'other' }) }),
        );
        const mineWaiting = await claimed(aCall({ createdAt: at(5) }));

        const ids = async (query: Parameters<CallStore['list']>[0]) =>
          (await store.list(query)).map((c) => c.id);
        await expect(ids({})).resolves.toEqual([
          mineWaiting.id,
          theirsElsewhere.id,
          theirsInTeam.id,
          mineInTeam.id,
          mine.id,
        ]);
        await expect(ids({ agentId: anAgent().id })).resolves.toEqual([
          mineWaiting.id,
          mineInTeam.id,
          mine.id,
        ]);
        await expect(ids({ teamId: aTeam().id })).resolves.toEqual([
          theirsInTeam.id,
          mineInTeam.id,
        ]);
        await expect(ids({ agentId: anotherAgent().id, teamId: aTeam().id })).resolves.toEqual([
          theirsInTeam.id,
        ]);
        await expect(ids({ states: ['waiting'] })).resolves.toEqual([mineWaiting.id]);
        await expect(
          ids({ states: ['scheduled', 'ended'], agentId: anAgent().id }),
        ).resolves.toEqual([mineInTeam.id, mine.id]);
        await expect(ids({ states: [] })).resolves.toEqual([]);
      });

      it('returns whole records, at most `limit` of them, 100 by default', async () => {
        const calls = Array.from({ length: 102 }, (_, i) => aCall({ createdAt: at(i) }));
        for (const call of calls) await stored(call);

        const three = await store.list({ limit: 3 });
        expect(three).toStrictEqual([calls[101], calls[100], calls[99]]);
        await expect(store.list({})).resolves.toHaveLength(100);
      });
    });

    describe('transition', () => {
      it('moves the state, applies the patch, grows the version and logs the event in one step', async () => {
        const call = await stored();
        const claim = aClaim(call, { token: 'browser-1', at: at(20) });

        const result = await store.transition(claim);

        const expected: CallRecord = {
          ...call,
          state: 'waiting',
          version: call.version + 1,
          customerName: 'Chris Customer',
          claimTokenHash: sha256Hex('browser-1'),
          claimedAt: at(20),
          updatedAt: at(20),
        };
        expect(result).toStrictEqual({
          ok: true,
          call: expected,
          event: {
            seq: expect.any(Number) as number,
            callId: call.id,
            type: 'claimed',
            at: at(20),
            actor: { kind: 'customer' },
            fromState: 'scheduled',
            toState: 'waiting',
          },
        });
        await expect(store.get(call.id)).resolves.toStrictEqual(expected);
      });

      it('leaves fields the patch does not name, and clears fields the patch sets to null', async () => {
        const call = await claimed();
        const message = await store.transition({
          id: call.id,
          expected: ['waiting'],
          to: undefined,
          patch: { lobbyMessage: { text: 'One moment', at: at(21) }, declineReason: 'draft' },
          event: {
            type: 'lobby-message',
            at: at(21),
            actor: anAgentActor(),
            fromState: 'waiting',
            toState: 'waiting',
          },
          at: at(21),
        });
        expect(message.ok).toBe(true);

        const cleared = await store.transition({
          id: call.id,
          expected: ['waiting'],
          to: 'declined',
          patch: {
            declineReason: null,
            customerName: null,
            lobbyMessage: undefined,
            decidedAt: at(22),
          },
          event: {
            type: 'declined',
            at: at(22),
            actor: anAgentActor(),
            fromState: 'waiting',
            toState: 'declined',
          },
          at: at(22),
        });

        const { customerName: _name, ...rest } = call;
        const expected: CallRecord = {
          ...rest,
          state: 'declined',
          version: call.version + 2,
          lobbyMessage: { text: 'One moment', at: at(21) },
          decidedAt: at(22),
          updatedAt: at(22),
        };
        expect(cleared).toMatchObject({ ok: true, call: expected });
        await expect(store.get(call.id)).resolves.toStrictEqual(expected);
      });

      it('keeps the state when `to` is undefined but still grows the version', async () => {
        const call = await claimed();
        const result = await store.transition({
          id: call.id,
          expected: ['waiting'],
          to: undefined,
          patch: { lobbyMessage: { text: 'Hi', at: at(21) } },
          event: {
            type: 'lobby-message',
            at: at(21),
            actor: anAgentActor(),
            fromState: 'waiting',
            toState: 'waiting',
          },
          at: at(21),
        });
        expect(result).toMatchObject({
          ok: true,
          call: { state: 'waiting', version: call.version + 1 },
        });
        expect(result.ok && result.event).toMatchObject({
          fromState: 'waiting',
          toState: 'waiting',
        });
      });

      it('keeps the owner and team columns in step with a patched agent or team', async () => {
        const call = await stored(aCall({ team: aTeam() }));
        await store.transition({
          ...aMove(call, 'scheduled', 'scheduled'),
          to: undefined,
          patch: { agent: anotherAgent(), team: null },
        });

        await expect(store.list({ teamId: aTeam().id })).resolves.toEqual([]);
        await expect(store.list({ agentId: anAgent().id })).resolves.toEqual([]);
        await expect(store.list({ agentId: anotherAgent().id })).resolves.toMatchObject([
          { id: call.id, agent: anotherAgent() },
        ]);
        const read = await store.get(call.id);
        expect(read).not.toHaveProperty('team');
      });

      it('refuses a move from a state it does not expect and returns the current call unchanged', async () => {
        const call = await claimed();
        const before = await store.events(call.id);

        const result = await store.transition(aClaim(call, { token: 'late-browser' }));

        expect(result).toStrictEqual({ ok: false, current: call });
        await expect(store.get(call.id)).resolves.toStrictEqual(call);
        await expect(store.events(call.id)).resolves.toStrictEqual(before);
      });

      it('accepts any of several expected states', async () => {
        const call = await claimed();
        const result = await store.transition({
          ...aMove(call, 'scheduled', 'revoked'),
          expected: ['scheduled', 'waiting', 'admitted'],
        });
        expect(result).toMatchObject({ ok: true, call: { state: 'revoked' } });
      });

      it('records the state the call really left, whatever the caller assumed', async () => {
        const call = await claimed();
        const result = await store.transition({
          ...aMove(call, 'scheduled', 'revoked'),
          expected: ['scheduled', 'waiting'],
        });
        expect(result.ok && result.event).toMatchObject({
          fromState: 'waiting',
          toState: 'revoked',
        });
      });

      it('with expectedVersion, moves only the version it was given', async () => {
        const call = await claimed();
        const stale = await store.transition({
          ...aMove(call, 'waiting', 'revoked'),
          expectedVersion: call.version - 1,
        });
        expect(stale).toStrictEqual({ ok: false, current: call });

        const fresh = await store.transition({
          ...aMove(call, 'waiting', 'revoked'),
          expectedVersion: call.version,
        });
        expect(fresh).toMatchObject({
          ok: true,
          call: { state: 'revoked', version: call.version + 1 },
        });
      });

      it('answers an unknown id with ok false and no current call', async () => {
        await stored();
        await expect(store.transition(aClaim({ id: 'no-such-call' }))).resolves.toStrictEqual({
          ok: false,
          current: undefined,
        });
        await expect(store.eventsSince(0, 10)).resolves.toHaveLength(1);
      });

      it('refuses to clear a field every call has, and changes nothing', async () => {
        const call = await stored();
        const clearing = store.transition({
          ...aMove(call, 'scheduled', 'waiting'),
          patch: { title: null },
        });
        await expect(clearing).rejects.toMatchObject({ name: 'AppError' });
        await expect(store.get(call.id)).resolves.toStrictEqual(call);
        await expect(store.events(call.id)).resolves.toHaveLength(1);
      });
    });

    describe('meetings', () => {
      const THREAD = '19:meeting_Zm9yLXRoZS1pbmRleA@thread.v2';
      const JOIN_URL = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0`;
      const teamsMeeting = (thread = THREAD, joinUrl = JOIN_URL) =>
        aMeeting({
          provider: 'teams',
          meetingId: `event-${thread}`,
          joinUrl,
          onlineMeetingId: btoa(`1*organizer*0**${thread}`),
        });

      it('finds the call of a Teams meeting by its thread, meeting id or join URL', async () => {
        const call = await stored(aCall({ meeting: teamsMeeting() }));
        await stored(aCall({ meeting: teamsMeeting('19:meeting_b3RoZXI@thread.v2', 'x') }));
        await stored(aCall());

        for (const key of [
          { threadId: THREAD },
          { meetingId: btoa(`0#${THREAD}#0`) },
          { joinUrl: JOIN_URL },
          { joinUrl: 'https://elsewhere.example/unknown', threadId: THREAD },
        ]) {
          await expect(store.findByMeeting(key)).resolves.toMatchObject({ id: call.id });
        }
        await expect(
          store.findByMeeting({ threadId: '19:meeting_bm9uZQ@thread.v2' }),
        ).resolves.toBeUndefined();
        await expect(store.findByMeeting({})).resolves.toBeUndefined();
      });

      it('finds a call among thousands of open ones, and follows a meeting set by a move', async () => {
        await Promise.all(
          Array.from({ length: 1200 }, (_, i) =>
            stored(aCall({ meeting: teamsMeeting(`19:meeting_bWFueQ${i}@thread.v2`, `u${i}`) })),
          ),
        );
        const late = await stored(aCall({ createdAt: at(-60) }));
        const moved = await store.transition(
          aMove(late, 'scheduled', 'scheduled', { patch: { meeting: teamsMeeting() } }),
        );
        expect(moved.ok).toBe(true);
        await expect(store.findByMeeting({ threadId: THREAD })).resolves.toMatchObject({
          id: late.id,
        });
      });

      it('keeps who is in a meeting for every connection, once per participant', async () => {
        const call = await stored();
        const other = await harness.connect();
        await expect(store.joinMeeting(call.id, '29:customer', at(1))).resolves.toBe(1);
        await expect(other.joinMeeting(call.id, '29:customer', at(2))).resolves.toBe(1);
        await expect(other.joinMeeting(call.id, '29:stranger', at(3))).resolves.toBe(2);
        await store.leaveMeeting(call.id, '29:stranger');
        await expect(other.joinMeeting(call.id, '29:rejoined', at(4))).resolves.toBe(2);
        await other.leaveMeeting(call.id, undefined);
        await expect(store.joinMeeting(call.id, '29:customer', at(5))).resolves.toBe(1);
      });
    });

    describe('event log', () => {
      it("lists a call's events oldest first with who, when and which states", async () => {
        const call = await stored();
        await store.transition(aClaim(call, { at: at(20) }));
        await store.transition(anAdmit(call, anotherAgent(), { at: at(25) }));
        await store.transition(aMove(call, 'admitted', 'in_call', { at: at(26) }));
        await store.transition({
          ...aMove(call, 'in_call', 'ended', { at: at(50) }),
          event: {
            type: 'ended',
            at: at(50),
            actor: anAgentActor(),
            fromState: 'in_call',
            toState: 'ended',
            data: { minutes: 24, byAgent: true },
          },
        });

        const events = await store.events(call.id);

        expect(events.map((e) => [e.type, e.fromState, e.toState, e.at])).toEqual([
          ['created', undefined, 'scheduled', T0],
          ['claimed', 'scheduled', 'waiting', at(20)],
          ['admitted', 'waiting', 'admitted', at(25)],
          ['joined', 'admitted', 'in_call', at(26)],
          ['ended', 'in_call', 'ended', at(50)],
        ]);
        expect(events.map((e) => e.actor)).toEqual([
          anAgentActor(),
          { kind: 'customer' },
          anAgentActor(anotherAgent()),
          { kind: 'system' },
          anAgentActor(),
        ]);
        expect(events[4]?.data).toEqual({ minutes: 24, byAgent: true });
        const seqs = events.map((e) => e.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
        await expect(store.events('no-such-call')).resolves.toEqual([]);
      });

      it('feeds events of all calls after a seq, in order, at most `limit`', async () => {
        const a = await stored();
        const b = await stored();
        await store.transition(aClaim(b));
        await store.transition(aClaim(a));
        await store.transition(aMove(b, 'waiting', 'abandoned'));

        const all = await store.eventsSince(0, 100);
        expect(all.map((e) => [e.callId, e.type])).toEqual([
          [a.id, 'created'],
          [b.id, 'created'],
          [b.id, 'claimed'],
          [a.id, 'claimed'],
          [b.id, 'abandoned'],
        ]);
        const afterSecond = await store.eventsSince(all[1]!.seq, 2);
        expect(afterSecond).toStrictEqual([all[2], all[3]]);
        await expect(store.eventsSince(all[4]!.seq, 10)).resolves.toEqual([]);
      });
    });

    describe('due', () => {
      it('finds exactly the calls a sweeper must move, oldest first', async () => {
        const now = at(200);
        const lobbyCutoff = at(185);
        const make = (minute: number, expiresIn: number) =>
          aCall({ createdAt: at(minute), expiresAt: at(expiresIn, at(minute)) });

        const scheduledPast = await stored(make(1, 120));
        await stored(make(2, 500)); // scheduled, still valid
        const scheduledAtNow = await stored(aCall({ createdAt: at(3), expiresAt: now }));
        const waitingLong = await stored(make(4, 500));
        await store.transition(aClaim(waitingLong, { at: at(180) }));
        const waitingShort = await stored(make(5, 500));
        await store.transition(aClaim(waitingShort, { at: at(190) }));
        const admittedPast = await moved(await claimed(make(6, 150)), ['admitted']);
        const admittedValid = await moved(await claimed(make(7, 500)), ['admitted']);
        const inCallPast = await moved(await claimed(make(8, 150)), ['admitted', 'in_call']);
        await moved(await claimed(make(9, 500)), ['admitted', 'in_call']);
        for (const dead of ['ended', 'declined', 'revoked', 'expired', 'abandoned'] as const) {
          const call = await stored(aCall({ createdAt: at(10), expiresAt: at(11), state: dead }));
          expect(call.state).toBe(dead);
        }

        const due = await store.due(now, lobbyCutoff, 100);

        expect(due.map((c) => c.id)).toEqual([
          scheduledPast.id,
          scheduledAtNow.id,
          waitingLong.id,
          admittedPast.id,
          inCallPast.id,
        ]);
        expect(due.map((c) => c.state)).toEqual([
          'scheduled',
          'scheduled',
          'waiting',
          'admitted',
          'in_call',
        ]);
        expect(due.map((c) => c.id)).not.toContain(admittedValid.id);
        await expect(store.due(now, lobbyCutoff, 2)).resolves.toMatchObject([
          { id: scheduledPast.id },
          { id: scheduledAtNow.id },
        ]);
      });
    });

    describe('purge', () => {
      it('deletes terminal calls last changed before the cut-off, with their events, and keeps the rest', async () => {
        const oldEnded = await moved(await stored(aCall({ createdAt: at(0) })), ['revoked']);
        const oldWaiting = await claimed(aCall({ createdAt: at(1) }));
        const recentEnded = await stored(aCall({ createdAt: at(2) }));
        await store.transition(aMove(recentEnded, 'scheduled', 'expired', { at: at(500) }));
        const oldExpired = await moved(await stored(aCall({ createdAt: at(3) })), ['expired']);

        const purged = await store.purge(at(100));

        expect(purged).toBe(2);
        await expect(store.get(oldEnded.id)).resolves.toBeUndefined();
        await expect(store.get(oldExpired.id)).resolves.toBeUndefined();
        await expect(store.events(oldEnded.id)).resolves.toEqual([]);
        await expect(store.get(oldWaiting.id)).resolves.toMatchObject({ state: 'waiting' });
        await expect(store.get(recentEnded.id)).resolves.toMatchObject({ state: 'expired' });
        await expect(store.events(recentEnded.id)).resolves.toHaveLength(2);
        const remaining = new Set((await store.eventsSince(0, 100)).map((e) => e.callId));
        expect(remaining).toEqual(new Set([oldWaiting.id, recentEnded.id]));
        await expect(store.purge(at(100))).resolves.toBe(0);
      });
    });

    describe('lifecycle', () => {
      it('migrates again, also from two connections at once, without losing data', async () => {
        const call = await stored();
        const other = await harness.connect();
        try {
          await Promise.all([store.migrate(), other.migrate(), store.migrate()]);
          await expect(other.get(call.id)).resolves.toStrictEqual(call);
        } finally {
          await other.close();
        }
      });

      it('answers ping while open and not after close; closing twice is harmless', async () => {
        const other = await harness.connect();
        await expect(other.ping()).resolves.toBe(true);
        await other.close();
        await other.close();
        await expect(other.ping()).resolves.toBe(false);
        await expect(store.ping()).resolves.toBe(true);
      });
    });

    describe('concurrency', () => {
      /**
       * Runs `work` on `count` stores of one database. Each first answers a burst of reads, so pooled
       * connections are open before the race and requests really overlap instead of queueing on
       * connection set-up.
       */
      const withConnections = async <T>(
        count: number,
        work: (stores: CallStore[]) => Promise<T>,
      ): Promise<T> => {
        const others = await Promise.all(
          Array.from({ length: count - 1 }, () => harness.connect()),
        );
        const stores = [store, ...others];
        try {
          await Promise.all(
            stores.flatMap((s) => Array.from({ length: 12 }, () => s.get('warm-up'))),
          );
          return await work(stores);
        } finally {
          await Promise.all(others.map((s) => s.close()));
        }
      };

      it('of 50 browsers claiming one link at once, exactly one wins (three links in a row)', async () => {
        const calls = [await stored(), await stored(), await stored()];

        const rounds = await withConnections(4, async (stores) => {
          const outcomes = [];
          for (const call of calls) {
            outcomes.push(
              await Promise.all(
                Array.from({ length: 50 }, (_, i) =>
                  stores[i % stores.length]!.transition(aClaim(call, { token: `browser-${i}` })),
                ),
              ),
            );
          }
          return outcomes;
        });

        for (const [round, results] of rounds.entries()) {
          const call = calls[round]!;
          const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
          expect(winners).toHaveLength(1);
          const losers = results.filter((r) => !r.ok);
          expect(losers).toHaveLength(49);
          for (const loser of losers) {
            expect(loser).toMatchObject({ ok: false, current: { state: 'waiting' } });
          }
          const events = await store.events(call.id);
          expect(events.filter((e) => e.type === 'claimed')).toHaveLength(1);
          await expect(store.get(call.id)).resolves.toMatchObject({
            state: 'waiting',
            version: call.version + 1,
            claimTokenHash: sha256Hex(`browser-${winners[0]}`),
          });
        }
      });

      it('of two agents admitting at once, exactly one wins and the other sees `admitted`', async () => {
        const calls = [await claimed(), await claimed(), await claimed()];

        const rounds = await withConnections(2, async ([a, b]) => {
          const outcomes = [];
          for (const call of calls) {
            outcomes.push(
              await Promise.all([
                a!.transition(anAdmit(call, anAgent())),
                b!.transition(anAdmit(call, anotherAgent())),
              ]),
            );
          }
          return outcomes;
        });

        for (const [round, [first, second]] of rounds.entries()) {
          expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
          const loser = first.ok ? second : first;
          expect(loser).toMatchObject({ ok: false, current: { state: 'admitted' } });
          const events = await store.events(calls[round]!.id);
          expect(events.filter((e) => e.type === 'admitted')).toHaveLength(1);
        }
      });

      it('a reader following eventsSince while others write sees every event exactly once', async () => {
        const calls = await Promise.all(Array.from({ length: 40 }, () => stored()));
        const start = (await store.eventsSince(0, 1000)).at(-1)!.seq;

        const seen: number[] = await withConnections(4, async ([reader, ...writers]) => {
          let writing = true;
          const writes = Promise.all(
            calls.map(async (call, i) => {
              const writer = writers[i % writers.length]!;
              await writer.transition(aClaim(call));
              await writer.transition(anAdmit(call));
            }),
          ).finally(() => (writing = false));
          const collected: number[] = [];
          let cursor = start;
          for (;;) {
            // A real follower (the outbox and report workers) polls on a timer: it lets the event
            // loop turn between reads, as SQLite's group commit needs to commit the writes.
            await new Promise((resolve) => setImmediate(resolve));
            const stillWriting = writing;
            const batch = await reader!.eventsSince(cursor, 7);
            collected.push(...batch.map((e) => e.seq));
            cursor = batch.at(-1)?.seq ?? cursor;
            if (batch.length === 0 && !stillWriting) break;
          }
          await writes;
          return collected;
        });

        const all = (await store.eventsSince(start, 1000)).map((e) => e.seq);
        expect(all).toHaveLength(80);
        expect(seen).toEqual(all);
      });

      it('moves many calls at once without losing an update or an event', async () => {
        const calls = await Promise.all(Array.from({ length: 20 }, () => stored()));

        const results = await withConnections(3, (stores) =>
          Promise.all(calls.map((call, i) => stores[i % stores.length]!.transition(aClaim(call)))),
        );

        expect(results.every((r) => r.ok)).toBe(true);
        const events = await store.eventsSince(0, 1000);
        expect(events).toHaveLength(40);
        expect(new Set(events.map((e) => e.seq)).size).toBe(40);
        await expect(store.list({ states: ['waiting'] })).resolves.toHaveLength(20);
      });
    });
  });
}
