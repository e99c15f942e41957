import {
  admitCall,
  meetingStepsFor,
  recordMeetingFailure,
  runMeetingStep,
  toCallDto,
  type CallEvent,
} from '@shared';
import { fakeDeps } from '../../fakes/fake-deps';
import { aCall, aCreatedEvent, aMeeting, anAgent } from '../../fixtures/calls';

const anEvent = (overrides: Partial<CallEvent>): CallEvent => ({
  seq: 7,
  callId: 'call-1',
  type: 'admitted',
  at: '2026-03-02T09:00:00.000Z',
  actor: { kind: 'system' },
  fromState: 'waiting',
  toState: 'admitted',
  ...overrides,
});

describe('meetingStepsFor', () => {
  it('opens the lobby on Admit and locks it again when the window is over', () => {
    expect(meetingStepsFor(anEvent({}), 600)).toEqual([
      expect.objectContaining({
        id: 'call-1:7:admit',
        step: 'admit',
        dueAt: '2026-03-02T09:00:00.000Z',
      }),
      expect.objectContaining({
        id: 'call-1:7:relock',
        step: 'relock',
        dueAt: '2026-03-02T09:10:00.000Z',
      }),
    ]);
  });

  it('locks once the customer is in, closes when the call dies, and nothing else', () => {
    expect(
      meetingStepsFor(anEvent({ type: 'joined', toState: 'in_call', fromState: 'admitted' }), 600),
    ).toEqual([expect.objectContaining({ id: 'call-1:7:lock', step: 'lock' })]);
    expect(meetingStepsFor(anEvent({ type: 'declined', toState: 'declined' }), 600)).toEqual([
      expect.objectContaining({ id: 'call-1:7:close', step: 'close' }),
    ]);
    // A dead call's later events (a reissue, a failure report) close nothing twice.
    expect(
      meetingStepsFor(anEvent({ type: 'reissued', fromState: 'ended', toState: 'ended' }), 600),
    ).toEqual([]);
    expect(
      meetingStepsFor(
        anEvent({ type: 'lobby-message', fromState: 'waiting', toState: 'waiting' }),
        600,
      ),
    ).toEqual([]);
  });
});

describe('moves with the meeting-sync outbox', () => {
  it('Admit commits the move without touching the meeting (the outbox does that)', async () => {
    const { deps, store, meetings } = fakeDeps();
    const withOutbox = { ...deps, settings: { ...deps.settings, meetingSync: 'outbox' as const } };
    await store.insert(
      aCall({ id: 'call-1', state: 'waiting', claimedAt: '2026-03-02T08:59:00.000Z' }),
      aCreatedEvent({ toState: 'waiting' }),
    );
    const { call } = await admitCall(withOutbox, anAgent(), 'call-1');
    expect(call.state).toBe('admitted');
    expect(meetings.ops()).toEqual([]);
  });

  it('runs a step for the call as it is now, and skips one that has nothing left to do', async () => {
    const { deps, store, meetings } = fakeDeps();
    await store.insert(
      aCall({ id: 'call-1', state: 'admitted', meeting: aMeeting({ provider: 'teams' }) }),
      aCreatedEvent({ toState: 'admitted' }),
    );
    expect(await runMeetingStep(deps, 'call-1', 'admit')).toBe('done');
    expect(await runMeetingStep(deps, 'call-1', 'relock')).toBe('done');
    expect((await store.get('call-1'))?.meeting.lobbyLockedAt).toBeDefined();
    // Locked already: the window's end has nothing left to do.
    expect(await runMeetingStep(deps, 'call-1', 'relock')).toBe('skipped');
    expect(await runMeetingStep(deps, 'gone', 'close')).toBe('skipped');
    expect(meetings.ops()).toEqual(['admit', 'lockLobby']);
  });

  it('records a step that failed for good on the call, for the card and the tab', async () => {
    const { deps, store } = fakeDeps();
    await store.insert(
      aCall({ id: 'call-1', state: 'admitted' }),
      aCreatedEvent({ toState: 'admitted' }),
    );
    const after = await recordMeetingFailure(deps, 'call-1', { step: 'admit', requestId: 'req-1' });
    expect(after?.state).toBe('admitted');
    expect(toCallDto(after!).meetingProblem).toEqual({
      step: 'admit',
      at: expect.any(String) as string,
    });
    expect((await store.events('call-1')).at(-1)).toMatchObject({
      type: 'meeting-sync-failed',
      actor: { kind: 'system' },
      data: { step: 'admit', requestId: 'req-1' },
    });
  });
});
