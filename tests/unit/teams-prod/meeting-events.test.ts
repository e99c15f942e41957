import {
  AppError,
  asAadObjectId,
  handleMeetingEvent,
  isCallMeeting,
  threadIdOf,
  type MeetingKey,
  resolveTemplates,
  type Admission,
  type CallChange,
  type CallDeps,
  type CallEvent,
  type CallQuery,
  type CallRecord,
  type CallStore,
  type MeetingActor,
  type MeetingProvider,
  type MeetingRef,
  type NewCallEvent,
  type TransitionInput,
  type TransitionResult,
} from '@shared';
import {
  MEETING_EVENT_NAMES,
  createMeetingEventHandler,
  describeMeetingWarning,
  parseMeetingEvent,
  type MeetingActivity,
} from '../../../bot/src/teams/meeting-activity';

const AGENT = asAadObjectId('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
const THREAD = '19:meeting_NjE4ZGQ4ZjYtYzE3Ny00ZjA2@thread.v2';
const JOIN_URL = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0?context=%7b%22Tid%22%3a%22t1%22%7d`;
/** How Teams ids the meeting in events: base64 of `0#<thread>#0`. */
const TEAMS_MEETING_ID = Buffer.from(`0#${THREAD}#0`).toString('base64');
/** How Graph ids the onlineMeeting: base64 of `1*<organizer>*0**<thread>`. */
const GRAPH_MEETING_ID = Buffer.from(`1*${AGENT}*0**${THREAD}`).toString('base64');
const NOW = new Date('2026-03-02T09:05:00Z');

/** Just enough of a CallStore for the handler: the meeting lookup, presence, get and the compare-and-set. */
class MemoryCallStore implements CallStore {
  readonly calls = new Map<string, CallRecord>();
  readonly log: CallEvent[] = [];
  readonly present = new Map<string, Set<string>>();
  findByMeeting(key: MeetingKey): Promise<CallRecord | undefined> {
    return Promise.resolve([...this.calls.values()].find((c) => isCallMeeting(c.meeting, key)));
  }
  joinMeeting(callId: string, participantId: string): Promise<number> {
    const set = this.present.get(callId) ?? new Set<string>();
    set.add(participantId);
    this.present.set(callId, set);
    return Promise.resolve(set.size);
  }
  leaveMeeting(callId: string, participantId: string | undefined): Promise<void> {
    if (participantId === undefined) this.present.delete(callId);
    else this.present.get(callId)?.delete(participantId);
    return Promise.resolve();
  }
  migrate = () => Promise.resolve();
  insert(call: CallRecord, event: NewCallEvent): Promise<CallEvent> {
    this.calls.set(call.id, call);
    const e = { ...event, seq: this.log.length + 1, callId: call.id };
    this.log.push(e);
    return Promise.resolve(e);
  }
  get = (id: string) => Promise.resolve(this.calls.get(id));
  getByCodeHash = () => Promise.resolve(undefined);
  list(query: CallQuery): Promise<CallRecord[]> {
    return Promise.resolve(
      [...this.calls.values()].filter((c) => !query.states || query.states.includes(c.state)),
    );
  }
  transition(input: TransitionInput): Promise<TransitionResult> {
    const current = this.calls.get(input.id);
    if (!current || !input.expected.includes(current.state))
      return Promise.resolve({ ok: false, current });
    const patch = Object.fromEntries(
      Object.entries(input.patch ?? {}).map(([k, v]) => [k, v ?? undefined]),
    );
    const call: CallRecord = {
      ...current,
      ...patch,
      state: input.to ?? current.state,
      version: current.version + 1,
      updatedAt: input.at,
    };
    this.calls.set(call.id, call);
    const event: CallEvent = { ...input.event, seq: this.log.length + 1, callId: call.id };
    this.log.push(event);
    return Promise.resolve({ ok: true, call, event });
  }
  events = (id: string) => Promise.resolve(this.log.filter((e) => e.callId === id));
  eventsSince = () => Promise.resolve([]);
  due = () => Promise.resolve([]);
  purge = () => Promise.resolve(0);
  ping = () => Promise.resolve(true);
  close = () => Promise.resolve();
}

/** Records what the handler asks of the meeting. */
class RecordingMeetings implements MeetingProvider {
  readonly kind = 'teams' as const;
  readonly calls: string[] = [];
  failNext = false;
  create(): Promise<MeetingRef> {
    return Promise.reject(new Error('not used'));
  }
  admit(): Promise<Admission> {
    return Promise.reject(new Error('not used'));
  }
  lockLobby(meeting: MeetingRef, actor: MeetingActor): Promise<void> {
    return this.record(`lock ${meeting.meetingId} as ${actor.organizer.id}`);
  }
  close(meeting: MeetingRef, actor: MeetingActor): Promise<void> {
    return this.record(`close ${meeting.meetingId} as ${actor.organizer.id}`);
  }
  private record(what: string): Promise<void> {
    this.calls.push(what);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('graph down'));
    }
    return Promise.resolve();
  }
}

function aCall(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id: 'call-1',
    codeHash: 'h',
    state: 'admitted',
    version: 3,
    title: 'Support call',
    startsAt: '2026-03-02T09:00:00.000Z',
    durationMinutes: 30,
    expiresAt: '2026-03-02T10:30:00.000Z',
    customerLocale: 'en',
    timeZone: 'UTC',
    agent: { id: AGENT, name: 'Alex Agent' },
    meeting: {
      provider: 'teams',
      meetingId: 'event-1',
      onlineMeetingId: GRAPH_MEETING_ID,
      joinUrl: JOIN_URL,
    },
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

function setup(call: CallRecord = aCall()) {
  const store = new MemoryCallStore();
  store.calls.set(call.id, call);
  const meetings = new RecordingMeetings();
  const published: CallChange[] = [];
  const deps: CallDeps = {
    store,
    meetings,
    bus: {
      publish: (change: CallChange) => {
        published.push(change);
        return Promise.resolve();
      },
      subscribe: () => () => undefined,
      announce: () => Promise.resolve(),
      subscribeRoom: () => () => undefined,
      close: () => Promise.resolve(),
    },
    clock: { now: () => NOW },
    random: { bytes: (n: number) => new Uint8Array(n), uuid: () => 'u' },
    hasher: { sha256Hex: (s: string) => s },
    teams: { isMember: () => Promise.resolve(false) },
    settings: {
      publicBaseUrl: 'https://calls.example.com',
      linkGraceMinutes: 60,
      lobbyTimeoutSeconds: 900,
      lobbyWarningSeconds: 120,
      earlyJoinMinutes: 30,
      lobbyOpenSeconds: 120,
      defaultTimeZone: 'UTC',
      templates: resolveTemplates({}),
    },
  };
  return {
    deps,
    store,
    meetings,
    published,
  };
}

const channelData = { tenant: { id: 't1' }, meeting: { id: TEAMS_MEETING_ID } };
const conversation = { id: THREAD };

const joinActivity = (
  casing: 'camel' | 'pascal',
  members: Array<{ id: string; aad?: string; tenant?: string; role?: string }>,
): MeetingActivity =>
  casing === 'camel'
    ? {
        name: MEETING_EVENT_NAMES.join,
        channelData,
        conversation,
        value: {
          members: members.map((m) => ({
            user: {
              id: m.id,
              ...(m.aad ? { aadObjectId: m.aad } : {}),
              name: 'Someone',
              tenantId: m.tenant ?? 't1',
              userRole: m.role ?? 'user',
            },
            meeting: { inMeeting: true, role: 'Attendee' },
          })),
        },
      }
    : {
        name: MEETING_EVENT_NAMES.join,
        channelData: { Tenant: { Id: 't1' }, Meeting: { Id: TEAMS_MEETING_ID } },
        conversation,
        value: {
          Members: members.map((m) => ({
            User: {
              Id: m.id,
              ...(m.aad ? { AadObjectId: m.aad } : {}),
              Name: 'Someone',
              TenantId: m.tenant ?? 't1',
              ...(m.role ? { UserRole: m.role } : {}),
            },
            Meeting: { InMeeting: true, Role: 'Attendee' },
          })),
        },
      };

const endActivity = (casing: 'camel' | 'pascal'): MeetingActivity => ({
  name: MEETING_EVENT_NAMES.end,
  channelData,
  conversation,
  value:
    casing === 'camel'
      ? {
          id: TEAMS_MEETING_ID,
          joinUrl: JOIN_URL,
          title: 'Support call',
          meetingType: 'Scheduled',
          endTime: '2026-03-02T09:30:00Z',
        }
      : {
          Id: TEAMS_MEETING_ID,
          JoinUrl: JOIN_URL,
          Title: 'Support call',
          MeetingType: 'Scheduled',
          EndTime: '2026-03-02T09:30:00Z',
        },
});

describe('parseMeetingEvent', () => {
  it.each(['camel', 'pascal'] as const)('reads a participant join in %s case', (casing) => {
    const event = parseMeetingEvent(
      joinActivity(casing, [{ id: '29:anon' }, { id: '29:agent', aad: AGENT }]),
    );
    expect(event).toEqual({
      kind: 'participant-join',
      meeting: { meetingId: TEAMS_MEETING_ID, joinUrl: undefined, threadId: THREAD },
      participants: [
        { id: '29:anon', aadObjectId: undefined, role: 'Attendee', origin: 'anonymous' },
        { id: '29:agent', aadObjectId: AGENT, role: 'Attendee', origin: 'internal' },
      ],
    });
  });

  it.each(['camel', 'pascal'] as const)('reads a meeting end in %s case', (casing) => {
    expect(parseMeetingEvent(endActivity(casing))).toEqual({
      kind: 'end',
      meeting: { meetingId: TEAMS_MEETING_ID, joinUrl: JOIN_URL, threadId: THREAD },
      at: '2026-03-02T09:30:00Z',
    });
  });

  it('reads a meeting start (PascalCase, as older Teams sends it) and a leave', () => {
    const start = parseMeetingEvent({
      name: MEETING_EVENT_NAMES.start,
      channelData,
      value: {
        Id: TEAMS_MEETING_ID,
        JoinUrl: JOIN_URL,
        Title: 't',
        MeetingType: 'Scheduled',
        StartTime: '2026-03-02T09:00:00Z',
      },
    });
    expect(start).toMatchObject({
      kind: 'start',
      at: '2026-03-02T09:00:00Z',
      meeting: { threadId: THREAD },
    });
    const leave = parseMeetingEvent({
      ...joinActivity('camel', [{ id: '29:anon' }]),
      name: MEETING_EVENT_NAMES.leave,
    });
    expect(leave).toMatchObject({ kind: 'participant-leave', participants: [{ id: '29:anon' }] });
  });

  it('ignores other events and refuses a malformed participant payload', () => {
    expect(
      parseMeetingEvent({ name: 'application/vnd.microsoft.readReceipt', value: {} }),
    ).toBeUndefined();
    const malformed = () =>
      parseMeetingEvent({ name: MEETING_EVENT_NAMES.join, value: { members: [{}] } });
    expect(malformed).toThrow(AppError);
    expect(malformed).toThrow('Malformed meeting participant event');
  });

  it('finds the meeting thread in join URLs, Teams meeting ids and Graph onlineMeeting ids', () => {
    expect(threadIdOf(JOIN_URL)).toBe(THREAD);
    expect(threadIdOf(TEAMS_MEETING_ID)).toBe(THREAD);
    expect(threadIdOf(GRAPH_MEETING_ID)).toBe(THREAD);
    expect(threadIdOf('19:abc@thread.skype')).toBeUndefined();
  });
});

describe('handleMeetingEvent', () => {
  it.each(['camel', 'pascal'] as const)(
    'moves an admitted call to in_call when the customer joins (%s), then locks the lobby',
    async (casing) => {
      const { deps, store, meetings, published } = setup();
      const event = parseMeetingEvent(joinActivity(casing, [{ id: '29:anon-customer' }]));
      if (!event) throw new Error('not parsed');
      const outcome = await handleMeetingEvent(deps, event);
      expect(outcome.changed).toBe('in_call');
      expect(outcome.warnings).toEqual([]);
      expect(store.calls.get('call-1')?.state).toBe('in_call');
      expect(store.log.at(-1)).toMatchObject({
        type: 'joined',
        actor: { kind: 'system' },
        fromState: 'admitted',
        toState: 'in_call',
      });
      expect(published).toHaveLength(1);
      expect(meetings.calls).toEqual([`lock event-1 as ${AGENT}`]);
    },
  );

  it('does not count the organizer as the customer', async () => {
    const { deps, store, meetings } = setup();
    const event = parseMeetingEvent(joinActivity('camel', [{ id: '29:agent', aad: AGENT }]));
    const outcome = await handleMeetingEvent(deps, event!);
    expect(outcome.changed).toBeUndefined();
    expect(store.calls.get('call-1')?.state).toBe('admitted');
    expect(meetings.calls).toEqual([]);
  });

  it.each([
    [
      'a colleague of the tenant',
      { id: '29:colleague', aad: 'dddddddd-0000-4000-8000-000000000000' },
    ],
    ['the agent', { id: '29:agent', aad: AGENT }],
  ])('changes nothing when %s joins: the lobby stays open for the customer', async (_, who) => {
    const { deps, store, meetings, published } = setup();
    const outcome = await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [who]))!,
    );
    expect(outcome).toMatchObject({ changed: undefined, warnings: [] });
    expect(store.calls.get('call-1')?.state).toBe('admitted');
    expect(meetings.calls).toEqual([]);
    expect(published).toEqual([]);
    // The customer arriving afterwards still counts.
    const customer = await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [{ id: '29:anon-customer' }]))!,
    );
    expect(customer).toMatchObject({ changed: 'in_call', warnings: [] });
  });

  it.each([
    ['a guest', { id: '29:guest', aad: 'eeeeeeee-0000-4000-8000-000000000000', role: 'guest' }],
    [
      "another tenant's user",
      { id: '29:ext', aad: 'eeeeeeee-0000-4000-8000-000000000001', tenant: 't2' },
    ],
  ])('counts %s as the customer arriving', async (_, who) => {
    const { deps, store } = setup();
    const outcome = await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [who]))!,
    );
    expect(outcome.changed).toBe('in_call');
    expect(store.calls.get('call-1')?.state).toBe('in_call');
  });

  it('warns when a third person joins a one-time call', async () => {
    const { deps } = setup();
    await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [{ id: '29:customer' }]))!,
    );
    const outcome = await handleMeetingEvent(
      deps,
      parseMeetingEvent(
        joinActivity('pascal', [
          { id: '29:stranger', aad: 'ffffffff-0000-4000-8000-000000000000', tenant: 'other' },
        ]),
      )!,
    );
    expect(outcome.warnings).toEqual([
      { kind: 'third-person', callId: 'call-1', othersPresent: 2 },
    ]);
    expect(outcome.changed).toBeUndefined();
  });

  it('does not warn when the customer leaves and rejoins with a new anonymous id', async () => {
    const { deps } = setup();
    await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [{ id: '29:anon-1' }]))!,
    );
    const leave = parseMeetingEvent({
      ...joinActivity('camel', [{ id: '29:anon-1' }]),
      name: MEETING_EVENT_NAMES.leave,
    })!;
    await handleMeetingEvent(deps, leave);
    const outcome = await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [{ id: '29:anon-2' }]))!,
    );
    expect(outcome.warnings).toEqual([]);
  });

  it('warns when someone is in the meeting before the agent admitted anybody', async () => {
    const { deps, store } = setup(aCall({ state: 'waiting' }));
    const outcome = await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [{ id: '29:early' }]))!,
    );
    expect(outcome.warnings).toEqual([
      { kind: 'joined-before-admission', callId: 'call-1', state: 'waiting' },
    ]);
    expect(store.calls.get('call-1')?.state).toBe('waiting');
  });

  it.each(['camel', 'pascal'] as const)(
    'ends the call when the meeting ends (%s) and closes the meeting',
    async (casing) => {
      const { deps, store, meetings } = setup(aCall({ state: 'in_call' }));
      const outcome = await handleMeetingEvent(deps, parseMeetingEvent(endActivity(casing))!);
      expect(outcome.changed).toBe('ended');
      expect(store.calls.get('call-1')).toMatchObject({
        state: 'ended',
        endedAt: NOW.toISOString(),
      });
      expect(meetings.calls).toEqual([`close event-1 as ${AGENT}`]);
    },
  );

  it('leaves a waiting customer alone when the meeting ends', async () => {
    const { deps, store } = setup(aCall({ state: 'waiting' }));
    const outcome = await handleMeetingEvent(deps, parseMeetingEvent(endActivity('camel'))!);
    expect(outcome.changed).toBeUndefined();
    expect(store.calls.get('call-1')?.state).toBe('waiting');
  });

  it('reports a failed lobby lock without undoing the move', async () => {
    const { deps, store, meetings } = setup();
    meetings.failNext = true;
    const outcome = await handleMeetingEvent(
      deps,
      parseMeetingEvent(joinActivity('camel', [{ id: '29:c' }]))!,
    );
    expect(outcome.changed).toBe('in_call');
    expect(outcome.meetingError).toBeInstanceOf(Error);
    expect(store.calls.get('call-1')?.state).toBe('in_call');
  });

  it('ignores meetings of no call, and local-meeting calls', async () => {
    const { deps } = setup(aCall({ meeting: { provider: 'browser', meetingId: 'room-1' } }));
    const outcome = await handleMeetingEvent(deps, parseMeetingEvent(endActivity('camel'))!);
    expect(outcome).toEqual({ call: undefined, changed: undefined, warnings: [] });
  });
});

describe('createMeetingEventHandler', () => {
  it('parses, finds and applies in one call, remembering who is present between events', async () => {
    const { deps, store } = setup();
    const handle = createMeetingEventHandler(deps);
    await expect(
      handle({ name: 'application/vnd.microsoft.readReceipt', value: {} }),
    ).resolves.toBeUndefined();
    expect((await handle(joinActivity('camel', [{ id: '29:customer' }])))?.changed).toBe('in_call');
    expect((await handle(joinActivity('pascal', [{ id: '29:someone' }])))?.warnings).toEqual([
      { kind: 'third-person', callId: 'call-1', othersPresent: 2 },
    ]);
    expect(store.calls.get('call-1')?.state).toBe('in_call');
  });

  it('words the warnings for the agent in English and German', () => {
    const third = { kind: 'third-person', callId: 'c', othersPresent: 2 } as const;
    expect(describeMeetingWarning(third, 'Boiler check', 'en')).toBe(
      '2 people besides you are now in the one-time call "Boiler check". A one-time call is for you and one customer: check who joined.',
    );
    expect(describeMeetingWarning(third, 'Heizung', 'de')).toContain('„Heizung“');
    expect(
      describeMeetingWarning(
        { kind: 'joined-before-admission', callId: 'c', state: 'waiting' },
        'X',
        'en',
      ),
    ).toBe('Someone joined the Teams meeting of "X" before you admitted a customer.');
  });
});
