import { TestAdapter, type Activity } from 'botbuilder';
import { AgentPolicy, AppError, admitCall, asAadObjectId, type AgentPrincipal } from '@shared';
import {
  InMemoryConversationStore,
  InMemoryNotificationOutbox,
} from '../../../bot/src/adapters/conversations/in-memory';
import type { AdaptiveCard } from '../../../bot/src/teams/cards/card-types';
import { createBotConnector } from '../../../bot/src/teams/bot-connector';
import { createTeamsBot, type TeamsBot } from '../../../bot/src/teams/create-teams-bot';
import type { FakeCallStore } from '../../fakes/fake-call-store';
import { FakeCardSender } from '../../fakes/fake-bot-connector';
import type { MeetingEventHandler } from '../../../bot/src/teams/meeting-activity';
import { ALICE, BOB, CUSTOMER, RecordingLogger, aWaitingCall, aWorld } from './world';

const SERVICE_URL = 'https://smba.example.test/teams/';
const TAB = 'https://teams.microsoft.com/l/entity/teams-app-id/home';

function setup(
  mode: 'teams' | 'embedded' = 'teams',
  onMeetingEvent?: MeetingEventHandler,
  policy?: AgentPolicy,
) {
  const world = aWorld();
  const conversations = new InMemoryConversationStore();
  const outbox = new InMemoryNotificationOutbox();
  const logger = new RecordingLogger();
  const sender = new FakeCardSender();
  const teamsBot: TeamsBot = createTeamsBot({
    deps: world.deps,
    conversations,
    outbox,
    logger,
    connector: {
      adapter: createBotConnector(undefined).adapter,
      sender,
      registered: mode === 'teams',
    },
    onMeetingEvent,
    ...(policy
      ? {
          mayCreate: (p: AgentPrincipal) => policy.mayCreate(p),
          tenantAllowed: (t: string | undefined) => policy.tenantAllowed(t),
        }
      : {}),
    config: {
      teamsAppId: 'teams-app-id',
      publicBaseUrl: 'http://localhost:3978',
      localAgent: { id: 'local-agent', name: 'Local agent' },
      escalationSeconds: 60,
    },
  });
  const adapter = new TestAdapter((context) => teamsBot.bot.run(context));
  return { ...world, conversations, outbox, logger, sender, teamsBot, adapter };
}

/** An activity from `agent` in their personal chat with the bot. */
const personal = (
  agent: AgentPrincipal | undefined,
  extra: Partial<Activity> = {},
): Partial<Activity> => ({
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  locale: 'en-US',
  from: {
    id: `29:${agent?.id ?? 'anon'}`,
    name: agent?.name ?? 'Someone',
    ...(agent ? { aadObjectId: agent.id } : {}),
  },
  recipient: { id: '28:bot-app-id', name: 'One-Time Call' },
  conversation: {
    id: `a:${agent?.id ?? 'anon'}`,
    conversationType: 'personal',
    tenantId: 'tenant-1',
    isGroup: false,
    name: '',
  },
  ...extra,
});

const invoke = (agent: AgentPrincipal | undefined, value: unknown): Partial<Activity> =>
  personal(agent, { type: 'invoke', name: 'adaptiveCard/action', value });

const execute = (verb: string, data: Record<string, unknown>) => ({
  action: { type: 'Action.Execute', verb, data },
  trigger: 'manual',
});

/** Sends an invoke and returns the card of its `adaptiveCard/action` response (asserting the shape). */
async function click(adapter: TestAdapter, activity: Partial<Activity>): Promise<AdaptiveCard> {
  let card: AdaptiveCard | undefined;
  await adapter
    .send(activity)
    .assertReply((reply) => {
      expect(reply.type).toBe('invokeResponse');
      const value = reply.value as {
        status: number;
        body: { statusCode: number; type: string; value: AdaptiveCard };
      };
      expect(value.status).toBe(200);
      expect(value.body.statusCode).toBe(200);
      expect(value.body.type).toBe('application/vnd.microsoft.card.adaptive');
      card = value.body.value;
    })
    .startTest();
  return card!;
}

/** Sends a message and returns the card of the bot's reply. */
async function say(adapter: TestAdapter, activity: Partial<Activity>): Promise<AdaptiveCard> {
  let card: AdaptiveCard | undefined;
  await adapter
    .send(activity)
    .assertReply((reply) => {
      card = reply.attachments?.[0]?.content as AdaptiveCard;
      expect(reply.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    })
    .startTest();
  return card!;
}

const text = (card: unknown) => JSON.stringify(card);

describe('the bot: install and uninstall', () => {
  it('remembers the agent on a personal install and welcomes them', async () => {
    const { adapter, teamsBot, conversations } = setup();
    await adapter.send(personal(ALICE, { type: 'installationUpdate', action: 'add' })).startTest();
    expect(await teamsBot.isReachable(ALICE.id)).toBe(true);
    const card = await say(
      adapter,
      personal(ALICE, {
        type: 'conversationUpdate',
        membersAdded: [{ id: '28:bot-app-id', name: 'Bot' }],
      }),
    );
    expect(text(card)).toContain('Welcome!');
    expect(await conversations.get({ kind: 'personal', agentId: ALICE.id })).toMatchObject({
      conversationId: `a:${ALICE.id}`,
      tenantId: 'tenant-1',
      locale: 'en-US',
      address: { serviceUrl: SERVICE_URL, botId: '28:bot-app-id', userId: `29:${ALICE.id}` },
    });
    expect(await teamsBot.isReachable(BOB.id)).toBe(false);
  });

  it('forgets the agent on uninstall (installationUpdate remove, or the bot removed)', async () => {
    const { adapter, teamsBot } = setup();
    await adapter.send(personal(ALICE, { type: 'installationUpdate', action: 'add' })).startTest();
    await adapter
      .send(personal(ALICE, { type: 'installationUpdate', action: 'remove' }))
      .startTest();
    expect(await teamsBot.isReachable(ALICE.id)).toBe(false);
    await adapter
      .send(personal(ALICE, { type: 'message', text: 'help' }))
      .assertReply(() => undefined)
      .startTest();
    expect(await teamsBot.isReachable(ALICE.id)).toBe(true);
    await adapter
      .send(
        personal(ALICE, {
          type: 'conversationUpdate',
          membersRemoved: [{ id: '28:bot-app-id', name: 'Bot' }],
        }),
      )
      .startTest();
    expect(await teamsBot.isReachable(ALICE.id)).toBe(false);
  });

  it('remembers a team under its thread id and its Entra group id', async () => {
    const { adapter, conversations } = setup();
    await adapter
      .send(
        personal(ALICE, {
          type: 'installationUpdate',
          action: 'add',
          conversation: {
            id: '19:general@thread.tacv2',
            conversationType: 'channel',
            isGroup: true,
            name: '',
          },
          channelData: {
            team: { id: '19:general@thread.tacv2', aadGroupId: 'group-1' },
            tenant: { id: 'tenant-1' },
          },
        }),
      )
      .startTest();
    const ref = await conversations.get({ kind: 'team', teamId: 'group-1' });
    expect(ref).toMatchObject({ conversationId: '19:general@thread.tacv2', tenantId: 'tenant-1' });
    expect(ref?.address['userId']).toBeUndefined();
    expect(
      await conversations.get({ kind: 'team', teamId: '19:general@thread.tacv2' }),
    ).toBeDefined();
    expect(await conversations.get({ kind: 'personal', agentId: ALICE.id })).toBeUndefined();
  });

  it('in embedded mode (no BOT_ID) treats whoever writes as the local agent', async () => {
    const { adapter, teamsBot } = setup('embedded');
    await adapter
      .send(personal(undefined, { type: 'message', text: 'help' }))
      .assertReply(() => undefined)
      .startTest();
    expect(await teamsBot.isReachable(asAadObjectId('local-agent'))).toBe(true);
  });
});

describe('the bot: commands', () => {
  it('answers help with the commands', async () => {
    const { adapter } = setup();
    const card = await say(adapter, personal(ALICE, { type: 'message', text: 'help' }));
    expect(text(card)).toContain('new [title]');
    expect(text(card)).toContain(TAB);
  });

  it('answers an unknown word with the help and a note', async () => {
    const { adapter } = setup();
    const card = await say(adapter, personal(ALICE, { type: 'message', text: 'dance' }));
    expect(text(card)).toContain('I did not understand that');
  });

  it('new makes a link with the texts to copy', async () => {
    const { adapter, deps } = setup();
    const card = await say(adapter, personal(ALICE, { type: 'message', text: 'new Router check' }));
    const [call] = await deps.store.list({ agentId: ALICE.id });
    expect(call).toMatchObject({
      title: 'Router check',
      state: 'scheduled',
      agent: { id: ALICE.id },
    });
    expect(text(card)).toMatch(/http:\/\/localhost:3978\/j\/[A-Za-z0-9_-]{20,}/);
    expect(text(card)).toContain('SMS (');
    expect(text(card)).toContain('Email');
  });

  it('new with German client locale makes a German link', async () => {
    const { adapter, deps } = setup();
    const card = await say(
      adapter,
      personal(ALICE, { type: 'message', text: 'new', locale: 'de-DE' }),
    );
    const [call] = await deps.store.list({ agentId: ALICE.id });
    expect(call?.customerLocale).toBe('de');
    expect(text(card)).toContain('Ihr Einmal-Link ist fertig');
  });

  it('new makes a link for a member of the creator group, checked with the directory (no token)', async () => {
    const asked: string[] = [];
    const membership = {
      isMemberOf: (user: string, group: string) => {
        asked.push(`${user} in ${group}`);
        return Promise.resolve(user === ALICE.id);
      },
    };
    const policy = new AgentPolicy(
      { tenantIds: ['tenant-1'], creatorGroupId: 'creators' },
      membership,
    );
    const { adapter, deps } = setup('teams', undefined, policy);
    expect(text(await say(adapter, personal(ALICE, { type: 'message', text: 'new' })))).toContain(
      'link is ready',
    );
    expect(await deps.store.list({ agentId: ALICE.id })).toHaveLength(1);
    expect(asked).toEqual([`${ALICE.id} in creators`]);
  });

  it('new is refused to a non-member of the creator group, and nothing is made', async () => {
    const policy = new AgentPolicy(
      { tenantIds: ['tenant-1'], creatorGroupId: 'creators' },
      { isMemberOf: () => Promise.resolve(false) },
    );
    const { adapter, deps } = setup('teams', undefined, policy);
    await adapter
      .send(personal(ALICE, { type: 'message', text: 'new' }))
      .assertReply(() => undefined)
      .startTest();
    expect(await deps.store.list({})).toEqual([]);
  });

  it('treats an activity from a foreign tenant as from nobody: no link, no card action', async () => {
    const policy = new AgentPolicy({ tenantIds: ['tenant-1'] });
    const { adapter, deps } = setup('teams', undefined, policy);
    const foreign = (extra: Partial<Activity>) =>
      personal(ALICE, {
        ...extra,
        conversation: {
          id: `a:${ALICE.id}`,
          conversationType: 'personal',
          tenantId: 'evil-tenant',
          isGroup: false,
          name: '',
        },
      });
    await adapter
      .send(foreign({ type: 'message', text: 'new' }))
      .assertReply(() => undefined)
      .startTest();
    expect(await deps.store.list({})).toEqual([]);
    const card = await click(
      adapter,
      foreign({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: execute('admit', { callId: 'call-x' }),
      }),
    );
    expect(text(card)).not.toContain('Admitted');
  });

  it('new is refused outside the personal chat', async () => {
    const { adapter, deps } = setup();
    await adapter
      .send(
        personal(ALICE, {
          type: 'message',
          text: 'new',
          conversation: {
            id: '19:c@thread.tacv2',
            conversationType: 'channel',
            isGroup: true,
            name: '',
          },
          channelData: { team: { id: '19:c@thread.tacv2' } },
        }),
      )
      .assertReply((reply) => expect(reply.text).toContain('personal chat'))
      .startTest();
    expect(await deps.store.list({})).toEqual([]);
  });

  it('list shows active calls with an Admit button for a waiting customer', async () => {
    const { adapter, deps } = setup();
    const waiting = await aWaitingCall(deps, ALICE);
    const card = await say(adapter, personal(ALICE, { type: 'message', text: 'list' }));
    expect(text(card)).toContain(CUSTOMER);
    expect(text(card)).toContain(`"verb":"admit","data":{"callId":"${waiting.call.id}"}`);
  });

  it('list without calls says so', async () => {
    const { adapter } = setup();
    const card = await say(adapter, personal(ALICE, { type: 'message', text: 'list' }));
    expect(text(card)).toContain('You have no active calls');
  });
});

describe('the bot: card buttons', () => {
  it('admit lets the customer in and answers with the admitted card', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const card = await click(adapter, invoke(ALICE, execute('admit', { callId: call.id })));
    expect(await deps.store.get(call.id)).toMatchObject({
      state: 'admitted',
      admittedBy: { id: ALICE.id },
    });
    expect(text(card)).toContain('Admitted by Alice Agent');
  });

  it('decline with a reason stores the reason the customer will see', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const card = await click(
      adapter,
      invoke(ALICE, execute('decline', { callId: call.id, reason: 'Please call back tomorrow' })),
    );
    expect(await deps.store.get(call.id)).toMatchObject({
      state: 'declined',
      declineReason: 'Please call back tomorrow',
    });
    expect(text(card)).toContain('Declined at');
  });

  it('decline with an empty reason field declines without a reason', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    await click(adapter, invoke(ALICE, execute('decline', { callId: call.id, reason: '  ' })));
    const stored = await deps.store.get(call.id);
    expect(stored?.state).toBe('declined');
    expect(stored?.declineReason).toBeUndefined();
  });

  it('a quick message reaches the lobby and the card shows it', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const card = await click(
      adapter,
      invoke(ALICE, execute('message', { callId: call.id, text: "I'll be with you in 2 minutes" })),
    );
    expect((await deps.store.get(call.id))?.lobbyMessage?.text).toBe(
      "I'll be with you in 2 minutes",
    );
    expect(text(card)).toContain('Your message');
  });

  it('a stale click answers with the current state and never admits twice', async () => {
    const { adapter, deps, teams } = setup();
    teams.add('team-1', ALICE.id).add('team-1', BOB.id);
    const { call } = await aWaitingCall(deps, ALICE, { team: { id: 'team-1', name: 'Support' } });
    await admitCall(deps, BOB, call.id);
    const card = await click(adapter, invoke(ALICE, execute('admit', { callId: call.id })));
    expect(text(card)).toContain('Admitted by Bob Builder');
    expect(text(card)).not.toContain('That did not work');
    const events = await deps.store.events(call.id);
    expect(events.filter((e) => e.type === 'admitted')).toHaveLength(1);
  });

  it('two agents clicking Admit at once: one admission, both see the admitted card', async () => {
    const { deps, teams, teamsBot } = setup();
    teams.add('team-1', ALICE.id).add('team-1', BOB.id);
    const { call } = await aWaitingCall(deps, ALICE, { team: { id: 'team-1', name: 'Support' } });
    const a = new TestAdapter((c) => teamsBot.bot.run(c));
    const b = new TestAdapter((c) => teamsBot.bot.run(c));
    const [ca, cb] = await Promise.all([
      click(a, invoke(ALICE, execute('admit', { callId: call.id }))),
      click(b, invoke(BOB, execute('admit', { callId: call.id }))),
    ]);
    const events = await deps.store.events(call.id);
    expect(events.filter((e) => e.type === 'admitted')).toHaveLength(1);
    const winner = (await deps.store.get(call.id))?.admittedBy?.name ?? '';
    expect(text(ca)).toContain(`Admitted by ${winner}`);
    expect(text(cb)).toContain(`Admitted by ${winner}`);
  });

  it('refresh shows the current state', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const card = await click(adapter, invoke(ALICE, execute('refresh', { callId: call.id })));
    expect(text(card)).toContain('Customer waiting');
  });

  it.each([
    ['no value', undefined],
    ['no action', {}],
    [
      'an Action.Submit type',
      { action: { type: 'Action.Submit', verb: 'admit', data: { callId: 'x' } } },
    ],
    ['an unknown verb', execute('explode', { callId: 'x' })],
    ['no call id', execute('admit', {})],
    ['a call id that is not a string', execute('admit', { callId: 42 })],
    ['an empty quick message', execute('message', { callId: 'x', text: '' })],
    ['a reason with control characters', execute('decline', { callId: 'x', reason: 'a\u202Eb' })],
    ['a string value', 'garbage'],
  ])('a bad invoke payload (%s) gets a clear error card, not a crash', async (_name, value) => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const card = await click(adapter, invoke(ALICE, value));
    expect(text(card)).toContain('That did not work');
    expect(text(card)).toContain('does not understand');
    expect((await deps.store.get(call.id))?.state).toBe('waiting');
  });

  it('an unknown call, or one the agent may not see, reads "not available"', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const unknown = await click(
      adapter,
      invoke(ALICE, execute('admit', { callId: 'no-such-call' })),
    );
    const foreign = await click(adapter, invoke(BOB, execute('admit', { callId: call.id })));
    expect(text(unknown)).toContain('not available to you');
    expect(text(foreign)).toContain('not available to you');
    expect((await deps.store.get(call.id))?.state).toBe('waiting');
  });

  it('a click without an Entra object id changes nothing (Teams mode)', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    const card = await click(adapter, invoke(undefined, execute('admit', { callId: call.id })));
    expect(text(card)).toContain('did not say who you are');
    expect((await deps.store.get(call.id))?.state).toBe('waiting');
  });

  it('the Action.Submit fallback admits too', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    await adapter
      .send(personal(ALICE, { type: 'message', value: { verb: 'admit', callId: call.id } }))
      .assertReply((reply) =>
        expect(text(reply.attachments?.[0]?.content)).toContain('Admitted by Alice Agent'),
      )
      .startTest();
    expect((await deps.store.get(call.id))?.state).toBe('admitted');
  });

  it('a bad fallback submit gets the error card', async () => {
    const { adapter } = setup();
    await adapter
      .send(personal(ALICE, { type: 'message', value: { verb: 'admit' } }))
      .assertReply((reply) =>
        expect(text(reply.attachments?.[0]?.content)).toContain('That did not work'),
      )
      .startTest();
  });

  it('a store outage during a click answers with the "went wrong" card, not a failed invoke', async () => {
    const { adapter, deps } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    (deps.store as FakeCallStore).breakWith(new AppError('upstream-unavailable', 'database down'));
    const card = await click(adapter, invoke(ALICE, execute('admit', { callId: call.id })));
    expect(text(card)).toContain('Something went wrong on our side');
  });

  it('never logs the customer name', async () => {
    const { adapter, deps, logger } = setup();
    const { call } = await aWaitingCall(deps, ALICE);
    await click(adapter, invoke(ALICE, execute('admit', { callId: call.id })));
    await click(adapter, invoke(ALICE, execute('admit', { callId: call.id })));
    await click(adapter, invoke(ALICE, 'garbage'));
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.text()).not.toContain(CUSTOMER);
  });
});

describe('the bot: Teams meeting events', () => {
  const meetingEvent = (name: string): Partial<Activity> =>
    personal(undefined, {
      type: 'event',
      name,
      conversation: {
        id: '19:meeting_x@thread.v2',
        conversationType: 'groupChat',
        isGroup: true,
        name: '',
      },
      channelData: { meeting: { id: 'm1' }, tenant: { id: 'tenant-1' } },
      value: { members: [] },
    });

  it('hands meeting events to the meeting handler and warns the call’s agent in the personal chat', async () => {
    const seen: string[] = [];
    const current: { call?: Awaited<ReturnType<typeof aWaitingCall>>['call'] } = {};
    const handler: MeetingEventHandler = (activity) => {
      seen.push(activity.name ?? '');
      return Promise.resolve({
        call: current.call,
        changed: undefined,
        warnings: [{ kind: 'third-person', callId: current.call!.id, othersPresent: 2 }],
      });
    };
    const { adapter, deps, sender } = setup('teams', handler);
    await adapter
      .send(personal(ALICE, { type: 'installationUpdate', action: 'add', locale: 'de-DE' }))
      .startTest();
    current.call = (await aWaitingCall(deps, ALICE)).call;
    await adapter
      .send(meetingEvent('application/vnd.microsoft.meetingParticipantJoin'))
      .startTest();
    expect(seen).toEqual(['application/vnd.microsoft.meetingParticipantJoin']);
    expect(sender.sends).toHaveLength(1);
    expect(sender.sends[0]!.ref.conversationId).toBe(`a:${ALICE.id}`);
    expect(text(sender.sends[0]!.card)).toContain('Router setup');
    expect(text(sender.sends[0]!.card)).toContain('Personen außer Ihnen');
  });

  it('ignores other events, and survives a malformed meeting payload', async () => {
    const seen: string[] = [];
    const handler: MeetingEventHandler = (activity) => {
      seen.push(activity.name ?? '');
      return Promise.reject(new AppError('invalid-input', 'bad meeting payload'));
    };
    const { adapter, sender, logger } = setup('teams', handler);
    await adapter.send(meetingEvent('application/vnd.microsoft.readReceipt')).startTest();
    await adapter.send(meetingEvent('application/vnd.microsoft.meetingEnd')).startTest();
    expect(seen).toEqual(['application/vnd.microsoft.meetingEnd']);
    expect(sender.calls).toEqual([]);
    expect(logger.text()).toContain('meeting event not applied');
  });

  it('logs a failed meeting event with what diagnoses it: message, stack and cause', async () => {
    const handler: MeetingEventHandler = () =>
      Promise.reject(
        new Error('read the call', { cause: new Error('connection reset by the database') }),
      );
    const { adapter, logger } = setup('teams', handler);
    await adapter.send(meetingEvent('application/vnd.microsoft.meetingEnd')).startTest();
    const line = logger.lines.find((l) => l.message === 'meeting event not applied');
    expect(line?.level).toBe('error');
    expect(line?.fields).toMatchObject({
      error: 'Error',
      errorMessage: 'read the call',
      cause: 'Error: connection reset by the database',
    });
    expect(String(line?.fields?.['stack'])).toMatch(/Error: read the call\n\s+at /);
  });
});
