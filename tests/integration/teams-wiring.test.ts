import { FakeEntra, teamsSsoClaims } from '../fakes/fake-entra';
import { FakeGraph } from '../fakes/fake-graph';
import { MsalTokenSource } from '../../bot/src/adapters/graph/msal-token-source';
import { startTestServer, type TestServer } from './harness';

// Teams mode as an operator turns it on: only environment variables, no injected adapters. Proves
// that bot/src/main.ts wires Entra SSO, Graph meetings and the team directory from the config.
const TENANT = '72f988bf-0000-4000-8000-000000000002';
const CLIENT_ID = '11111111-2222-4333-8444-666666666666';
const AGENT = 'aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff';

let entra: FakeEntra;
let graph: FakeGraph;
let server: TestServer;

beforeAll(async () => {
  [entra, graph] = await Promise.all([FakeEntra.start(), FakeGraph.start()]);
  server = await startTestServer({
    env: {
      PUBLIC_BASE_URL: 'https://calls.contoso.com',
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_APP_CLIENT_SECRET: 'test-secret',
      ENTRA_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.url,
    },
    // The one injected part: MSAL needs the https fake Entra and must trust its test CA, which an
    // in-process test cannot do through NODE_EXTRA_CA_CERTS. Everything else is built from the env.
    overrides: {
      graphTokens: new MsalTokenSource({
        clientId: CLIENT_ID,
        clientSecret: 'test-secret',
        tenantId: TENANT,
        authorityHost: entra.httpsUrl,
        ca: entra.ca,
      }),
    },
  });
});
afterAll(async () => {
  await server.close();
  await Promise.all([entra.stop(), graph.stop()]);
});

const token = () =>
  entra.sign(
    teamsSsoClaims({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      host: 'calls.contoso.com',
      objectId: AGENT,
      name: 'Alex Agent',
      now: Math.floor(Date.now() / 1000),
    }),
  );

describe('Teams mode from the environment alone', () => {
  it('refuses the loopback agent: in Teams mode only SSO tokens count', async () => {
    const res = await fetch(`${server.url}/api/calls`);
    expect(res.status).toBe(401);
  });

  it('creates the Teams meeting through Graph for an agent with a valid SSO token', async () => {
    const res = await fetch(`${server.url}/api/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Boiler check' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      call: { meetingProvider: string; agent: { id: string } };
      link: string;
    };
    expect(body.call).toMatchObject({
      meetingProvider: 'teams',
      agent: { id: AGENT, name: 'Alex Agent' },
    });
    expect(body.link).toMatch(/^https:\/\/calls\.contoso\.com\/j\//);
    expect(graph.calls().some((c) => c.method === 'POST' && /\/events$/.test(c.path))).toBe(true);
    expect(JSON.stringify(body)).not.toContain('meetup-join');
  });
});
