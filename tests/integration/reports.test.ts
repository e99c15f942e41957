import type { JWTPayload } from 'jose';
import { BrowserMeetingProvider } from '../../bot/src/adapters/meetings/browser-meeting-provider';
import { CryptoRandomSource } from '../../bot/src/adapters/system/node-system';
import { EntraAgentAuthenticator } from '../../bot/src/http/auth/entra-agent-authenticator';
import { FakeEntra, teamsSsoClaims } from '../fakes/fake-entra';
import { FakeClock, startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

const DAY = 'from=2026-11-25&to=2026-11-25&timeZone=Europe%2FBerlin';

let server: TestServer;
let clock: FakeClock;
let api: AgentApi;

async function startWith() {
  clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
  server = await startTestServer({ overrides: { clock } });
  api = new AgentApi(server.url);
}
afterEach(async () => {
  await server.close();
});

/** A team call opened, claimed, admitted after 42 s and ended after 5 min; a revoked personal one. */
async function seedDay() {
  const team = await api.create({
    title: 'Grüße, "Team"',
    team: { id: 'team-a', name: 'Support Süd' },
  });
  const customer = new Browser(server.url);
  expect((await customer.get(team.path)).status).toBe(200);
  expect((await customer.postForm(team.path, { name: 'Jürgen Öztürk' })).status).toBe(303);
  clock.advance(42);
  expect((await api.call('POST', `/api/calls/${team.id}/admit`)).status).toBe(200);
  clock.advance(300);
  expect((await api.call('POST', `/api/calls/${team.id}/end`)).status).toBe(200);
  const personal = await api.create({ title: '=HYPERLINK("http://evil")' });
  expect((await api.call('POST', `/api/calls/${personal.id}/revoke`)).status).toBe(200);
  clock.advance(1);
  const opened = await api.create({ title: '@SUM(A1)' });
  await new Browser(server.url).get(opened.path);
  clock.advance(10);
  return { team, personal, opened };
}

describe('GET /api/reports', () => {
  it('gives an agent its own figures, the same from raw events today and from roll-ups later', async () => {
    await startWith();
    await seedDay();
    const today = await api.call('GET', `/api/reports?${DAY}`);
    expect(today.status).toBe(200);
    expect(today.json['totals']).toMatchObject({
      created: 3,
      claimed: 1,
      admitted: 1,
      ended: 1,
      revoked: 1,
      openedNotClaimed: 0,
      cardsAnswered: 1,
    });
    expect(today.json['timeToAdmit']).toEqual({
      count: 1,
      p50: 42,
      p90: 42,
      max: 42,
      withinTarget: 1,
    });
    expect(today.json['callLength']).toMatchObject({ count: 1, p50: 300 });
    expect(JSON.stringify(today.json)).not.toContain('Jürgen');

    clock.advance(2 * 86_400);
    expect(await server.rollUpReports()).toBeGreaterThan(0);
    const later = await api.call('GET', `/api/reports?${DAY}`);
    expect(later.json).toEqual(today.json);
  });

  it('lets the agent see its team and refuses another agent and bad input', async () => {
    await startWith();
    await seedDay();
    const team = await api.call('GET', `/api/reports?scope=team&teamId=team-a&${DAY}`);
    expect(team.status).toBe(200);
    expect(team.json['totals']).toMatchObject({ created: 1, admitted: 1 });
    expect(team.json['escalationShare']).toBe(0);
    const org = await api.call('GET', `/api/reports?scope=org&${DAY}`);
    expect(org.status).toBe(200);
    const agent = await api.call('GET', `/api/reports?scope=agent&agentId=someone-else&${DAY}`);
    expect(agent.status).toBe(403);
    expect(agent.json.error?.code).toBe('forbidden');
    const backwards = await api.call(
      'GET',
      '/api/reports?from=2026-11-25&to=2026-11-01&timeZone=UTC',
    );
    expect(backwards.status).toBe(400);
    const zone = await api.call(
      'GET',
      '/api/reports?from=2026-11-25&to=2026-11-25&timeZone=Mars%2FOlympus',
    );
    expect(zone.status).toBe(400);
    expect((await api.call('GET', '/api/reports?from=2020-01-01&to=2026-11-25')).status).toBe(400);
    expect((await api.call('GET', `/api/reports?scope=team&${DAY}`)).status).toBe(400);
  });
});

describe('who may see which figures (Teams mode, real SSO tokens)', () => {
  const TENANT = '72f988bf-0000-4000-8000-000000000001';
  const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
  const LEAD = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const AGENT = 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  let entra: FakeEntra;
  beforeAll(async () => {
    entra = await FakeEntra.start();
  });
  afterAll(() => entra.stop());

  const token = (objectId: string, claims: JWTPayload = {}) =>
    entra.sign({
      ...teamsSsoClaims({
        tenantId: TENANT,
        clientId: CLIENT_ID,
        host: 'calls.contoso.com',
        objectId,
        name: objectId === LEAD ? 'Lea Lead' : 'Alex Agent',
        now: Math.floor(clock.now().getTime() / 1000),
      }),
      ...claims,
    });

  async function get(path: string, objectId: string) {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${await token(objectId)}` },
    });
    return response.status;
  }

  it('agents see their own, members their team, and only the reports group the organisation', async () => {
    clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
    server = await startTestServer({
      env: {
        PUBLIC_BASE_URL: 'https://calls.contoso.com',
        AAD_APP_CLIENT_ID: CLIENT_ID,
        AAD_APP_TENANT_ID: TENANT,
        AAD_APP_CLIENT_SECRET: 'test-secret',
        ENTRA_AUTHORITY_HOST: entra.url,
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
            now: () => clock.now(),
          }),
          meetings: new BrowserMeetingProvider(new CryptoRandomSource()),
          teams: { isMember: (_agent, team) => Promise.resolve(team === 'team-a') },
          reportsGroup: { isMember: (agent) => Promise.resolve(agent === LEAD) },
        },
      },
    });
    expect(await get(`/api/reports?${DAY}`, AGENT)).toBe(200);
    expect(await get(`/api/reports?scope=agent&agentId=${AGENT}&${DAY}`, AGENT)).toBe(200);
    expect(await get(`/api/reports?scope=agent&agentId=${LEAD}&${DAY}`, AGENT)).toBe(403);
    expect(await get(`/api/reports?scope=team&teamId=team-a&${DAY}`, AGENT)).toBe(200);
    expect(await get(`/api/reports?scope=team&teamId=team-b&${DAY}`, AGENT)).toBe(403);
    expect(await get(`/api/reports.csv?scope=team&teamId=team-b&${DAY}`, AGENT)).toBe(403);
    expect(await get(`/api/reports?scope=org&${DAY}`, AGENT)).toBe(403);
    expect(await get(`/api/reports.csv?scope=org&${DAY}`, AGENT)).toBe(403);
    expect(await get(`/api/reports?scope=org&${DAY}`, LEAD)).toBe(200);
    expect(await get(`/api/reports.csv?scope=org&${DAY}`, LEAD)).toBe(200);
    expect((await fetch(`${server.url}/api/reports?${DAY}`)).status).toBe(401);
  });
});

describe('GET /api/reports.csv', () => {
  it('streams RFC 4180 with a BOM, neutralised formulas and German characters', async () => {
    await startWith();
    await seedDay();
    const response = await fetch(`${server.url}/api/reports.csv?${DAY}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'call_id,created,title,team,agent,outcome,opened,arrived,admitted,admitted_by,time_to_admit_s,ended,call_length_s',
    );
    expect(lines).toHaveLength(5); // header, three calls, and the empty string after the last CRLF
    expect(lines[4]).toBe('');
    expect(lines[1]).toContain(
      ',"Grüße, ""Team""",Support Süd,Local agent,ended,2026-11-25 10:00,',
    );
    expect(lines[1]).toContain(',42,');
    expect(lines[1]).toMatch(/,300$/);
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(lines[3]).toContain(",'@SUM(A1),");
    expect(lines[3]).toContain(',scheduled,2026-11-25 10:05,');
    expect(text).not.toContain('Jürgen');
  });
});

describe('GET /api/calls/:id/history', () => {
  it('tells what happened, when and by whom; the customer is only ever "customer"', async () => {
    await startWith();
    const { team, personal } = await seedDay();
    const history = await api.call('GET', `/api/calls/${team.id}/history`);
    expect(history.status).toBe(200);
    const entries = history.json['entries'] as { type: string; by: string; at: string }[];
    expect(entries.map((e) => [e.type, e.by])).toEqual([
      ['created', 'Local agent'],
      ['claimed', 'customer'],
      ['admitted', 'Local agent'],
      ['ended', 'Local agent'],
    ]);
    expect(entries[2]!.at).toBe('2026-11-25T09:00:42.000Z');
    expect(history.text).not.toContain('Jürgen');
    const revoked = await api.call('GET', `/api/calls/${personal.id}/history`);
    expect((revoked.json['entries'] as { type: string }[]).map((e) => e.type)).toEqual([
      'created',
      'revoked',
    ]);
    const unknown = await api.call(
      'GET',
      '/api/calls/00000000-0000-4000-8000-000000000000/history',
    );
    expect(unknown.status).toBe(404);
  });

  it('says "system: expired" for a link nobody used, and keeps figures after names are purged', async () => {
    await startWith();
    const unused = await api.create({ title: 'No-show' });
    await seedDay();
    clock.advance(6 * 3600);
    await server.sweep();
    const history = await api.call('GET', `/api/calls/${unused.id}/history`);
    expect((history.json['entries'] as { by: string }[]).map((e) => e.by)).toEqual([
      'Local agent',
      'system: expired',
    ]);
    clock.advance(2 * 86_400);
    await server.rollUpReports();
    const before = await api.call('GET', `/api/reports?${DAY}`);
    expect(before.json['totals']).toMatchObject({ created: 4, expired: 2, openedNotClaimed: 1 });
    expect(await server.deps.store.purge('2030-01-01T00:00:00.000Z')).toBe(4);
    const after = await api.call('GET', `/api/reports?${DAY}`);
    expect(after.json).toEqual(before.json);
  });
});
