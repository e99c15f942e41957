import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConversationKey, OutboxStatus } from '@shared';
import { SqliteConversationStore } from '../../bot/src/adapters/conversations/sqlite-conversation-store';
import { SqliteNotificationOutbox } from '../../bot/src/adapters/conversations/sqlite-notification-outbox';
import { BotConnectorClient } from '../../bot/src/teams/delivery/connector-client';
import { LobbyNotifier } from '../../bot/src/teams/outbox/lobby-notifier';
import { FakeBotConnector, cardOf } from '../fakes/fake-bot-connector';
import { ALICE, RecordingLogger, aWaitingCall, aWorld } from '../unit/bot/world';

// Issue 13, finding 7: the connector accepted a card, then the process died before the outbox
// entry was marked sent. The entry is leased again after its lease; it must not leave two live
// cards: the retry finds its card and updates it in place.

/** An outbox whose process "dies" when it marks the first entry sent. */
class DyingOutbox extends SqliteNotificationOutbox {
  dies = true;
  override complete(
    id: string,
    status: Exclude<OutboxStatus, 'pending'>,
    at: string,
    error?: string,
  ): Promise<void> {
    if (this.dies && status === 'sent') {
      this.dies = false;
      return Promise.reject(new Error('process died'));
    }
    return super.complete(id, status, at, error);
  }
}

const ALICE_KEY: ConversationKey = { kind: 'personal', agentId: ALICE.id };

let connector: FakeBotConnector;
let dir: string;
beforeEach(async () => {
  connector = await new FakeBotConnector().start();
  dir = mkdtempSync(path.join(tmpdir(), 'otc-crash-'));
});
afterEach(async () => {
  await connector.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('updates the card the connector accepted before a crash instead of posting a second one', async () => {
  const world = aWorld();
  const file = path.join(dir, 'bot.sqlite');
  const conversations = new SqliteConversationStore(file);
  await conversations.migrate();
  await conversations.put(ALICE_KEY, {
    conversationId: 'a:alice',
    locale: 'en-US',
    updatedAt: world.clock.now().toISOString(),
    address: {
      channelId: 'msteams',
      serviceUrl: connector.url,
      botId: '28:bot',
      userId: '29:alice',
    },
  });
  const sender = new BotConnectorClient({ token: () => Promise.resolve(undefined) });
  const logger = new RecordingLogger();
  const notifierOn = (outbox: SqliteNotificationOutbox) =>
    new LobbyNotifier({
      deps: world.deps,
      conversations,
      outbox,
      sender,
      logger,
      tabUrl: 'http://localhost:3978/',
      escalationSeconds: 0,
      tuning: { leaseMs: 30_000, backoffBaseMs: 1000 },
    });

  const dying = new DyingOutbox(file);
  await dying.migrate();
  const { call } = await aWaitingCall(world.deps, ALICE);
  await notifierOn(dying).kick();
  // The connector has the card; the entry is not marked sent (the process died at that step).
  expect(connector.posted).toHaveLength(1);
  const entryId = (await dying.sentCards(call.id))[0]?.entryId;
  expect(entryId).toBeDefined();
  expect((await dying.get(entryId!))?.status).toBe('pending');
  await dying.close();

  // A new process on the same file, after the lease ran out.
  world.clock.advance(31);
  const restarted = new SqliteNotificationOutbox(file);
  await restarted.migrate();
  await notifierOn(restarted).kick();

  expect(connector.posted).toHaveLength(1);
  const [update] = connector.updated;
  expect(update).toMatchObject({ activityId: connector.posted[0]!.answeredId });
  expect(JSON.stringify(cardOf(update!))).toContain(call.id);
  expect(await restarted.get(entryId!)).toMatchObject({ status: 'sent', lastError: 'recovered' });
  expect(await restarted.sentCards(call.id)).toHaveLength(1);
  await restarted.close();
  await conversations.close();
});
