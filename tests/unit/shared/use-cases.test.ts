import {
  AppError,
  admitCall,
  asAadObjectId,
  claimLink,
  createCall,
  customerStatus,
  declineCall,
  effectiveState,
  endCallByAgent,
  leaveCall,
  markPresent,
  reissueCall,
  revokeCall,
  sendLobbyMessage,
  sweepDueCalls,
  type AgentPrincipal,
} from '@shared';
import { fakeDeps } from '../../fakes/fake-deps';

const alice: AgentPrincipal = { id: asAadObjectId('alice'), name: 'Alice' };
const bob: AgentPrincipal = { id: asAadObjectId('bob'), name: 'Bob' };
const team = { id: 'team-1', name: 'Support', channelId: '19:c@thread.tacv2' };

async function waitingCall(f = fakeDeps(), principal = alice, request = {}) {
  const created = await createCall(f.deps, principal, request);
  const claim = await claimLink(f.deps, created.code, 'Anna', undefined);
  return { ...f, created, claim };
}

const rejectsWith = async (promise: Promise<unknown>, code: string) => {
  await expect(promise).rejects.toBeInstanceOf(AppError);
  await expect(promise).rejects.toMatchObject({ code });
};

describe('creating a link', () => {
  it('stores only the hash of the code and publishes the new call', async () => {
    const f = fakeDeps();
    const created = await createCall(f.deps, alice, {});
    expect(created.link).toBe(`https://calls.example.com/j/${created.code}`);
    expect(created.call).toMatchObject({
      state: 'scheduled',
      title: 'Call with customer',
      durationMinutes: 30,
      timeZone: 'Europe/Berlin',
    });
    expect(JSON.stringify(await f.store.get(created.call.id))).not.toContain(created.code);
    expect(f.bus.published.map((c) => c.event.type)).toEqual(['created']);
    expect(created.sms.segments).toBe(1);
  });

  it('uses the German default title for a German customer', async () => {
    const { call } = await createCall(fakeDeps().deps, alice, { customerLocale: 'de' });
    expect(call.title).toBe('Gespräch mit Kunde');
  });

  it('refuses a team link from somebody outside the team, making no meeting', async () => {
    const f = fakeDeps();
    await rejectsWith(createCall(f.deps, alice, { team }), 'forbidden');
    expect(f.meetings.ops()).toEqual([]);
    expect(await f.store.list({})).toEqual([]);
  });

  it('passes the agent SSO token to the meeting provider (on-behalf-of)', async () => {
    const f = fakeDeps();
    await createCall(f.deps, { ...alice, userAssertion: 'sso-token' }, {});
    expect(f.meetings.calls[0]?.actor).toMatchObject({
      organizer: { id: 'alice' },
      userAssertion: 'sso-token',
    });
  });
});

describe('who may act on a call', () => {
  it('hides another agent call as if it did not exist', async () => {
    const { deps, created } = await waitingCall();
    await rejectsWith(admitCall(deps, bob, created.call.id), 'not-found');
  });

  it('lets any member of the team act on a team call', async () => {
    const f = fakeDeps();
    f.teams.members['team-1'] = ['alice', 'bob'];
    const { deps, created } = await waitingCall(f, alice, { team });
    const { call } = await admitCall(deps, bob, created.call.id);
    expect(call.admittedBy).toEqual({ id: 'bob', name: 'Bob' });
  });

  it('reports a team directory outage instead of guessing', async () => {
    const f = fakeDeps();
    f.teams.members['team-1'] = ['alice'];
    const { deps, created } = await waitingCall(f, alice, { team });
    f.teams.unavailable = true;
    await rejectsWith(admitCall(deps, bob, created.call.id), 'upstream-unavailable');
  });
});

describe('agent actions', () => {
  it('keeps the admission when the meeting provider fails, and says so', async () => {
    const { deps, created, meetings } = await waitingCall();
    meetings.failWith = new AppError('upstream-unavailable', 'graph down');
    const result = await admitCall(deps, alice, created.call.id);
    expect(result.call.state).toBe('admitted');
    expect(result.meetingError).toBeInstanceOf(AppError);
  });

  it('reveals the meeting join URL to the claiming browser only once it is admitted', async () => {
    const f = fakeDeps();
    f.meetings.joinUrl = 'https://teams.microsoft.com/l/meetup-join/x';
    const { deps, created, claim } = await waitingCall(f);
    expect((await customerStatus(deps, created.code, claim.claimToken)).next).toBeUndefined();
    expect(JSON.stringify(created.call)).toContain('meetup-join');
    await admitCall(deps, alice, created.call.id);
    expect((await customerStatus(deps, created.code, claim.claimToken)).next).toBe(
      'https://teams.microsoft.com/l/meetup-join/x',
    );
  });

  it('sends an admitted customer of a local meeting to our own call page', async () => {
    const { deps, created, claim } = await waitingCall();
    await admitCall(deps, alice, created.call.id);
    expect((await customerStatus(deps, created.code, claim.claimToken)).next).toBe(
      `https://calls.example.com/j/${created.code}/call`,
    );
  });

  it('closes the meeting when the customer is declined or the link revoked', async () => {
    const a = await waitingCall();
    await declineCall(a.deps, alice, a.created.call.id, undefined);
    expect(a.meetings.ops()).toEqual(['create', 'close']);
    const f = fakeDeps();
    const created = await createCall(f.deps, alice, {});
    await revokeCall(f.deps, alice, created.call.id);
    expect(f.meetings.ops()).toEqual(['create', 'close']);
  });

  it('refuses what the state does not allow, with the state in the error', async () => {
    const f = fakeDeps();
    const created = await createCall(f.deps, alice, {});
    const attempt = admitCall(f.deps, alice, created.call.id);
    await expect(attempt).rejects.toMatchObject({
      code: 'state-conflict',
      details: { state: 'scheduled' },
    });
    await rejectsWith(endCallByAgent(f.deps, alice, created.call.id), 'state-conflict');
    await rejectsWith(sendLobbyMessage(f.deps, alice, created.call.id, 'hi'), 'state-conflict');
  });

  it('ends an admitted call from the agent side', async () => {
    const { deps, created } = await waitingCall();
    await admitCall(deps, alice, created.call.id);
    const { call } = await endCallByAgent(deps, alice, created.call.id);
    expect(call).toMatchObject({ state: 'ended', endedAt: '2026-11-25T09:00:00.000Z' });
  });
});

describe('reissue', () => {
  it('revokes an unused link and makes a new one with the same settings', async () => {
    const f = fakeDeps();
    const old = await createCall(f.deps, alice, {
      title: 'Boiler',
      durationMinutes: 45,
      customerLocale: 'de',
    });
    const fresh = await reissueCall(f.deps, alice, old.call.id);
    expect(fresh.call).toMatchObject({
      title: 'Boiler',
      durationMinutes: 45,
      customerLocale: 'de',
      reissuedFrom: old.call.id,
    });
    expect(await f.store.get(old.call.id)).toMatchObject({
      state: 'revoked',
      reissuedTo: fresh.call.id,
    });
    expect(fresh.code).not.toBe(old.code);
  });

  it('keeps the appointment of a call booked for tomorrow: same start and duration', async () => {
    const f = fakeDeps();
    const tomorrow = new Date(f.clock.now().getTime() + 24 * 3600_000).toISOString();
    const old = await createCall(f.deps, alice, { startsAt: tomorrow, durationMinutes: 45 });
    f.clock.advance(3600);
    const fresh = await reissueCall(f.deps, alice, old.call.id);
    expect(fresh.call).toMatchObject({ startsAt: tomorrow, durationMinutes: 45 });
    expect(fresh.call.expiresAt).toBe(old.call.expiresAt);
    expect(fresh.message.text).toBe(old.message.text.replace(old.link, fresh.link));
  });

  it('starts now, with the original duration, once the booked start has passed', async () => {
    const f = fakeDeps();
    const old = await createCall(f.deps, alice, { durationMinutes: 45 });
    f.clock.advance(10 * 60);
    const fresh = await reissueCall(f.deps, alice, old.call.id);
    expect(fresh.call).toMatchObject({
      startsAt: f.clock.now().toISOString(),
      durationMinutes: 45,
    });
  });

  it('keeps a finished call finished and refuses a second reissue', async () => {
    const f = fakeDeps();
    const old = await createCall(f.deps, alice, {});
    await revokeCall(f.deps, alice, old.call.id);
    await reissueCall(f.deps, alice, old.call.id);
    expect((await f.store.get(old.call.id))?.state).toBe('revoked');
    await rejectsWith(reissueCall(f.deps, alice, old.call.id), 'state-conflict');
  });
});

describe('customers', () => {
  it('treats unknown and malformed codes alike', async () => {
    const { deps } = fakeDeps();
    await rejectsWith(claimLink(deps, 'AAAAAAAAAAAAAAAAAAAAAQ', 'Anna', undefined), 'not-found');
    await rejectsWith(claimLink(deps, '../../etc', 'Anna', undefined), 'not-found');
  });

  it('lets the claiming browser back in and nobody else', async () => {
    const { deps, created, claim } = await waitingCall();
    const again = await claimLink(deps, created.code, 'Anna', claim.claimToken);
    expect(again.fresh).toBe(false);
    await rejectsWith(claimLink(deps, created.code, 'Mallory', undefined), 'claimed-elsewhere');
    await rejectsWith(
      claimLink(deps, created.code, 'Mallory', 'forged-token'),
      'claimed-elsewhere',
    );
    await rejectsWith(customerStatus(deps, created.code, 'forged-token'), 'claimed-elsewhere');
  });

  it('marks the customer present once, and leave is idempotent', async () => {
    const { deps, created, claim, meetings, bus } = await waitingCall();
    await admitCall(deps, alice, created.call.id);
    await markPresent(deps, created.code, claim.claimToken);
    await markPresent(deps, created.code, claim.claimToken);
    expect(bus.published.filter((c) => c.event.type === 'joined')).toHaveLength(1);
    expect(meetings.ops()).toContain('lockLobby');
    await leaveCall(deps, created.code, claim.claimToken);
    const after = await leaveCall(deps, created.code, claim.claimToken);
    expect(after.state).toBe('ended');
    expect(bus.published.filter((c) => c.event.type === 'ended')).toHaveLength(1);
  });

  it('counts the waiting seconds from the claim', async () => {
    const { deps, created, claim, clock } = await waitingCall();
    clock.advance(75);
    expect(await customerStatus(deps, created.code, claim.claimToken)).toMatchObject({
      state: 'waiting',
      waitedSeconds: 75,
    });
  });
});

describe('time', () => {
  it('shows past-due calls as what the sweeper will make them', async () => {
    const f = fakeDeps();
    const unused = await createCall(f.deps, alice, { durationMinutes: 30 });
    const { created: waiting } = await waitingCall(f);
    f.clock.advance(15 * 60);
    expect(effectiveState((await f.store.get(waiting.call.id))!, f.deps)).toBe('timed_out');
    expect(effectiveState((await f.store.get(unused.call.id))!, f.deps)).toBe('scheduled');
    f.clock.advance(75 * 60);
    expect(effectiveState((await f.store.get(unused.call.id))!, f.deps)).toBe('expired');
  });

  it('sweeps each kind of past-due call once, closing their meetings', async () => {
    const f = fakeDeps();
    await createCall(f.deps, alice, { durationMinutes: 30 });
    await waitingCall(f);
    const admitted = await waitingCall(f);
    await admitCall(f.deps, alice, admitted.created.call.id);
    f.clock.advance(90 * 60);
    expect(await sweepDueCalls(f.deps)).toEqual({
      expired: 1,
      abandoned: 0,
      timedOut: 1,
      ended: 1,
      relocked: 0,
      seatsAbsent: 0,
      peerGone: 0,
      roomsCleared: 0,
    });
    expect(await sweepDueCalls(f.deps)).toEqual({
      expired: 0,
      abandoned: 0,
      timedOut: 0,
      ended: 0,
      relocked: 0,
      seatsAbsent: 0,
      peerGone: 0,
      roomsCleared: 0,
    });
    expect(f.meetings.ops().filter((o) => o === 'close')).toHaveLength(3);
  });

  it('does not sweep a lobby that is within its timeout', async () => {
    const f = fakeDeps();
    await waitingCall(f);
    f.clock.advance(15 * 60 - 1);
    expect(await sweepDueCalls(f.deps)).toEqual({
      expired: 0,
      abandoned: 0,
      timedOut: 0,
      ended: 0,
      relocked: 0,
      seatsAbsent: 0,
      peerGone: 0,
      roomsCleared: 0,
    });
  });

  it('locks a Teams lobby again once the admission window is over, once, even after a restart', async () => {
    const f = fakeDeps();
    f.meetings.makes = 'teams';
    const { created } = await waitingCall(f);
    await admitCall(f.deps, alice, created.call.id);
    f.clock.advance(119);
    expect((await sweepDueCalls(f.deps)).relocked).toBe(0);
    f.clock.advance(1);
    expect((await sweepDueCalls(f.deps)).relocked).toBe(1);
    expect((await sweepDueCalls(f.deps)).relocked).toBe(0);
    expect(f.meetings.ops().filter((o) => o === 'lockLobby')).toHaveLength(1);
    const call = await f.store.get(created.call.id);
    expect(call).toMatchObject({
      state: 'admitted',
      meeting: { lobbyLockedAt: '2026-11-25T09:02:00.000Z' },
    });
    expect((await f.store.events(created.call.id)).map((e) => e.type)).toContain('lobby-locked');
  });

  it('tries the lock again on the next sweep when Graph does not answer', async () => {
    const f = fakeDeps();
    f.meetings.makes = 'teams';
    const { created } = await waitingCall(f);
    await admitCall(f.deps, alice, created.call.id);
    f.clock.advance(300);
    f.meetings.failWith = new AppError('upstream-unavailable', 'graph down');
    expect((await sweepDueCalls(f.deps)).relocked).toBe(0);
    expect((await f.store.get(created.call.id))?.meeting.lobbyLockedAt).toBeUndefined();
    f.meetings.failWith = undefined;
    expect((await sweepDueCalls(f.deps)).relocked).toBe(1);
  });

  it('leaves calls without a Teams lobby alone', async () => {
    const f = fakeDeps();
    const { created } = await waitingCall(f);
    await admitCall(f.deps, alice, created.call.id);
    f.clock.advance(600);
    expect((await sweepDueCalls(f.deps)).relocked).toBe(0);
    expect(f.meetings.ops()).not.toContain('lockLobby');
  });
});
