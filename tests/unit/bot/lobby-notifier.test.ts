import {
  admitCall,
  asAadObjectId,
  sendLobbyMessage,
  sweepDueCalls,
  type CallDeps,
  type ConversationKey,
  type ConversationRef,
} from '@shared';
import {
  InMemoryConversationStore,
  InMemoryNotificationOutbox,
} from '../../../bot/src/adapters/conversations/in-memory';
import {
  LobbyNotifier,
  type LobbyNotifierTuning,
} from '../../../bot/src/teams/outbox/lobby-notifier';
import { FakeCardSender } from '../../fakes/fake-bot-connector';
import { ALICE, BOB, CUSTOMER, RecordingLogger, aWaitingCall, aWorld } from './world';

const TAB = 'http://localhost:3978/';

/** An outbox whose first cursor save fails: the process "dies" after enqueueing. */
class CursorLosingOutbox extends InMemoryNotificationOutbox {
  private crashed = false;
  override saveCursor(name: string, seq: number): Promise<void> {
    if (!this.crashed) {
      this.crashed = true;
      return Promise.reject(new Error('crash'));
    }
    return super.saveCursor(name, seq);
  }
}

const aRef = (overrides: Partial<ConversationRef> = {}): ConversationRef => ({
  conversationId: 'a:alice',
  locale: 'en-US',
  updatedAt: '2026-11-25T08:00:00.000Z',
  address: {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.test/',
    botId: '28:bot',
    userId: '29:alice',
  },
  ...overrides,
});

const ALICE_KEY: ConversationKey = { kind: 'personal', agentId: ALICE.id };

function setup(tuning: Partial<LobbyNotifierTuning> = {}) {
  const world = aWorld();
  const conversations = new InMemoryConversationStore();
  const outbox = new InMemoryNotificationOutbox();
  const sender = new FakeCardSender();
  const logger = new RecordingLogger();
  const notifier = (deps: CallDeps = world.deps) =>
    new LobbyNotifier({
      deps,
      conversations,
      outbox,
      sender,
      logger,
      tabUrl: TAB,
      escalationSeconds: 60,
      tuning,
    });
  return { ...world, conversations, outbox, sender, logger, notifier };
}

describe('LobbyNotifier', () => {
  it('sends exactly one card to the agent when a customer claims the link', async () => {
    const { deps, conversations, sender, notifier } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    await n.kick();
    expect(sender.sends).toHaveLength(1);
    expect(sender.sends[0]).toMatchObject({
      ref: { conversationId: 'a:alice' },
      channelId: undefined,
    });
    expect(JSON.stringify(sender.sends[0]!.card)).toContain(CUSTOMER);
    expect(JSON.stringify(sender.sends[0]!.card)).toContain(call.id);
  });

  it('adds nothing when events are read again (crash before the cursor was saved) or a bus event repeats', async () => {
    const { deps, conversations, sender, logger } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    const outbox = new CursorLosingOutbox();
    const n = new LobbyNotifier({
      deps,
      conversations,
      outbox,
      sender,
      logger,
      tabUrl: TAB,
      escalationSeconds: 60,
    });
    await expect(n.ingest()).rejects.toThrow('crash');
    expect(await n.ingest()).toBe(0);
    const events = await deps.store.events(call.id);
    await deps.bus.publish({ call, event: events[events.length - 1]! });
    await deps.bus.publish({ call, event: events[events.length - 1]! });
    await n.kick();
    await n.kick();
    expect(sender.sends).toHaveLength(1);
  });

  it('delivers after a restart between the event and the delivery, still once', async () => {
    const { deps, conversations, sender, notifier } = setup();
    await conversations.put(ALICE_KEY, aRef());
    await aWaitingCall(deps, ALICE);
    const first = notifier();
    await first.ingest(); // the entry is stored; the process dies before delivering
    await first.stop();
    const second = notifier();
    await second.kick();
    await second.kick();
    expect(sender.sends).toHaveLength(1);
  });

  it('honours Retry-After on 429: nothing before the wait, delivered after it', async () => {
    const { deps, conversations, sender, notifier, clock } = setup();
    await conversations.put(ALICE_KEY, aRef());
    await aWaitingCall(deps, ALICE);
    sender.failNext(429, 7000);
    const n = notifier();
    await n.kick();
    expect(sender.sends).toHaveLength(0);
    clock.advance(6);
    await n.kick();
    expect(sender.sends).toHaveLength(0);
    clock.advance(1);
    await n.kick();
    expect(sender.sends).toHaveLength(1);
  });

  it('backs off on 5xx, then marks the delivery failed and shows it in failures()', async () => {
    const { deps, conversations, sender, notifier, clock, logger } = setup({
      maxAttempts: 3,
      backoffBaseMs: 1000,
    });
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    sender.failNext(503, undefined, 3);
    const n = notifier();
    await n.kick(); // attempt 1 → retry in 1 s
    clock.advance(1);
    await n.kick(); // attempt 2 → retry in 2 s
    clock.advance(1);
    await n.kick(); // not due yet
    expect(await n.failures(ALICE.id)).toEqual([]);
    clock.advance(1);
    await n.kick(); // attempt 3 → failed
    expect(sender.sends).toHaveLength(0);
    expect(await n.failures(ALICE.id)).toEqual([
      expect.objectContaining({ callId: call.id, kind: 'card', reason: 'http-503', attempts: 2 }),
    ]);
    expect(logger.text()).toContain('lobby notification failed');
    expect(logger.text()).not.toContain(CUSTOMER);
  });

  it('does not retry a 403 (bot removed from the conversation)', async () => {
    const { deps, conversations, sender, notifier } = setup();
    await conversations.put(ALICE_KEY, aRef());
    await aWaitingCall(deps, ALICE);
    sender.failNext(403);
    const n = notifier();
    await n.kick();
    expect(await n.failures(ALICE.id)).toEqual([expect.objectContaining({ reason: 'http-403' })]);
  });

  it('records "no-conversation" when the agent never opened the bot chat', async () => {
    const { deps, sender, notifier } = setup();
    await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    expect(sender.sends).toHaveLength(0);
    expect(await n.failures(ALICE.id)).toEqual([
      expect.objectContaining({ reason: 'no-conversation' }),
    ]);
  });

  it('updates the sent card in place when the call moves on', async () => {
    const { deps, conversations, sender, notifier } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    await sendLobbyMessage(deps, ALICE, call.id, 'Please have the device ready');
    await n.kick();
    await admitCall(deps, ALICE, call.id);
    await n.kick();
    expect(sender.sends).toHaveLength(1);
    expect(sender.updates).toHaveLength(2);
    expect(sender.updates.every((u) => u.activityId === sender.sends[0]!.activityId)).toBe(true);
    expect(JSON.stringify(sender.updates[1]!.card)).toContain('Admitted by Alice Agent');
  });

  it('brings a new card up to date when the call moved on while it was being sent', async () => {
    const { deps, conversations, sender, notifier } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    sender.beforeSend = () => admitCall(deps, ALICE, call.id);
    const n = notifier();
    await n.ingest();
    await n.deliverDue();
    expect(sender.sends).toHaveLength(1);
    expect(JSON.stringify(sender.sends[0]!.card)).toContain('Customer waiting');
    expect(JSON.stringify(sender.updates[0]!.card)).toContain('Admitted by Alice Agent');
  });

  it('posts a team link to the agent and to the team channel, and updates both', async () => {
    const { deps, teams, conversations, sender, notifier } = setup();
    teams.add('team-1', ALICE.id);
    await conversations.put(ALICE_KEY, aRef());
    await conversations.put(
      { kind: 'team', teamId: 'team-1' },
      aRef({
        conversationId: '19:general',
        address: {
          channelId: 'msteams',
          serviceUrl: 'https://smba.example.test/',
          botId: '28:bot',
        },
        locale: 'de-DE',
      }),
    );
    const { call } = await aWaitingCall(deps, ALICE, {
      team: { id: 'team-1', name: 'Support', channelId: '19:queue' },
    });
    const n = notifier();
    await n.kick();
    expect(sender.sends.map((s) => s.channelId)).toEqual([undefined, '19:queue']);
    expect(JSON.stringify(sender.sends[1]!.card)).toContain('Kunde wartet');
    await admitCall(deps, ALICE, call.id);
    await n.kick();
    expect(sender.updates.map((u) => u.ref.conversationId).sort()).toEqual(['a:alice', 'thread-2']);
  });

  it('escalates once after the configured time when nobody reacts', async () => {
    const { deps, conversations, sender, notifier, clock } = setup();
    await conversations.put(ALICE_KEY, aRef());
    await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    clock.advance(59);
    await n.kick();
    expect(sender.sends).toHaveLength(1);
    clock.advance(1);
    await n.kick();
    clock.advance(600);
    await n.kick();
    expect(sender.sends).toHaveLength(2);
    expect(JSON.stringify(sender.sends[1]!.card)).toContain(
      'Reminder: your customer is still waiting.',
    );
  });

  it('tells the reports when (and only when) it escalates a card', async () => {
    const { deps, conversations, outbox, sender, logger, clock } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    const escalated: [string, string][] = [];
    const n = new LobbyNotifier({
      deps,
      conversations,
      outbox,
      sender,
      logger,
      tabUrl: TAB,
      escalationSeconds: 60,
      onEscalated: (callId, at) => {
        escalated.push([callId, at]);
        return Promise.resolve();
      },
    });
    await n.kick();
    expect(escalated).toEqual([]);
    clock.advance(60);
    await n.kick();
    expect(escalated).toEqual([[call.id, clock.now().toISOString()]]);
  });

  it('does not escalate once the agent reacted', async () => {
    const { deps, conversations, sender, notifier, clock } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    await sendLobbyMessage(deps, ALICE, call.id, "I'll be with you in 2 minutes");
    clock.advance(120);
    await n.kick();
    expect(sender.sends).toHaveLength(1);
  });

  it('says "timed out" when the sweeper abandons the call', async () => {
    const { deps, conversations, sender, notifier, clock } = setup();
    await conversations.put(ALICE_KEY, aRef());
    await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    clock.advance(901);
    await sweepDueCalls(deps);
    await n.kick();
    expect(JSON.stringify(sender.updates[sender.updates.length - 1]!.card)).toContain(
      'the lobby timed out',
    );
  });

  it('does not announce a claim that was already decided when the notifier reads it', async () => {
    const { deps, conversations, sender, notifier } = setup();
    await conversations.put(ALICE_KEY, aRef());
    const { call } = await aWaitingCall(deps, ALICE);
    await admitCall(deps, ALICE, call.id);
    await notifier().kick();
    expect(sender.calls).toEqual([]);
  });

  it('serves failures per agent only', async () => {
    const { deps, notifier } = setup();
    await aWaitingCall(deps, ALICE);
    const n = notifier();
    await n.kick();
    expect(await n.failures(BOB.id)).toEqual([]);
    expect(await n.failures(asAadObjectId(ALICE.id))).toHaveLength(1);
  });
});
