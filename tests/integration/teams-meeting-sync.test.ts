import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { GraphAppInstaller } from '../../bot/src/adapters/graph/graph-app-installer';
import { GraphClient } from '../../bot/src/adapters/graph/graph-client';
import { GraphMeetingProvider } from '../../bot/src/adapters/graph/graph-meeting-provider';
import {
  GraphGroupMembership,
  GraphTeamDirectory,
} from '../../bot/src/adapters/graph/graph-team-directory';
import { MsalTokenSource } from '../../bot/src/adapters/graph/msal-token-source';
import { EntraAgentAuthenticator } from '../../bot/src/http/auth/entra-agent-authenticator';
import { FakeBotConnector } from '../fakes/fake-bot-connector';
import { FakeEntra, teamsSsoClaims } from '../fakes/fake-entra';
import { FakeGraph } from '../fakes/fake-graph';
import { RecordingLogger } from '../unit/bot/world';
import { FakeClock, startTestServer, type TestServer } from './harness';
import { Browser } from './http-client';

// Teams mode over real HTTP with Entra, Graph and the Bot Connector on loopback. The bot has no
// BOT_ID (loopback only), so a card click acts as LOCAL_AGENT_ID: the agent who owns the call.

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const AGENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const LOBBY_PATCH = /^\/users\/[^/]+\/onlineMeetings\/[^/]+$/;

let entra: FakeEntra;
let graph: FakeGraph;
let connector: FakeBotConnector;
let dataDir: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  [entra, graph] = await Promise.all([FakeEntra.start(), FakeGraph.start()]);
  connector = await new FakeBotConnector().start();
});
afterAll(() => Promise.all([entra.stop(), graph.stop(), connector.stop()]));
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'otc-meeting-sync-'));
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One instance of the app on the shared data directory (a second call is a restart). */
async function start(clock: FakeClock, logger = new RecordingLogger()) {
  const tokens = new MsalTokenSource({
    clientId: CLIENT_ID,
    clientSecret: 'test-secret',
    tenantId: TENANT,
    authorityHost: entra.httpsUrl,
    ca: entra.ca,
  });
  const client = new GraphClient({ tokens, baseUrl: graph.url, sleep: () => Promise.resolve() });
  const server = await startTestServer({
    env: {
      DATA_DIR: dataDir,
      PUBLIC_BASE_URL: 'https://calls.contoso.com',
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_APP_CLIENT_SECRET: 'test-secret',
      ENTRA_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.url,
      LOCAL_AGENT_ID: AGENT,
      LOCAL_AGENT_NAME: 'Alex Agent',
    },
    overrides: {
      clock,
      logger,
      // The test runs the background rounds itself.
      notifier: false,
      cloud: {
        auth: new EntraAgentAuthenticator({
          clientId: CLIENT_ID,
          appIdUri: `api://calls.contoso.com/${CLIENT_ID}`,
          allowedTenantIds: [],
          homeTenantId: TENANT,
          authorityHost: entra.url,
          groupMembership: new GraphGroupMembership({ graph: client }),
          now: () => clock.now(),
        }),
        meetings: new GraphMeetingProvider({
          graph: client,
          now: () => clock.now(),
          timers: undefined,
        }),
        teams: new GraphTeamDirectory({ graph: client, now: () => clock.now().getTime() }),
        installer: new GraphAppInstaller({ graph: client, teamsAppId: 'manifest-app-id' }),
      },
    },
  });
  servers.push(server);
  return { server, logger };
}

/** A call whose customer waits in our lobby, made through the agent API. */
async function aWaitingCall(server: TestServer, clock: FakeClock) {
  const token = await entra.sign(
    teamsSsoClaims({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      host: 'calls.contoso.com',
      objectId: AGENT,
      name: 'Alex Agent',
      now: Math.floor(clock.now().getTime() / 1000),
    }),
  );
  const created = await request(server.url)
    .post('/api/calls')
    .set('authorization', `Bearer ${token}`)
    .send({ title: 'Boiler check' })
    .expect(201);
  const body = created.body as { call: { id: string }; link: string };
  const customer = new Browser(server.url);
  await customer.postForm(new URL(body.link).pathname, { name: 'Anna Schmidt' });
  return { callId: body.call.id, token };
}

const clickAdmit = (server: TestServer, callId: string) =>
  request(server.url)
    .post('/api/messages')
    .send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      serviceUrl: connector.url,
      locale: 'en-US',
      from: { id: '29:agent', name: 'Alex Agent', aadObjectId: AGENT },
      recipient: { id: '28:bot', name: 'One-Time Call' },
      conversation: { id: 'personal-chat-1', conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      id: `incoming-${Math.random().toString(16).slice(2)}`,
      value: { action: { type: 'Action.Execute', verb: 'admit', data: { callId } } },
    });

describe('proactive install (Teams mode)', () => {
  it('installs the app for an agent who never opened the bot chat when they make a link', async () => {
    graph.catalog.set('manifest-app-id', 'catalog-app-1');
    const clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
    const { server } = await start(clock);
    await aWaitingCall(server, clock);
    for (let i = 0; i < 100 && !graph.userApps.get(AGENT)?.length; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(graph.userApps.get(AGENT)).toEqual(['catalog-app-1']);
    expect(graph.calls()).toContainEqual({
      method: 'POST',
      path: `/users/${AGENT}/teamwork/installedApps`,
      body: { 'teamsApp@odata.bind': `${graph.url}/appCatalogs/teamsApps/catalog-app-1` },
    });
  });
});

describe('meeting-sync outbox (Teams mode)', () => {
  it('answers the Admit click with the updated card before a slow Graph (10 s) has opened the lobby', async () => {
    const clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
    const { server } = await start(clock);
    const { callId } = await aWaitingCall(server, clock);
    const slow = graph.slow('PATCH', LOBBY_PATCH, 10_000);
    try {
      const answer = await clickAdmit(server, callId).expect(200);
      // The invoke is answered with the admitted card while Graph has not answered the lobby PATCH.
      expect(JSON.stringify(answer.body)).toContain('Admitted by Alex Agent');
      // (Only the lockdown at creation, on the agent's behalf, was answered.)
      expect(graph.answered.filter((r) => r.startsWith('PATCH /users/'))).toEqual([]);
      // The step runs in the background from the outbox; Graph receives it and is still slow.
      const round = server.meetingSync?.kick();
      await slow.arrived;
      slow.release();
      await round;
      const entries = await server.deps.store.events(callId);
      expect(entries.map((e) => e.type)).toEqual(['created', 'claimed', 'admitted']);
      expect(graph.calls().at(-1)).toMatchObject({
        method: 'PATCH',
        body: { lobbyBypassSettings: { scope: 'everyone', isDialInBypassEnabled: false } },
      });
    } finally {
      slow.restore();
    }
  });

  it('retries a failing step across a restart, then records it on the call and logs Graph’s request id', async () => {
    const clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
    const first = await start(clock);
    const { callId, token } = await aWaitingCall(first.server, clock);
    await request(first.server.url)
      .post(`/api/calls/${callId}/admit`)
      .set('authorization', `Bearer ${token}`)
      .send({})
      .expect(200);
    // Graph answers 503 (Retry-After 90 s) to every attempt of the lobby PATCH.
    graph.script({
      method: 'PATCH',
      path: LOBBY_PATCH,
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'try later' } },
      headers: { 'retry-after': '90', 'request-id': 'graph-req-42' },
      times: 100,
    });
    try {
      expect(first.server.meetingSync).toBeDefined();
      await first.server.meetingSync?.kick();
      // The process "dies" after the first failed attempt; the step is persisted with its retry.
      await first.server.close();
      servers.splice(servers.indexOf(first.server), 1);

      const second = await start(clock);
      await second.server.meetingSync?.kick();
      // Not due yet: Graph asked for 90 s.
      expect(graph.requests.filter((r) => r.method === 'PATCH').length).toBeGreaterThan(0);
      const failedEvents = async () =>
        (await second.server.deps.store.events(callId)).filter(
          (e) => e.type === 'meeting-sync-failed',
        );
      for (let i = 0; i < 10 && (await failedEvents()).length === 0; i += 1) {
        clock.advance(130);
        await second.server.meetingSync?.kick();
      }
      const events = await second.server.deps.store.events(callId);
      const failed = events.filter((e) => e.type === 'meeting-sync-failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.data).toEqual({ step: 'admit', requestId: 'graph-req-42' });
      // Surfaced to the tab…
      const shown = await request(second.server.url)
        .get(`/api/calls/${callId}`)
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect((shown.body as { call: { meetingProblem?: unknown } }).call.meetingProblem).toEqual({
        step: 'admit',
        at: expect.any(String) as string,
      });
      // …and to the log, with Graph's request id.
      expect(second.logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'meeting step failed for good',
          fields: expect.objectContaining({
            callId,
            step: 'admit',
            attempts: 6,
            graphRequestId: 'graph-req-42',
          }) as unknown,
        }),
      );
    } finally {
      graph.clearScripts();
    }
  });
});
