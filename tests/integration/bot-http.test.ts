import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { asAadObjectId, claimLink, createCall, customerStatus, type CallDeps } from '@shared';
import { SqliteConversationStore } from '../../bot/src/adapters/conversations/sqlite-conversation-store';
import { SqliteNotificationOutbox } from '../../bot/src/adapters/conversations/sqlite-notification-outbox';
import { SqliteCallStore } from '../../bot/src/adapters/storage/sqlite-call-store';
import type { AdaptiveCard } from '../../bot/src/teams/cards/card-types';
import { createBotConnector } from '../../bot/src/teams/bot-connector';
import { startTestServer } from './harness';
import { createTeamsBot, type TeamsBot } from '../../bot/src/teams/create-teams-bot';
import { FakeBotConnector, cardOf } from '../fakes/fake-bot-connector';
import type { FakeClock } from '../fakes/fake-clock';
import { RecordingLogger, aWorld } from '../unit/bot/world';

// Embedded mode (no BOT_ID) over real HTTP: activities are POSTed to /api/messages, and the bot's
// proactive cards go to the serviceUrl of the stored reference, which is the loopback fake connector.

const LOCAL_AGENT = { id: 'local-agent', name: 'Local agent' };
const AGENT = { id: asAadObjectId(LOCAL_AGENT.id), name: LOCAL_AGENT.name };

type Running = {
  readonly bot: TeamsBot;
  readonly url: string;
  readonly close: () => Promise<void>;
};

let dir: string;
let connector: FakeBotConnector;
let deps: CallDeps;
let clock: FakeClock;
let callStore: SqliteCallStore;
const running: Running[] = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'otc-bot-http-'));
  connector = await new FakeBotConnector().start();
  callStore = new SqliteCallStore(path.join(dir, 'calls.sqlite'));
  await callStore.migrate();
  const world = aWorld({ store: callStore });
  deps = world.deps;
  clock = world.clock;
  world.teams.add('team-1', LOCAL_AGENT.id);
});

afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  await callStore.close();
  await connector.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One server process: the bot on its own SQLite tables, mounted at POST /api/messages. */
async function startBot(): Promise<Running> {
  const file = path.join(dir, 'bot.sqlite');
  const conversations = new SqliteConversationStore(file);
  const outbox = new SqliteNotificationOutbox(file);
  await conversations.migrate();
  await outbox.migrate();
  const bot = createTeamsBot({
    deps,
    conversations,
    outbox,
    logger: new RecordingLogger(),
    connector: createBotConnector(undefined),
    config: {
      publicBaseUrl: 'http://localhost:3978',
      localAgent: LOCAL_AGENT,
      escalationSeconds: 60,
    },
    tuning: { pollIntervalMs: 60_000 },
  });
  const app = express();
  app.post('/api/messages', express.json(), (req, res) => bot.handleActivity(req, res));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const r: Running = {
    bot,
    url,
    close: async () => {
      await bot.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await conversations.close();
      await outbox.close();
    },
  };
  running.push(r);
  return r;
}

const fromPlayground = (extra: Record<string, unknown>) => ({
  channelId: 'msteams',
  serviceUrl: connector.url,
  locale: 'en-US',
  from: { id: '29:user', name: 'Alex Wilber', aadObjectId: 'playground-user' },
  recipient: { id: '28:bot', name: 'One-Time Call' },
  conversation: { id: 'personal-chat-1', conversationType: 'personal', tenantId: 'tenant-1' },
  id: `incoming-${Math.random().toString(16).slice(2)}`,
  timestamp: new Date().toISOString(),
  ...extra,
});

async function install(bot: Running): Promise<void> {
  await request(bot.url)
    .post('/api/messages')
    .send(fromPlayground({ type: 'installationUpdate', action: 'add' }))
    .expect((res) => expect(res.status).toBeLessThan(300));
}

async function aClaimedCall(team?: { id: string; name: string; channelId?: string }) {
  const created = await createCall(deps, AGENT, {
    title: 'Router setup',
    ...(team ? { team } : {}),
  });
  const claim = await claimLink(deps, created.code, 'Anna Schmidt', undefined);
  return { ...created, claimToken: claim.claimToken };
}

const lobbyCards = () =>
  connector.posted.filter((r) => JSON.stringify(r.body).includes('Anna Schmidt'));

describe('the bot over HTTP with a loopback Bot Connector', () => {
  it('a claim sends exactly one card, to the agent’s conversation, without a token', async () => {
    const bot = await startBot();
    await install(bot);
    bot.bot.start();
    const { call } = await aClaimedCall();
    await connector.waitFor(() => lobbyCards().length === 1);
    await bot.bot.flush();
    await bot.bot.flush();
    expect(lobbyCards()).toHaveLength(1);
    const [card] = lobbyCards();
    expect(card).toMatchObject({
      method: 'POST',
      conversationId: 'personal-chat-1',
      authorization: undefined,
    });
    expect(JSON.stringify(cardOf(card!))).toContain(call.id);
    expect(await bot.bot.isReachable(AGENT.id)).toBe(true);
  });

  it('admit through the card invoke admits the customer and updates the card in place', async () => {
    const bot = await startBot();
    await install(bot);
    bot.bot.start();
    const { call, code, claimToken } = await aClaimedCall();
    await connector.waitFor(() => lobbyCards().length === 1);
    const sentId = lobbyCards()[0]!.answeredId!;

    const res = await request(bot.url)
      .post('/api/messages')
      .send(
        fromPlayground({
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: sentId,
          value: {
            action: { type: 'Action.Execute', verb: 'admit', data: { callId: call.id } },
            trigger: 'manual',
          },
        }),
      )
      .expect(200);
    const body = res.body as { statusCode: number; type: string; value: AdaptiveCard };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain('Admitted by Local agent');

    expect((await customerStatus(deps, code, claimToken)).state).toBe('admitted');
    await connector.waitFor(() => connector.updated.length === 1);
    const [update] = connector.updated;
    expect(update).toMatchObject({ conversationId: 'personal-chat-1', activityId: sentId });
    expect(JSON.stringify(cardOf(update!))).toContain('Admitted by Local agent');
  });

  it('duplicate events and a restart between event and delivery still give exactly one card', async () => {
    const first = await startBot();
    await install(first);
    connector.failNext({ status: 500 });
    const { call } = await aClaimedCall();
    await first.bot.flush(); // read the event, the only attempt fails, the process "dies"
    expect(lobbyCards()).toHaveLength(0);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await startBot();
    const events = await deps.store.events(call.id);
    await deps.bus.publish({ call, event: events[events.length - 1]! });
    await deps.bus.publish({ call, event: events[events.length - 1]! });
    clock.advance(1);
    await second.bot.flush();
    await second.bot.flush();
    expect(lobbyCards()).toHaveLength(1);
  });

  it('429 with Retry-After: delivered after the wait, not before', async () => {
    const bot = await startBot();
    await install(bot);
    connector.failNext({ status: 429, retryAfter: '3' });
    await aClaimedCall();
    await bot.bot.flush();
    expect(connector.requests.filter((r) => r.status === 429)).toHaveLength(1);
    clock.advance(2);
    await bot.bot.flush();
    expect(lobbyCards()).toHaveLength(0);
    clock.advance(1);
    await bot.bot.flush();
    expect(lobbyCards()).toHaveLength(1);
  });

  it('a team link also posts to the team channel (a new thread in that channel)', async () => {
    const bot = await startBot();
    await install(bot);
    await request(bot.url)
      .post('/api/messages')
      .send(
        fromPlayground({
          type: 'installationUpdate',
          action: 'add',
          conversation: {
            id: '19:general@thread.tacv2',
            conversationType: 'channel',
            isGroup: true,
          },
          channelData: {
            team: { id: '19:general@thread.tacv2', aadGroupId: 'team-1' },
            tenant: { id: 'tenant-1' },
          },
        }),
      )
      .expect(200);
    await aClaimedCall({ id: 'team-1', name: 'Support', channelId: '19:queue@thread.tacv2' });
    await bot.bot.flush();
    const channelPost = lobbyCards().find((r) => r.path === '/v3/conversations');
    expect(channelPost?.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: '19:queue@thread.tacv2' } },
    });
    expect(lobbyCards()).toHaveLength(2);
  });

  it('a bad invoke over HTTP answers 200 with an error card', async () => {
    const bot = await startBot();
    const res = await request(bot.url)
      .post('/api/messages')
      .send(
        fromPlayground({
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: 'nonsense' },
        }),
      )
      .expect(200);
    expect(JSON.stringify(res.body)).toContain('That did not work');
  });

  it('reports a delivery that failed for good (no bot chat) to the tab', async () => {
    const bot = await startBot();
    const { call } = await aClaimedCall();
    await bot.bot.flush();
    expect(await bot.bot.deliveryFailures(AGENT.id)).toEqual([
      expect.objectContaining({ callId: call.id, reason: 'no-conversation' }),
    ]);
    expect(await bot.bot.isReachable(AGENT.id)).toBe(false);
  });
});

describe('the bot with BOT_ID configured', () => {
  // CloudAdapter prints every refused request with console.error; keep the output readable.
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('refuses activities without a Bot Framework token (401) and changes nothing', async () => {
    const server = await startTestServer({
      env: { BOT_ID: '00000000-0000-0000-0000-0000000000b0', BOT_PASSWORD: 'not-used' },
      overrides: { notifier: false },
    });
    running.push({ bot: server.bot, url: server.url, close: () => server.close() });
    await request(server.url)
      .post('/api/messages')
      .send(fromPlayground({ type: 'installationUpdate', action: 'add' }))
      .expect(401);
    expect(await server.bot.isReachable(AGENT.id)).toBe(false);
  });
});
