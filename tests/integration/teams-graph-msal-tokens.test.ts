import { AppError } from '@shared';
import { GraphClient, claimsChallenge } from '../../bot/src/adapters/graph/graph-client';
import { MsalTokenSource } from '../../bot/src/adapters/graph/msal-token-source';
import { FakeEntra } from '../fakes/fake-entra';
import { FakeGraph } from '../fakes/fake-graph';

// Graph tokens through @azure/msal-node against the https fake Entra (a certificate from a test CA made
// at test time). MSAL gets the authority's metadata from the configured host, so a passing test also
// shows it made no instance-discovery call to the internet.
const TENANT = '72f988bf-0000-4000-8000-000000000009';
const CLIENT_ID = '11111111-2222-4333-8444-999999999999';
const TEAM = 'team-msal';
const MEMBERS = `/teams/${TEAM}/members`;

let entra: FakeEntra;
let graph: FakeGraph;
beforeAll(async () => {
  [entra, graph] = await Promise.all([FakeEntra.start(), FakeGraph.start()]);
  graph.teams.set(TEAM, ['aaaaaaaa-bbbb-4ccc-8ddd-000000000001']);
});
afterAll(() => Promise.all([entra.stop(), graph.stop()]));
beforeEach(() => {
  graph.requests.length = 0;
  entra.tokenRequests.length = 0;
});

const source = (overrides: Partial<ConstructorParameters<typeof MsalTokenSource>[0]> = {}) =>
  new MsalTokenSource({
    clientId: CLIENT_ID,
    clientSecret: 'test-secret',
    tenantId: TENANT,
    authorityHost: entra.httpsUrl,
    ca: entra.ca,
    ...overrides,
  });

const assertionFor = (oid: string) =>
  entra.sign({
    oid,
    tid: TENANT,
    aud: CLIENT_ID,
    scp: 'access_as_user',
    exp: Math.floor(Date.now() / 1000) + 3600,
  });

const failure = (error: unknown) => {
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('Graph tokens from MSAL', () => {
  it('gets the app token by client credentials once, then from its cache', async () => {
    const tokens = source();
    const first = await tokens.getToken({});
    const second = await tokens.getToken({});

    expect(first).toMatch(/^fake-app-token-\d+$/);
    expect(second).toBe(first);
    expect(entra.tokenRequests).toHaveLength(1);
    expect(entra.tokenRequests[0]).toMatchObject({
      tenant: TENANT,
      form: {
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: 'test-secret',
        scope: 'https://graph.microsoft.com/.default',
      },
    });
  });

  it("exchanges the tab's SSO token on behalf of the agent, cached per agent", async () => {
    const tokens = source();
    const alex = await assertionFor('aaaaaaaa-bbbb-4ccc-8ddd-000000000001');
    const kim = await assertionFor('aaaaaaaa-bbbb-4ccc-8ddd-000000000002');

    const alexToken = await tokens.getToken({ userAssertion: alex });
    expect(await tokens.getToken({ userAssertion: alex })).toBe(alexToken);
    const kimToken = await tokens.getToken({ userAssertion: kim });

    expect(alexToken).toMatch(/^fake-obo-token-\d+$/);
    expect(kimToken).not.toBe(alexToken);
    expect(entra.tokenRequests.map((r) => r.form['assertion'])).toEqual([alex, kim]);
    expect(entra.tokenRequests[0]?.form).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: CLIENT_ID,
    });
  });

  it('starts the on-behalf-of cache afresh after maxUserTokens, keeping the app token', async () => {
    const tokens = source({ maxUserTokens: 2 });
    const [a, b, c] = await Promise.all(
      ['01', '02', '03'].map((n) => assertionFor(`aaaaaaaa-bbbb-4ccc-8ddd-0000000001${n}`)),
    );
    await tokens.getToken({});
    await tokens.getToken({ userAssertion: a });
    await tokens.getToken({ userAssertion: a });
    await tokens.getToken({ userAssertion: b }); // the second fetched: the OBO cache starts afresh
    await tokens.getToken({ userAssertion: c });
    await tokens.getToken({ userAssertion: a }); // gone with the old cache: fetched again
    await tokens.getToken({});

    expect(entra.tokenRequests.map((r) => r.form['assertion'] ?? 'app')).toEqual([
      'app',
      a,
      b,
      c,
      a,
    ]);
  });

  it('answers a Graph claims challenge with one fresh token carrying the claims', async () => {
    const client = new GraphClient({ tokens: source(), baseUrl: graph.url, maxRetries: 0 });
    const challenge = '{"access_token":{"nbf":{"essential":true,"value":"1764495000"}}}';
    graph.script({
      method: 'GET',
      path: new RegExp(`^${MEMBERS}$`),
      status: 401,
      body: {
        error: { code: 'InvalidAuthenticationToken', message: 'Continuous access evaluation' },
      },
      headers: {
        'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(challenge).toString('base64')}"`,
      },
    });

    const members = (await client.send({
      method: 'GET',
      path: MEMBERS,
      as: {},
      what: 'list the team',
    })) as { value: unknown[] };

    expect(members.value).toHaveLength(1);
    expect(entra.tokenRequests).toHaveLength(2);
    const claims = JSON.parse(entra.tokenRequests[1]?.form['claims'] ?? '{}') as {
      access_token?: Record<string, unknown>;
    };
    // MSAL merges the challenge with the app's client capability (CP1).
    expect(claims.access_token).toMatchObject({
      nbf: { essential: true, value: '1764495000' },
      xms_cc: { values: ['CP1'] },
    });
    const auth = graph.requests.map((r) => r.headers['authorization']);
    expect(auth).toHaveLength(2);
    expect(auth[1]).not.toBe(auth[0]);
  });

  it('retries a claims challenge only once', async () => {
    const client = new GraphClient({ tokens: source(), baseUrl: graph.url, maxRetries: 0 });
    const claims = Buffer.from('{"access_token":{"nbf":{"essential":true}}}').toString('base64');
    graph.script({
      method: 'GET',
      path: new RegExp(`^${MEMBERS}$`),
      status: 401,
      headers: { 'www-authenticate': `Bearer error="insufficient_claims", claims="${claims}"` },
      times: 2,
    });

    const error = failure(
      await client
        .send({ method: 'GET', path: MEMBERS, as: {}, what: 'list the team' })
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe('upstream-unavailable');
    expect(graph.requests).toHaveLength(2);
    expect(entra.tokenRequests).toHaveLength(2);
  });

  it('decodes the base64 claims of the challenge header and ignores one without claims', () => {
    const json = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    expect(claimsChallenge(`Bearer claims="${Buffer.from(json).toString('base64')}"`)).toBe(json);
    expect(claimsChallenge('Bearer error="invalid_token"')).toBeUndefined();
    expect(claimsChallenge(null)).toBeUndefined();
  });

  it('turns refused app credentials into forbidden, with the Entra error as cause', async () => {
    entra.failNextToken({
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret' },
    });
    const error = failure(
      await source()
        .getToken({})
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/AAD_APP_CLIENT_SECRET/);
    expect(String((error.cause as Error).message)).toMatch(/AADSTS7000215/);
  });

  it('turns a missing consent for on-behalf-of into forbidden', async () => {
    entra.failNextToken({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'AADSTS65001: not consented' },
    });
    const error = failure(
      await source()
        .getToken({ userAssertion: await assertionFor('aaaaaaaa-bbbb-4ccc-8ddd-000000000003') })
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/consent/);
    expect(error.cause).toBeDefined();
  });

  it('turns an Entra outage into upstream-unavailable', async () => {
    for (let i = 0; i < 3; i += 1)
      entra.failNextToken({ status: 503, body: { error: 'temporarily_unavailable' } });
    const error = failure(
      await source()
        .getToken({})
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe('upstream-unavailable');
    expect(error.cause).toBeDefined();
  });

  it('refuses a server its CA does not vouch for (TLS is really checked)', async () => {
    const error = failure(
      await source({ ca: undefined })
        .getToken({})
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe('upstream-unavailable');
    expect(error.cause).toBeDefined();
    expect(entra.tokenRequests).toHaveLength(0);
  });

  it('refuses a plain-http authority at start-up', () => {
    expect(() => source({ authorityHost: entra.url })).toThrow(/https/);
  });
});
