// Bot figures: time from a customer's claim to the lobby card leaving the process (the request
// arriving at a loopback fake Bot Connector), at 1, 10 and 100 customers claiming at once.
// Real SQLite stores, the in-process event bus, the notifier's default tuning. Bounded: a few
// hundred claims in all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asAadObjectId, claimLink, createCall, resolveTemplates, type CallDeps } from '@shared';
import { SqliteConversationStore } from '../bot/src/adapters/conversations/sqlite-conversation-store';
import { SqliteNotificationOutbox } from '../bot/src/adapters/conversations/sqlite-notification-outbox';
import { BrowserMeetingProvider } from '../bot/src/adapters/meetings/browser-meeting-provider';
import { SqliteCallStore } from '../bot/src/adapters/storage/sqlite-call-store';
import { InMemoryCallEventBus } from '../bot/src/adapters/system/in-memory-call-event-bus';
import {
  CryptoRandomSource,
  NodeHasher,
  SystemClock,
} from '../bot/src/adapters/system/node-system';
import { createLogger } from '../bot/src/logger';
import { createBotConnector } from '../bot/src/teams/bot-connector';
import { createTeamsBot } from '../bot/src/teams/create-teams-bot';
import { FakeBotConnector, cardOf } from '../tests/fakes/fake-bot-connector';
import { latency } from './stats';

const AGENT = { id: asAadObjectId('bench-agent'), name: 'Bench Agent' };
const LEVELS: readonly { readonly concurrent: number; readonly rounds: number }[] = [
  { concurrent: 1, rounds: 50 },
  { concurrent: 10, rounds: 10 },
  { concurrent: 100, rounds: 3 },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otc-bot-bench-'));
  const connector = await new FakeBotConnector().start();
  const store = new SqliteCallStore(path.join(dir, 'calls.sqlite'));
  await store.migrate();
  const random = new CryptoRandomSource();
  const deps: CallDeps = {
    store,
    bus: new InMemoryCallEventBus(),
    clock: new SystemClock(),
    random,
    hasher: new NodeHasher(),
    meetings: new BrowserMeetingProvider(random),
    teams: { isMember: () => Promise.resolve(true) },
    settings: {
      publicBaseUrl: 'http://localhost:3978',
      linkGraceMinutes: 60,
      lobbyTimeoutSeconds: 900,
      lobbyWarningSeconds: 120,
      earlyJoinMinutes: 30,
      lobbyOpenSeconds: 120,
      defaultTimeZone: 'UTC',
      templates: resolveTemplates(),
    },
  };
  const conversations = new SqliteConversationStore(path.join(dir, 'bot.sqlite'));
  const outbox = new SqliteNotificationOutbox(path.join(dir, 'bot.sqlite'));
  await conversations.migrate();
  await outbox.migrate();
  await conversations.put(
    { kind: 'personal', agentId: AGENT.id },
    {
      conversationId: 'bench-chat',
      updatedAt: new Date().toISOString(),
      address: {
        channelId: 'msteams',
        serviceUrl: connector.url,
        botId: '28:bench',
      },
    },
  );
  const bot = createTeamsBot({
    deps,
    conversations,
    outbox,
    logger: createLogger('silent'),
    connector: createBotConnector(undefined),
    config: {
      publicBaseUrl: 'http://localhost:3978',
      localAgent: { id: AGENT.id, name: AGENT.name },
      escalationSeconds: 0,
    },
  });
  bot.start();

  const cardCallId = (body: unknown): string | undefined =>
    /"callId":"([^"]+)"/.exec(JSON.stringify(body))?.[1];

  for (const { concurrent, rounds } of LEVELS) {
    const samples: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const calls = await Promise.all(
        Array.from({ length: concurrent }, () => createCall(deps, AGENT, { title: 'Bench' })),
      );
      const started = new Map<string, bigint>();
      const before = connector.posted.length;
      await Promise.all(
        calls.map(async (c) => {
          started.set(c.call.id, process.hrtime.bigint());
          await claimLink(deps, c.code, 'Bench Customer', undefined);
        }),
      );
      await connector.waitFor(() => connector.posted.length - before >= concurrent, 30_000);
      for (const request of connector.posted.slice(before)) {
        const id = cardCallId(cardOf(request));
        const start = id ? started.get(id) : undefined;
        if (start !== undefined) samples.push(Number(request.receivedAt - start) / 1e6);
      }
    }
    console.log(
      `claim → card at the Bot Connector, ${String(concurrent).padStart(3)} customers at once: ${latency(samples)}`,
    );
  }
  await bot.stop();
  await connector.stop();
  await conversations.close();
  await outbox.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
