import type { JWTPayload } from 'jose';
import { GraphClient } from '../../bot/src/adapters/graph/graph-client';
import {
  GraphMeetingProvider,
  type LobbyTimers,
} from '../../bot/src/adapters/graph/graph-meeting-provider';
import {
  GraphGroupMembership,
  GraphTeamDirectory,
} from '../../bot/src/adapters/graph/graph-team-directory';
import { MsalTokenSource } from '../../bot/src/adapters/graph/msal-token-source';
import { EntraAgentAuthenticator } from '../../bot/src/http/auth/entra-agent-authenticator';
import { handleMeetingEvent, threadIdOf } from '@shared';
import { MEETING_EVENT_NAMES, parseMeetingEvent } from '../../bot/src/teams/meeting-activity';
import { FakeEntra, teamsSsoClaims } from '../fakes/fake-entra';
import { FakeGraph } from '../fakes/fake-graph';
import { FakeClock, startTestServer, type TestServer } from './harness';
import { Browser } from './http-client';

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const AGENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const GROUP = '99999999-8888-4777-8666-555555555555';
const PUBLIC = 'https://calls.contoso.com';

let entra: FakeEntra;
let graph: FakeGraph;
let server: TestServer;
let clock: FakeClock;
const noTimers: LobbyTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

beforeAll(async () => {
  [entra, graph] = await Promise.all([FakeEntra.start(), FakeGraph.start()]);
});
afterAll(() => Promise.all([entra.stop(), graph.stop()]));

/** The app in Teams mode, wired as bot/src/main.ts should wire it, with Entra and Graph on loopback. */
async function start(options: { creatorGroup?: boolean } = {}) {
  clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
  const tokens = new MsalTokenSource({
    clientId: CLIENT_ID,
    clientSecret: 'test-secret',
    tenantId: TENANT,
    authorityHost: entra.httpsUrl,
    ca: entra.ca,
  });
  const client = new GraphClient({ tokens, baseUrl: graph.url, sleep: () => Promise.resolve() });
  server = await startTestServer({
    env: {
      PUBLIC_BASE_URL: PUBLIC,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_APP_CLIENT_SECRET: 'test-secret',
      ENTRA_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.url,
    },
    overrides: {
      clock,
      cloud: {
        auth: new EntraAgentAuthenticator({
          clientId: CLIENT_ID,
          appIdUri: `api://calls.contoso.com/${CLIENT_ID}`,
          allowedTenantIds: [],
          homeTenantId: TENANT,
          authorityHost: entra.url,
          creatorGroupId: options.creatorGroup ? GROUP : undefined,
          groupMembership: new GraphGroupMembership({ graph: client }),
          now: () => clock.now(),
        }),
        meetings: new GraphMeetingProvider({
          graph: client,
          now: () => clock.now(),
          timers: noTimers,
        }),
        teams: new GraphTeamDirectory({ graph: client, now: () => clock.now().getTime() }),
      },
    },
  });
}
afterEach(() => server.close());

const ssoToken = (claims: JWTPayload = {}) =>
  entra.sign({
    ...teamsSsoClaims({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      host: 'calls.contoso.com',
      objectId: AGENT,
      name: 'Alex Agent',
      now: Math.floor(clock.now().getTime() / 1000),
    }),
    ...claims,
  });

async function agentCall(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

const teamsEvent = (name: string, value: unknown, joinUrl: string) => ({
  name,
  value,
  conversation: { id: threadIdOf(joinUrl) },
  channelData: {
    tenant: { id: TENANT },
    meeting: { id: Buffer.from(`0#${threadIdOf(joinUrl)}#0`).toString('base64') },
  },
});

describe('Teams production mode end to end (loopback Entra and Graph)', () => {
  it('refuses the agent API without a valid SSO token', async () => {
    await start();
    expect((await agentCall('GET', '/api/calls', undefined)).status).toBe(401);
    const expired = await ssoToken({ exp: Math.floor(clock.now().getTime() / 1000) - 3600 });
    const refused = await agentCall('GET', '/api/calls', expired);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: { code: 'unauthorized' } });
    const otherTenant = await ssoToken({
      tid: 'someone-else',
      iss: 'https://sts.windows.net/someone-else/',
    });
    expect((await agentCall('GET', '/api/calls', otherTenant)).status).toBe(403);
  });

  it('creates a Teams meeting on behalf of the agent, opens and closes the lobby, and follows the meeting events', async () => {
    await start();
    const token = await ssoToken();
    const created = await agentCall('POST', '/api/calls', token, {
      title: 'Boiler check',
      durationMinutes: 30,
    });
    expect(created.status).toBe(201);
    const callId = (created.json['call'] as { id: string }).id;
    const link = created.json['link'] as string;
    // The agent's own token was exchanged on-behalf-of, and Graph was called as the agent.
    expect(entra.tokenRequests.at(-1)?.form['grant_type']).toBe(
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    );
    expect(
      graph.calls().map((c) => `${c.method} ${c.path.split('/').slice(0, 3).join('/')}`),
    ).toEqual([
      'POST /me/events',
      'GET /me/onlineMeetings',
      'PATCH /me/onlineMeetings',
      'GET /me/onlineMeetings',
    ]);
    expect(graph.calls().at(-1)?.path).toMatch(/\/getVirtualAppointmentJoinWebUrl$/);
    const event = [...graph.events.values()].at(-1);
    if (!event) throw new Error('no event');
    // Neither meeting URL ever reaches the agent list.
    expect(JSON.stringify(created.json)).not.toContain('meetup-join');
    expect(JSON.stringify(created.json)).not.toContain('visit.teams');
    expect(JSON.stringify((await agentCall('GET', '/api/calls', token)).json)).not.toMatch(
      /meetup-join|visit\.teams/,
    );

    const customer = new Browser(server.url);
    const path = new URL(link).pathname;
    // A Virtual Appointments link joins in the phone's browser: the landing page says the app is optional.
    expect(await (await customer.get(path)).text()).toContain(
      'You can join right here in your browser, on a phone too.',
    );
    expect((await customer.postForm(path, { name: 'Anna Schmidt' })).status).toBe(303);

    graph.requests.length = 0;
    const admitted = await agentCall('POST', `/api/calls/${callId}/admit`, token);
    expect(admitted.status).toBe(200);
    // The lobby opens from the meeting-sync outbox, with the app's identity.
    await server.meetingSync?.kick();
    expect(graph.calls()).toEqual([
      {
        method: 'PATCH',
        path: `/users/${AGENT}/onlineMeetings/${event.onlineMeetingId}`,
        body: { lobbyBypassSettings: { scope: 'everyone', isDialInBypassEnabled: false } },
      },
    ]);
    // The agent's Join meeting: the Teams deep link, asked for on its own (never in lists or events).
    const meetingLink = await agentCall('GET', `/api/calls/${callId}/meeting-link`, token);
    expect(meetingLink).toEqual({ status: 200, json: { joinUrl: event.joinUrl } });
    const other = await ssoToken({ oid: 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee' });
    expect((await agentCall('GET', `/api/calls/${callId}/meeting-link`, other)).status).toBe(404);

    // Only the admitted customer's browser learns where to join: the Virtual Appointments URL.
    const status = (await (
      await customer.get(`${path}/status`, { accept: 'application/json' })
    ).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'admitted' });
    expect(status['next']).toMatch(/^https:\/\/visit\.teams\.microsoft\.com\//);
    expect(await (await customer.get(`${path}/lobby`)).text()).toContain(
      String(status['next']).replace(/&/g, '&amp;'),
    );
    const stranger = await new Browser(server.url).get(`${path}/status`, {
      accept: 'application/json',
    });
    expect(await stranger.text()).not.toMatch(/meetup-join|visit\.teams/);

    // Teams reports the anonymous customer in the meeting: in_call, and the lobby closes (app identity).
    graph.requests.length = 0;
    const join = parseMeetingEvent(
      teamsEvent(
        MEETING_EVENT_NAMES.join,
        { members: [{ user: { id: '29:anon' }, meeting: { inMeeting: true } }] },
        event.joinUrl,
      ),
    );
    const joined = await handleMeetingEvent(server.deps, join!);
    expect(joined).toMatchObject({ changed: 'in_call', warnings: [] });
    await server.meetingSync?.kick();
    expect(graph.calls()).toEqual([
      {
        method: 'PATCH',
        path: `/users/${AGENT}/onlineMeetings/${event.onlineMeetingId}`,
        body: { lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false } },
      },
    ]);

    // A second outsider: the agent is warned.
    const third = parseMeetingEvent(
      teamsEvent(
        MEETING_EVENT_NAMES.join,
        { Members: [{ User: { Id: '29:other' } }] },
        event.joinUrl,
      ),
    );
    expect((await handleMeetingEvent(server.deps, third!)).warnings).toEqual([
      { kind: 'third-person', callId, othersPresent: 2 },
    ]);

    // The meeting ends: the call ends, the lobby is locked and the event cancelled; the link is dead.
    graph.requests.length = 0;
    const end = parseMeetingEvent(
      teamsEvent(
        MEETING_EVENT_NAMES.end,
        { Id: 'x', JoinUrl: event.joinUrl, EndTime: '2026-11-25T09:40:00Z' },
        event.joinUrl,
      ),
    );
    expect((await handleMeetingEvent(server.deps, end!)).changed).toBe('ended');
    await server.meetingSync?.kick();
    expect(graph.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      `PATCH /users/${AGENT}/onlineMeetings/${event.onlineMeetingId}`,
      `POST /users/${AGENT}/events/${event.id}/cancel`,
    ]);
    expect(graph.events.get(event.id)?.cancelled).toBe(true);
    const after = (await (
      await customer.get(`${path}/status`, { accept: 'application/json' })
    ).json()) as Record<string, unknown>;
    expect(after['state']).toBe('ended');
    expect((await agentCall('GET', `/api/calls/${callId}/meeting-link`, token)).status).toBe(409);
    expect((await new Browser(server.url).get(path)).status).toBe(410);
  });

  it('sends the customer to the plain join URL, saying the Teams app is needed, when the tenant gives no browser link', async () => {
    await start();
    graph.virtualAppointments = false;
    try {
      const token = await ssoToken();
      const created = await agentCall('POST', '/api/calls', token, { title: 'Meter reading' });
      expect(created.status).toBe(201);
      const event = [...graph.events.values()].at(-1);
      const path = new URL(created.json['link'] as string).pathname;
      const customer = new Browser(server.url);
      expect(await (await customer.get(path)).text()).toContain(
        'For this call you will need the Microsoft Teams app.',
      );
      await customer.postForm(path, { name: 'Ben' });
      const callId = (created.json['call'] as { id: string }).id;
      expect((await agentCall('POST', `/api/calls/${callId}/admit`, token)).status).toBe(200);
      const status = (await (
        await customer.get(`${path}/status`, { accept: 'application/json' })
      ).json()) as Record<string, unknown>;
      expect(status['next']).toBe(event?.joinUrl);
    } finally {
      graph.virtualAppointments = true;
    }
  });

  it('tells the agent clearly when Graph refuses to create the meeting', async () => {
    await start();
    graph.script({
      method: 'POST',
      path: /\/events$/,
      status: 403,
      body: {
        error: {
          code: 'ErrorAccessDenied',
          message: 'Access is denied. Check credentials and try again.',
        },
      },
    });
    const refused = await agentCall('POST', '/api/calls', await ssoToken(), {
      title: 'Boiler check',
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('lets only members of the creator group make links (groups claim, or Graph on overage)', async () => {
    await start({ creatorGroup: true });
    const outsider = await agentCall(
      'POST',
      '/api/calls',
      await ssoToken({ groups: ['another-group'] }),
      {},
    );
    expect(outsider.status).toBe(403);
    const member = await agentCall('POST', '/api/calls', await ssoToken({ groups: [GROUP] }), {});
    expect(member.status).toBe(201);

    graph.groups.set(AGENT, [GROUP]);
    const overage = await agentCall(
      'POST',
      '/api/calls',
      await ssoToken({ _claim_names: { groups: 'src1' } }),
      {},
    );
    expect(overage.status).toBe(201);
    expect(graph.calls().some((c) => c.path === `/users/${AGENT}/checkMemberGroups`)).toBe(true);
  });
});
