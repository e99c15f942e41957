import {
  CALL_STATES,
  TERMINAL_STATES,
  customerLinkStatus,
  customerView,
  type CallRecord,
  type CallState,
  type CustomerView,
} from '@shared';
import { T0, aCall, at } from '../../fixtures/calls';

// The customer's page is one pure decision. Each case names the call, who looks, and when.

const rules = { lobbyTimeoutSeconds: 900, earlyJoinMinutes: 30, lobbyWarningSeconds: 120 };
// aCall(): starts at T0+30 min (claims open at T0), link expires at T0+120 min.
const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0';

const inState = (state: CallState, extra: Partial<CallRecord> = {}): CallRecord =>
  Object.freeze(
    aCall({
      state,
      ...(state === 'scheduled' ? {} : { claimedAt: at(5), claimTokenHash: 'h' }),
      declineReason: state === 'declined' ? 'We are closed today' : undefined,
      ...extra,
    }),
  );

const view = (call: CallRecord, claimant: boolean, minutes = 10): CustomerView =>
  customerView(call, { claimant }, new Date(at(minutes)), rules);

// What each state shows to the claimant and to any other browser, with our own call page and with
// a Teams meeting, inside every time limit.
const EXPECTED: Record<CallState, { claimant: string; other: string; teamsClaimant?: string }> = {
  scheduled: { claimant: 'landing', other: 'landing' },
  waiting: { claimant: 'lobby', other: 'dead:claimed-elsewhere' },
  admitted: {
    claimant: 'call',
    other: 'dead:claimed-elsewhere',
    teamsClaimant: 'teams-handoff',
  },
  in_call: { claimant: 'call', other: 'dead:claimed-elsewhere', teamsClaimant: 'teams-handoff' },
  ended: { claimant: 'dead:ended', other: 'dead:ended' },
  declined: { claimant: 'dead:declined', other: 'dead:declined' },
  revoked: { claimant: 'dead:revoked', other: 'dead:revoked' },
  expired: { claimant: 'dead:expired', other: 'dead:expired' },
  abandoned: { claimant: 'dead:abandoned', other: 'dead:abandoned' },
  timed_out: { claimant: 'dead:timed_out', other: 'dead:timed_out' },
};

const label = (v: CustomerView) => (v.page === 'dead' ? `dead:${v.reason}` : v.page);

const cases = CALL_STATES.flatMap((state) =>
  [true, false].flatMap((claimant) =>
    [false, true].map((teams) => [state, claimant, teams] as const),
  ),
);

describe('customerView', () => {
  it.each(cases)('a %s call, claimant %s, Teams meeting %s', (state, claimant, teams) => {
    const call = inState(
      state,
      teams ? { meeting: { ...aCall().meeting, provider: 'teams', joinUrl: JOIN_URL } } : {},
    );
    const row = EXPECTED[state];
    const expected = claimant ? (teams && row.teamsClaimant) || row.claimant : row.other;
    const result = view(call, claimant);
    expect(label(result)).toBe(expected);
    expect(result.state).toBe(state);
    // The meeting link is revealed to the claimant alone.
    if (!claimant) expect(JSON.stringify(result)).not.toContain('meetup-join');
  });

  it('gives the claimant of a declined call the agent reason, and nobody else', () => {
    expect(view(inState('declined'), true)).toMatchObject({ declineReason: 'We are closed today' });
    expect(view(inState('declined'), false)).toMatchObject({ declineReason: undefined });
    for (const state of TERMINAL_STATES.filter((s) => s !== 'declined'))
      expect(view(inState(state), true)).toMatchObject({ declineReason: undefined });
  });

  it('hands the admitted claimant the Teams join URL', () => {
    const call = inState('admitted', {
      meeting: { ...aCall().meeting, provider: 'teams', joinUrl: JOIN_URL },
    });
    expect(view(call, true)).toEqual({
      page: 'teams-handoff',
      state: 'admitted',
      joinUrl: JOIN_URL,
    });
  });

  it('shows the lobby with the time waited and the agent note', () => {
    const note = { text: 'Two minutes', at: at(8) };
    expect(view(inState('waiting', { lobbyMessage: note }), true, 7)).toEqual({
      page: 'lobby',
      state: 'waiting',
      waitedSeconds: 120,
      lobbyMessage: note,
      timeoutInSeconds: 780,
      warn: false,
      agentTold: false,
    });
  });

  describe('time', () => {
    it('shows an unclaimed link as too early before claims open, with when they open', () => {
      expect(view(inState('scheduled'), false, -1)).toEqual({
        page: 'too-early',
        state: 'scheduled',
        opensAt: T0,
      });
      expect(view(inState('scheduled'), false, 0)).toEqual({
        page: 'landing',
        state: 'scheduled',
        opensAt: T0,
      });
    });

    it('shows an unclaimed link past its expiry as expired, before any sweep', () => {
      expect(label(view(inState('scheduled'), false, 119))).toBe('landing');
      expect(view(inState('scheduled'), false, 120)).toMatchObject({
        page: 'dead',
        state: 'expired',
        reason: 'expired',
      });
    });

    it('shows a lobby past its timeout as timed out, to the claimant too', () => {
      // Claimed at T0+5; the lobby times out 15 minutes later.
      expect(label(view(inState('waiting'), true, 19))).toBe('lobby');
      expect(label(view(inState('waiting'), true, 20))).toBe('dead:timed_out');
      expect(label(view(inState('waiting'), false, 20))).toBe('dead:timed_out');
    });

    it('shows a lobby past the link expiry as timed out even within its timeout', () => {
      const call = inState('waiting', { claimedAt: at(115) });
      expect(label(view(call, true, 119))).toBe('lobby');
      expect(label(view(call, true, 120))).toBe('dead:timed_out');
    });

    it('warns the waiting customer within the warning lead of the time-out, not before', () => {
      // Claimed at T0+5, times out at T0+20; the warning lead is 2 minutes.
      expect(view(inState('waiting'), true, 17)).toMatchObject({
        page: 'lobby',
        timeoutInSeconds: 180,
        warn: false,
      });
      expect(view(inState('waiting'), true, 18)).toMatchObject({
        timeoutInSeconds: 120,
        warn: true,
      });
    });

    it('counts the time-out again from the last extension of the wait', () => {
      const extended = inState('waiting', { lobbyExtendedAt: at(18) });
      expect(view(extended, true, 19)).toMatchObject({ timeoutInSeconds: 14 * 60, warn: false });
      expect(label(view(extended, true, 32))).toBe('lobby');
      expect(label(view(extended, true, 33))).toBe('dead:timed_out');
    });

    it('never extends a wait past the link expiry', () => {
      const extended = inState('waiting', { lobbyExtendedAt: at(110) });
      expect(view(extended, true, 111)).toMatchObject({ timeoutInSeconds: 9 * 60 });
      expect(label(view(extended, true, 120))).toBe('dead:timed_out');
    });

    it('says the agent was told only when the agent side is known to have heard', () => {
      const call = inState('waiting');
      expect(view(call, true, 10)).toMatchObject({ agentTold: false });
      expect(
        customerView(call, { claimant: true }, new Date(at(10)), rules, { told: true }),
      ).toMatchObject({ agentTold: true });
    });

    it('names the agent on every dead end, to the claimant and to anybody else', () => {
      for (const state of [
        'ended',
        'declined',
        'revoked',
        'expired',
        'abandoned',
        'timed_out',
      ] as const) {
        for (const claimant of [true, false]) {
          expect(view(inState(state), claimant)).toMatchObject({
            page: 'dead',
            agentName: aCall().agent.name,
          });
        }
      }
      expect(view(inState('waiting'), false)).toMatchObject({
        reason: 'claimed-elsewhere',
        agentName: aCall().agent.name,
      });
    });

    it('shows a running call past the link expiry as ended', () => {
      expect(label(view(inState('in_call'), true, 119))).toBe('call');
      expect(label(view(inState('in_call'), true, 120))).toBe('dead:ended');
      expect(label(view(inState('admitted'), false, 120))).toBe('dead:ended');
    });

    it('never brings a dead link back', () => {
      for (const state of TERMINAL_STATES)
        for (const minutes of [-60, 0, 10, 120, 10_000])
          expect(view(inState(state), true, minutes)).toMatchObject({
            page: 'dead',
            reason: state,
          });
    });
  });

  it('changes nothing it is given', () => {
    const call = inState('waiting');
    const copy = structuredClone(call);
    view(call, true);
    expect(call).toEqual(copy);
  });
});

// What a link says of itself to a browser that has not claimed it (the landing's JSON answer):
// derived from the view, so the route maps it to a status code and nothing else.
describe('customerLinkStatus', () => {
  it.each(CALL_STATES)('a %s call, to a browser that has not claimed it', (state) => {
    const expected = EXPECTED[state].other;
    const status = customerLinkStatus(view(inState(state), false));
    if (expected === 'landing') expect(status).toEqual({ link: 'open', state });
    else if (expected === 'dead:claimed-elsewhere') {
      expect(status).toEqual({ link: 'claimed', state: 'claimed' });
    } else expect(status).toEqual({ link: 'over', state });
  });

  it('calls a link that opens later open, with the state it has', () => {
    expect(customerLinkStatus(view(inState('scheduled'), false, -10))).toEqual({
      link: 'open',
      state: 'scheduled',
    });
  });

  it('calls a link past its expiry over, in the state the sweeper will leave it', () => {
    expect(customerLinkStatus(view(inState('scheduled'), false, 121))).toEqual({
      link: 'over',
      state: 'expired',
    });
  });

  it("never tells anybody else the state of the claimant's own pages", () => {
    const pages: CustomerView[] = [
      view(inState('waiting'), true),
      view(inState('admitted'), true),
      view(
        inState('admitted', {
          meeting: { ...aCall().meeting, provider: 'teams', joinUrl: JOIN_URL },
        }),
        true,
      ),
    ];
    for (const page of pages) {
      expect(customerLinkStatus(page)).toEqual({ link: 'claimed', state: 'claimed' });
    }
  });
});
