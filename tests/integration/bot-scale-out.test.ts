import type { CallDeps } from '@shared';
import { claimLink, createCall } from '@shared';
import { PostgresConversationStore } from '../../bot/src/adapters/conversations/postgres-conversation-store';
import { PostgresNotificationOutbox } from '../../bot/src/adapters/conversations/postgres-notification-outbox';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { createBotConnector } from '../../bot/src/teams/bot-connector';
import { createTeamsBot, type TeamsBot } from '../../bot/src/teams/create-teams-bot';
import {
  TEST_DATABASE_URL,
  aSchemaName,
  describePostgres,
  dropSchema,
} from '../contract/postgres-test-db';
import { FakeBotConnector } from '../fakes/fake-bot-connector';
import { ALICE, RecordingLogger, aWorld } from '../unit/bot/world';

// Several instances share PostgreSQL: each runs the lobby notifier over the same event log and
// outbox. Every claim must still reach the agent exactly once.
describePostgres('the lobby notifier on two instances sharing PostgreSQL', () => {
  let schema: string;
  let connector: FakeBotConnector;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    schema = aSchemaName();
    connector = await new FakeBotConnector().start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await connector.stop();
    await dropSchema(schema);
  });

  async function instance(): Promise<{ deps: CallDeps; bot: TeamsBot }> {
    const store = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 4 });
    await store.migrate();
    const conversations = new PostgresConversationStore(TEST_DATABASE_URL, { schema });
    const outbox = new PostgresNotificationOutbox(TEST_DATABASE_URL, { schema });
    await conversations.migrate();
    await outbox.migrate();
    const { deps } = aWorld({ store });
    const bot = createTeamsBot({
      deps,
      conversations,
      outbox,
      logger: new RecordingLogger(),
      connector: createBotConnector(undefined),
      config: {
        publicBaseUrl: 'http://localhost:3978',
        localAgent: { id: ALICE.id, name: ALICE.name },
        escalationSeconds: 0,
      },
    });
    closers.push(async () => {
      await bot.stop();
      await conversations.close();
      await outbox.close();
      await store.close();
    });
    return { deps, bot };
  }

  it('delivers each of 20 claims exactly once while both instances deliver at the same time', async () => {
    const a = await instance();
    const b = await instance();
    const conversations = new PostgresConversationStore(TEST_DATABASE_URL, { schema });
    closers.push(() => conversations.close());
    await conversations.put(
      { kind: 'personal', agentId: ALICE.id },
      {
        conversationId: 'a:alice',
        updatedAt: new Date().toISOString(),
        address: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          botId: '28:bot',
        },
      },
    );
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createCall(a.deps, ALICE, { title: `Call ${i}` })),
    );
    // Half the customers land on each instance.
    await Promise.all(
      created.map((c, i) => claimLink(i % 2 ? b.deps : a.deps, c.code, `Customer ${i}`, undefined)),
    );
    await Promise.all([a.bot.flush(), b.bot.flush(), a.bot.flush(), b.bot.flush()]);
    await Promise.all([a.bot.flush(), b.bot.flush()]);

    const perCall = new Map<string, number>();
    for (const request of connector.posted) {
      const id = /"callId":"([^"]+)"/.exec(JSON.stringify(request.body))?.[1];
      if (id) perCall.set(id, (perCall.get(id) ?? 0) + 1);
    }
    expect(perCall.size).toBe(20);
    expect([...perCall.values()].every((n) => n === 1)).toBe(true);
  });
});
