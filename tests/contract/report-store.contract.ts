import { randomUUID } from 'node:crypto';
import {
  asAadObjectId,
  getReport,
  type Actor,
  type CallState,
  type CallStore,
  type CallEventType,
  type Report,
  type ReportCounts,
  type ReportDeps,
  type ReportStore,
} from '@shared';
import { aCall, aTeam, anAgent, anotherAgent } from '../fixtures/calls';

/** What each adapter's test file hands the suite: a call store and a report store on one database. */
export type ReportStoreFixture = {
  readonly calls: CallStore;
  readonly reports: ReportStore;
  cleanup(): Promise<void>;
};

const alice = anAgent();
const bob = anotherAgent();
const team = aTeam();
const customer: Actor = { kind: 'customer' };
const system: Actor = { kind: 'system' };
const byAlice: Actor = { kind: 'agent', id: alice.id, name: alice.name };

type Step = { at: string; type: CallEventType; to: CallState; actor: Actor };

/** One call's life: created at `createdAt`, then each step as one compare-and-set. */
async function play(
  store: CallStore,
  options: { owner: typeof alice; team?: boolean; createdAt: string; steps: Step[] },
): Promise<string> {
  const id = randomUUID();
  await store.insert(
    aCall({
      id,
      agent: options.owner,
      team: options.team ? team : undefined,
      createdAt: options.createdAt,
      updatedAt: options.createdAt,
      expiresAt: '2026-04-30T00:00:00.000Z',
    }),
    {
      type: 'created',
      at: options.createdAt,
      actor: { kind: 'agent', id: options.owner.id, name: options.owner.name },
      toState: 'scheduled',
    },
  );
  let state: CallState = 'scheduled';
  for (const step of options.steps) {
    const patch =
      step.type === 'claimed'
        ? { claimedAt: step.at, customerName: 'Jürgen Öztürk' }
        : step.type === 'admitted'
          ? { admittedAt: step.at, admittedBy: alice }
          : step.type === 'ended'
            ? { endedAt: step.at }
            : {};
    const result = await store.transition({
      id,
      expected: [state],
      to: step.to,
      patch,
      event: {
        type: step.type,
        at: step.at,
        actor: step.actor,
        fromState: state,
        toState: step.to,
      },
      at: step.at,
    });
    if (!result.ok) throw new Error(`seed step ${step.type} failed`);
    state = step.to;
  }
  return id;
}

/**
 * The seeded history (times UTC). Europe/Berlin leaves CET for CEST on 2026-03-29 at 01:00 UTC;
 * America/New_York is on EDT (UTC−4) throughout.
 */
async function seed(fx: ReportStoreFixture): Promise<void> {
  const s = (at: string, type: CallEventType, to: CallState, actor: Actor = customer): Step => ({
    at,
    type,
    to,
    actor,
  });
  await play(fx.calls, {
    owner: alice,
    team: true,
    createdAt: '2026-03-28T08:00:00.000Z',
    steps: [
      s('2026-03-28T08:10:00.000Z', 'claimed', 'waiting'),
      s('2026-03-28T08:10:30.000Z', 'admitted', 'admitted', byAlice),
      s('2026-03-28T08:25:30.000Z', 'ended', 'ended'),
    ],
  });
  const a2 = await play(fx.calls, {
    owner: alice,
    team: true,
    createdAt: '2026-03-28T22:30:00.000Z',
    steps: [s('2026-03-29T00:30:00.000Z', 'claimed', 'waiting')],
  });
  await fx.reports.markEscalated(a2, '2026-03-29T00:31:00.000Z');
  await fx.reports.markEscalated(a2, '2026-03-29T00:31:30.000Z'); // only the first counts
  await fx.calls.transition({
    id: a2,
    expected: ['waiting'],
    to: 'admitted',
    patch: { admittedAt: '2026-03-29T00:32:00.000Z', admittedBy: alice },
    event: {
      type: 'admitted',
      at: '2026-03-29T00:32:00.000Z',
      actor: byAlice,
      fromState: 'waiting',
      toState: 'admitted',
    },
    at: '2026-03-29T00:32:00.000Z',
  });
  await fx.calls.transition({
    id: a2,
    expected: ['admitted'],
    to: 'ended',
    patch: { endedAt: '2026-03-29T01:02:00.000Z' },
    event: {
      type: 'ended',
      at: '2026-03-29T01:02:00.000Z',
      actor: customer,
      fromState: 'admitted',
      toState: 'ended',
    },
    at: '2026-03-29T01:02:00.000Z',
  });
  const a3 = await play(fx.calls, {
    owner: alice,
    createdAt: '2026-03-29T01:30:00.000Z',
    steps: [],
  });
  await fx.reports.markOpened(a3, '2026-03-29T01:40:00.000Z');
  await fx.reports.markOpened(a3, '2026-03-29T01:45:00.000Z');
  await fx.calls.transition({
    id: a3,
    expected: ['scheduled'],
    to: 'expired',
    event: {
      type: 'expired',
      at: '2026-03-29T03:30:00.000Z',
      actor: system,
      fromState: 'scheduled',
      toState: 'expired',
    },
    at: '2026-03-29T03:30:00.000Z',
  });
  await play(fx.calls, {
    owner: alice,
    createdAt: '2026-03-29T09:00:00.000Z',
    steps: [
      s('2026-03-29T09:05:00.000Z', 'claimed', 'waiting'),
      s('2026-03-29T09:20:00.000Z', 'abandoned', 'abandoned', system),
    ],
  });
  await play(fx.calls, {
    owner: alice,
    team: true,
    createdAt: '2026-03-29T10:00:00.000Z',
    steps: [
      s('2026-03-29T10:01:00.000Z', 'claimed', 'waiting'),
      s('2026-03-29T10:02:00.000Z', 'declined', 'declined', byAlice),
    ],
  });
  await play(fx.calls, {
    owner: bob,
    createdAt: '2026-03-29T12:00:00.000Z',
    steps: [
      s('2026-03-29T12:30:00.000Z', 'revoked', 'revoked', {
        kind: 'agent',
        id: bob.id,
        name: bob.name,
      }),
    ],
  });
  await play(fx.calls, {
    owner: bob,
    createdAt: '2026-03-30T21:30:00.000Z',
    steps: [
      s('2026-03-30T22:15:00.000Z', 'claimed', 'waiting'),
      s('2026-03-30T22:15:10.000Z', 'admitted', 'admitted', byAlice),
      s('2026-03-30T22:20:10.000Z', 'ended', 'ended'),
    ],
  });
}

const counts = (c: Partial<ReportCounts>): ReportCounts => ({
  created: 0,
  openedNotClaimed: 0,
  claimed: 0,
  admitted: 0,
  declined: 0,
  abandoned: 0,
  expired: 0,
  revoked: 0,
  ended: 0,
  cardsAnswered: 0,
  answeredAfterEscalation: 0,
  ...c,
});

const agentPrincipal = { id: alice.id, name: alice.name };

function deps(reports: ReportStore, now: string): ReportDeps {
  return {
    reports,
    clock: { now: () => new Date(now) },
    teams: { isMember: () => Promise.resolve(true) },
    reportsGroup: { isMember: () => Promise.resolve(true) },
    settings: { admitTargetSeconds: 60 },
  };
}

const LATER = '2026-04-10T12:00:00.000Z';

function orgBerlin(reports: ReportStore, now = LATER): Promise<Report> {
  return getReport(deps(reports, now), agentPrincipal, {
    scope: 'org',
    from: '2026-03-28',
    to: '2026-03-30',
    timeZone: 'Europe/Berlin',
  });
}

function orgNewYork(reports: ReportStore, now = LATER): Promise<Report> {
  return getReport(deps(reports, now), agentPrincipal, {
    scope: 'org',
    from: '2026-03-28',
    to: '2026-03-30',
    timeZone: 'America/New_York',
  });
}

function expectBerlin(report: Report): void {
  expect(report.totals).toEqual(
    counts({
      created: 7,
      claimed: 4,
      admitted: 2,
      ended: 2,
      declined: 1,
      abandoned: 1,
      expired: 1,
      revoked: 1,
      openedNotClaimed: 1,
      cardsAnswered: 3,
      answeredAfterEscalation: 1,
    }),
  );
  expect(report.timeToAdmit).toEqual({ count: 2, p50: 30, p90: 120, max: 120, withinTarget: 0.5 });
  expect(report.callLength).toEqual({ count: 2, p50: 900, p90: 1800, max: 1800 });
  expect(
    report.days.map((d) => [d.date, d.counts.created, d.counts.claimed, d.counts.admitted]),
  ).toEqual([
    ['2026-03-28', 2, 1, 1],
    ['2026-03-29', 4, 3, 1],
    ['2026-03-30', 1, 0, 0],
  ]);
  // Arrivals: Sat 09:10 CET, Sun 01:30 CET, Sun 11:05 and 12:01 CEST (weekday 0 = Monday).
  const hot = report.heatMap.flatMap((row, day) =>
    row.flatMap((n, hour) => (n > 0 ? [[day, hour, n]] : [])),
  );
  expect(hot).toEqual([
    [5, 9, 1],
    [6, 1, 1],
    [6, 11, 1],
    [6, 12, 1],
  ]);
  expect(report.waitDistribution.map((b) => b.count)).toEqual([0, 0, 1, 0, 1, 0]);
}

function expectNewYork(report: Report): void {
  expect(report.totals).toEqual(
    counts({
      created: 7,
      claimed: 5,
      admitted: 3,
      ended: 3,
      declined: 1,
      abandoned: 1,
      expired: 1,
      revoked: 1,
      openedNotClaimed: 1,
      cardsAnswered: 3,
      answeredAfterEscalation: 1,
    }),
  );
  expect(report.timeToAdmit).toEqual({
    count: 3,
    p50: 30,
    p90: 120,
    max: 120,
    withinTarget: 2 / 3,
  });
  expect(report.callLength).toEqual({ count: 3, p50: 900, p90: 1800, max: 1800 });
  expect(report.days.map((d) => d.counts)).toEqual([
    counts({
      created: 3,
      claimed: 2,
      admitted: 2,
      ended: 2,
      expired: 1,
      openedNotClaimed: 1,
      cardsAnswered: 2,
      answeredAfterEscalation: 1,
    }),
    counts({ created: 3, claimed: 2, abandoned: 1, declined: 1, revoked: 1, cardsAnswered: 1 }),
    counts({ created: 1, claimed: 1, admitted: 1, ended: 1 }),
  ]);
}

/**
 * One more call for the half-hour zone: created 2026-03-29 23:50 in Kolkata (18:20 UTC), the customer
 * arrives at 00:10 on the 30th (18:40 UTC) — on the other side of a local midnight that falls between
 * two UTC hours.
 */
async function seedKolkata(fx: ReportStoreFixture): Promise<void> {
  await play(fx.calls, {
    owner: alice,
    createdAt: '2026-03-29T18:20:00.000Z',
    steps: [
      { at: '2026-03-29T18:40:00.000Z', type: 'claimed', to: 'waiting', actor: customer },
      { at: '2026-03-29T18:40:45.000Z', type: 'admitted', to: 'admitted', actor: byAlice },
      { at: '2026-03-29T18:50:45.000Z', type: 'ended', to: 'ended', actor: customer },
    ],
  });
}

function orgKolkata(reports: ReportStore, now = LATER): Promise<Report> {
  return getReport(deps(reports, now), agentPrincipal, {
    scope: 'org',
    from: '2026-03-28',
    to: '2026-03-30',
    timeZone: 'Asia/Kolkata',
  });
}

function expectKolkata(report: Report): void {
  expect(report.days.map((d) => d.counts)).toEqual([
    counts({ created: 1, claimed: 1, admitted: 1, ended: 1, cardsAnswered: 1 }),
    counts({
      created: 6,
      claimed: 3,
      admitted: 1,
      ended: 1,
      declined: 1,
      abandoned: 1,
      expired: 1,
      revoked: 1,
      openedNotClaimed: 1,
      cardsAnswered: 2,
      answeredAfterEscalation: 1,
    }),
    counts({ claimed: 1, admitted: 1, ended: 1 }),
  ]);
  expect(report.totals.created).toBe(7);
  expect(report.timeToAdmit).toEqual({
    count: 3,
    p50: 45,
    p90: 120,
    max: 120,
    withinTarget: 2 / 3,
  });
  expect(report.callLength).toEqual({ count: 3, p50: 900, p90: 1800, max: 1800 });
  // Arrivals at Sat 13:40, Sun 06:00, 14:35 and 15:31, Mon 00:10 (weekday 0 = Monday).
  const hot = report.heatMap.flatMap((row, day) =>
    row.flatMap((n, hour) => (n > 0 ? [[day, hour, n]] : [])),
  );
  expect(hot).toEqual([
    [0, 0, 1],
    [5, 13, 1],
    [6, 6, 1],
    [6, 14, 1],
    [6, 15, 1],
  ]);
}

/** The report store contract, run against every adapter. */
export function reportStoreContract(name: string, create: () => Promise<ReportStoreFixture>): void {
  describe(`${name} (ReportStore contract)`, () => {
    let fx: ReportStoreFixture;
    beforeEach(async () => {
      fx = await create();
      await seed(fx);
    });
    afterEach(() => fx.cleanup());

    it('gives the known figures from raw events before anything is rolled up', async () => {
      expect(await fx.reports.rolledUpBefore()).toBe('2026-03-28T08:00:00.000Z');
      expectBerlin(await orgBerlin(fx.reports));
      expectNewYork(await orgNewYork(fx.reports));
    });

    it('gives exactly the same figures from the roll-ups, across the DST change and two zones', async () => {
      const result = await fx.reports.rollUp(LATER, 1000);
      expect(result.events).toBe(22);
      expect(await fx.reports.rolledUpBefore()).toBeUndefined();
      expectBerlin(await orgBerlin(fx.reports));
      expectNewYork(await orgNewYork(fx.reports));
    });

    it('agrees when the roll-up stopped half-way and when today is read raw', async () => {
      await fx.reports.rollUp(LATER, 9);
      expectBerlin(await orgBerlin(fx.reports));
      await fx.reports.rollUp(LATER, 1000);
      // "Today" is 2026-03-29 in Berlin: that day and the next come from raw events.
      expectBerlin(await orgBerlin(fx.reports, '2026-03-29T15:00:00.000Z'));
    });

    it('leaves events newer than settledBefore for a later pass, and never counts one twice', async () => {
      const first = await fx.reports.rollUp('2026-03-29T00:00:00.000Z', 1000);
      expect(first.events).toBe(5);
      await Promise.all([fx.reports.rollUp(LATER, 1000), fx.reports.rollUp(LATER, 1000)]);
      await fx.reports.rollUp(LATER, 1000);
      expectBerlin(await orgBerlin(fx.reports));
    });

    it('scopes figures to a team and to an agent', async () => {
      await fx.reports.rollUp(LATER, 1000);
      const teamReport = await getReport(deps(fx.reports, LATER), agentPrincipal, {
        scope: 'team',
        teamId: team.id,
        from: '2026-03-28',
        to: '2026-03-30',
        timeZone: 'Europe/Berlin',
      });
      expect(teamReport.totals).toEqual(
        counts({
          created: 3,
          claimed: 3,
          admitted: 2,
          ended: 2,
          declined: 1,
          cardsAnswered: 3,
          answeredAfterEscalation: 1,
        }),
      );
      expect(teamReport.escalationShare).toBeCloseTo(1 / 3);
      const bobs = await getReport(
        deps(fx.reports, LATER),
        { id: bob.id, name: bob.name },
        {
          scope: 'me',
          from: '2026-03-28',
          to: '2026-03-30',
          timeZone: 'Europe/Berlin',
        },
      );
      expect(bobs.totals).toEqual(counts({ created: 2, revoked: 1 }));
    });

    it('rebuilds the roll-ups idempotently', async () => {
      await fx.reports.rollUp(LATER, 1000);
      const before = await orgBerlin(fx.reports);
      await fx.reports.rebuild('2026-03-01T00:00:00.000Z');
      await fx.reports.rebuild('2026-03-01T00:00:00.000Z');
      expect(await orgBerlin(fx.reports)).toEqual(before);
      expectNewYork(await orgNewYork(fx.reports));
    });

    it("keeps the figures after the calls (and the customers' names) are purged", async () => {
      await fx.reports.rollUp(LATER, 1000);
      const before = await orgNewYork(fx.reports);
      expect(await fx.calls.purge(LATER)).toBe(7);
      expect(await fx.calls.list({})).toEqual([]);
      expect(await orgNewYork(fx.reports)).toEqual(before);
      // A rebuild from after the purged days leaves those days alone.
      await fx.reports.rebuild('2026-04-01T00:00:00.000Z');
      expect(await orgNewYork(fx.reports)).toEqual(before);
    });

    it('lists calls for the export page by page, without customer names', async () => {
      const page1 = await fx.reports.callRows({
        scope: { kind: 'org' },
        from: '2026-03-28T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        limit: 4,
      });
      const tail = page1[page1.length - 1]!;
      const page2 = await fx.reports.callRows({
        scope: { kind: 'org' },
        from: '2026-03-28T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        after: { createdAt: tail.createdAt, id: tail.id },
        limit: 4,
      });
      const all = [...page1, ...page2];
      expect(all.map((r) => r.createdAt)).toEqual([
        '2026-03-28T08:00:00.000Z',
        '2026-03-28T22:30:00.000Z',
        '2026-03-29T01:30:00.000Z',
        '2026-03-29T09:00:00.000Z',
        '2026-03-29T10:00:00.000Z',
        '2026-03-29T12:00:00.000Z',
        '2026-03-30T21:30:00.000Z',
      ]);
      expect(all[2]).toMatchObject({ state: 'expired', openedAt: '2026-03-29T01:40:00.000Z' });
      expect(all[0]).toMatchObject({ teamName: team.name, admittedByName: alice.name });
      expect(JSON.stringify(all)).not.toContain('Jürgen');
      const bobs = await fx.reports.callRows({
        scope: { kind: 'agent', agentId: asAadObjectId(bob.id) },
        from: '2026-03-28T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        limit: 100,
      });
      expect(bobs).toHaveLength(2);
    });

    it('cuts Indian days at 18:30 UTC, from raw events, roll-ups and both at once', async () => {
      await seedKolkata(fx);
      expectKolkata(await orgKolkata(fx.reports));
      await fx.reports.rollUp(LATER, 12);
      expectKolkata(await orgKolkata(fx.reports));
      await fx.reports.rollUp(LATER, 1000);
      expectKolkata(await orgKolkata(fx.reports));
      // 00:30 on the 30th in Kolkata: that day is read raw from 18:30 UTC on, the rest rolled up.
      expectKolkata(await orgKolkata(fx.reports, '2026-03-29T19:00:00.000Z'));
      // The other zones still agree with the extra call counted where it belongs.
      const berlin = await orgBerlin(fx.reports);
      expect(berlin.days.map((d) => d.counts.created)).toEqual([2, 5, 1]);
      expect(berlin.heatMap[6]![20]).toBe(1);
    });

    it('ignores facts about unknown calls and purges old roll-ups', async () => {
      await fx.reports.markOpened(randomUUID(), '2026-03-29T01:40:00.000Z');
      await fx.reports.rollUp(LATER, 1000);
      expect(await fx.reports.purge('2026-03-29T00:00:00.000Z')).toBeGreaterThan(0);
      const report = await orgBerlin(fx.reports);
      expect(report.days[0]!.counts.created).toBe(0);
      expect(report.days[1]!.counts.created).toBe(4);
    });
  });
}

/** A row of the v1 `report_hourly` table (counts by column name, per-second histograms). */
export type HourlyRow = {
  readonly scopeKey: string;
  readonly hour: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly wait: Readonly<Record<number, number>>;
  readonly length: Readonly<Record<number, number>>;
};

/** A database whose `reports` namespace stopped at migration 1 (hourly roll-ups). */
export type ReportStoreV1Fixture = {
  insertHourly(rows: readonly HourlyRow[]): Promise<void>;
  /** Opens the current store on that database (its `migrate` not run yet). */
  open(): Promise<ReportStore>;
  cleanup(): Promise<void>;
};

/** Migration 2 carries the old hourly roll-ups over: same figures, durations in buckets. */
export function hourlyRollUpMigrationContract(
  name: string,
  createAtV1: () => Promise<ReportStoreV1Fixture>,
): void {
  describe(`${name} (hourly roll-ups migrate)`, () => {
    let fx: ReportStoreV1Fixture;
    beforeEach(async () => {
      fx = await createAtV1();
    });
    afterEach(() => fx.cleanup());

    it('keeps the counts, maxima and durations of roll-ups made before the upgrade', async () => {
      const row = (scopeKey: string, hour: string, rest: Partial<HourlyRow>): HourlyRow => ({
        scopeKey,
        hour,
        counts: {},
        wait: {},
        length: {},
        ...rest,
      });
      await fx.insertHourly([
        row('o', '2026-03-29T10:00:00.000Z', {
          counts: { created: 2, claimed: 2, admitted: 2 },
          wait: { 45: 1, 301: 1 },
        }),
        row('o', '2026-03-29T11:00:00.000Z', { counts: { ended: 1 }, length: { 1234: 1 } }),
        row(`a:${alice.id}`, '2026-03-29T10:00:00.000Z', { counts: { created: 1 } }),
      ]);
      const reports = await fx.open();
      await reports.migrate();
      await reports.migrate();
      const report = await getReport(deps(reports, LATER), agentPrincipal, {
        scope: 'org',
        from: '2026-03-29',
        to: '2026-03-29',
        timeZone: 'Europe/Berlin',
      });
      expect(report.totals).toEqual(counts({ created: 2, claimed: 2, admitted: 2, ended: 1 }));
      expect(report.timeToAdmit).toEqual({
        count: 2,
        p50: 45,
        p90: 300,
        max: 301,
        withinTarget: 0.5,
      });
      expect(report.callLength).toEqual({ count: 1, p50: 1230, p90: 1230, max: 1234 });
      expect(report.heatMap[6]![12]).toBe(2);
      const mine = await getReport(deps(reports, LATER), agentPrincipal, {
        scope: 'me',
        from: '2026-03-29',
        to: '2026-03-29',
        timeZone: 'Europe/Berlin',
      });
      expect(mine.totals.created).toBe(1);
      await reports.close();
    });
  });
}
