import { SignJWT, type JWTPayload } from 'jose';
import { AppError, asAadObjectId } from '@shared';
import {
  EntraAgentAuthenticator,
  type EntraAgentAuthenticatorOptions,
  type GroupMembership,
} from '../../bot/src/http/auth/entra-agent-authenticator';
import { FakeEntra, unsignedToken } from '../fakes/fake-entra';

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const OTHER_TENANT = '0c2a1b3d-0000-4000-8000-000000000002';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const APP_ID_URI = `api://calls.contoso.com/${CLIENT_ID}`;
const OID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const NOW = new Date('2026-03-02T10:00:00Z');
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

let entra: FakeEntra;
beforeAll(async () => {
  entra = await FakeEntra.start();
});
afterAll(() => entra.stop());

const authenticator = (options: Partial<EntraAgentAuthenticatorOptions> = {}) =>
  new EntraAgentAuthenticator({
    clientId: CLIENT_ID,
    appIdUri: APP_ID_URI,
    allowedTenantIds: [],
    homeTenantId: TENANT,
    authorityHost: entra.url,
    jwksCooldownMs: 0,
    now: () => NOW,
    ...options,
  });

/** A v1 Teams SSO token as `authentication.getAuthToken()` returns it. */
const ssoClaims = (overrides: JWTPayload = {}): JWTPayload => ({
  aud: APP_ID_URI,
  iss: `https://sts.windows.net/${TENANT}/`,
  iat: epoch(NOW) - 60,
  nbf: epoch(NOW) - 60,
  exp: epoch(NOW) + 3600,
  oid: OID,
  tid: TENANT,
  name: 'Alex Agent',
  preferred_username: 'alex@contoso.com',
  scp: 'access_as_user',
  ver: '1.0',
  ...overrides,
});

const request = (token: string | undefined) => ({
  headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  remoteAddress: '203.0.113.7',
});

async function refusal(
  auth: EntraAgentAuthenticator,
  token: string | undefined,
): Promise<AppError> {
  const error: unknown = await auth.authenticate(request(token)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('EntraAgentAuthenticator against a loopback Entra JWKS', () => {
  it('accepts a valid v1 SSO token and returns the agent with the token as user assertion', async () => {
    const token = await entra.sign(ssoClaims());
    const principal = await authenticator().authenticate(request(token));
    expect(principal).toEqual({
      id: OID,
      name: 'Alex Agent',
      tenantId: TENANT,
      userAssertion: token,
    });
  });

  it('accepts a v2 token whose audience is the client id', async () => {
    const token = await entra.sign(
      ssoClaims({
        aud: CLIENT_ID,
        iss: `${entra.url}/${TENANT}/v2.0`,
        ver: '2.0',
        name: undefined,
      }),
    );
    const principal = await authenticator().authenticate(request(token));
    expect(principal.name).toBe('alex@contoso.com');
  });

  it('refuses a request without a bearer token', async () => {
    const error = await refusal(authenticator(), undefined);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/No bearer token/);
  });

  it('refuses a token for another audience', async () => {
    const token = await entra.sign(ssoClaims({ aud: 'api://evil.example.com/other' }));
    const error = await refusal(authenticator(), token);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/another audience/);
  });

  it('refuses a token from a tenant outside the allow-list with forbidden', async () => {
    const token = await entra.sign(
      ssoClaims({ tid: OTHER_TENANT, iss: `https://sts.windows.net/${OTHER_TENANT}/` }),
    );
    const error = await refusal(authenticator(), token);
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/Tenant .* is not allowed/);
  });

  it('accepts another tenant once it is on the allow-list', async () => {
    const token = await entra.sign(
      ssoClaims({ tid: OTHER_TENANT, iss: `https://sts.windows.net/${OTHER_TENANT}/` }),
    );
    const principal = await authenticator({
      allowedTenantIds: [TENANT, OTHER_TENANT],
    }).authenticate(request(token));
    expect(principal.tenantId).toBe(OTHER_TENANT);
  });

  it('refuses an issuer that does not match the tenant claim', async () => {
    const token = await entra.sign(ssoClaims({ iss: `https://sts.windows.net/${OTHER_TENANT}/` }));
    const error = await refusal(authenticator(), token);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/Issuer/);
  });

  it('refuses a token without exp: it would never expire', async () => {
    const token = await entra.sign(ssoClaims({ exp: undefined }));
    const error = await refusal(authenticator(), token);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/exp/);
  });

  it('refuses an expired token, but tolerates a small clock skew', async () => {
    const expired = await entra.sign(ssoClaims({ exp: epoch(NOW) - 600 }));
    const error = await refusal(authenticator(), expired);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/expired/);

    const justExpired = await entra.sign(ssoClaims({ exp: epoch(NOW) - 30 }));
    await expect(authenticator().authenticate(request(justExpired))).resolves.toMatchObject({
      id: OID,
    });
  });

  it('refuses a token whose signature does not match the key', async () => {
    const token = await entra.sign(ssoClaims());
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(ssoClaims({ oid: 'someone-else' }))).toString('base64url')}.${signature}`;
    const error = await refusal(authenticator(), forged);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/signature is invalid/);
  });

  it('refetches the JWKS for an unknown kid: a rotated key is accepted, a never-published one refused', async () => {
    const auth = authenticator();
    await auth.authenticate(request(await entra.sign(ssoClaims())));
    const fetchesBefore = entra.jwksFetches.entra;

    const rotated = await FakeEntra.makeKey('key-rotated');
    entra.publish(rotated);
    await expect(
      auth.authenticate(request(await entra.sign(ssoClaims(), rotated))),
    ).resolves.toMatchObject({
      id: OID,
    });
    expect(entra.jwksFetches.entra).toBe(fetchesBefore + 1);

    const rogue = await FakeEntra.makeKey('key-never-published');
    const error = await refusal(auth, await entra.sign(ssoClaims(), rogue));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/unknown key/);
    expect(entra.jwksFetches.entra).toBe(fetchesBefore + 2);
  });

  it('refuses alg none', async () => {
    const error = await refusal(authenticator(), unsignedToken(ssoClaims()));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/algorithm none/);
  });

  it('refuses HS256 even when keyed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(entra.currentKey.jwk));
    const token = await new SignJWT(ssoClaims())
      .setProtectedHeader({ alg: 'HS256', kid: entra.currentKey.kid })
      .sign(secret);
    const error = await refusal(authenticator(), token);
    expect(error.message).toMatch(/algorithm HS256/);
  });

  it('refuses an app-only token (no delegated scope)', async () => {
    const token = await entra.sign(ssoClaims({ scp: undefined, roles: ['Calls.Create'] }));
    const error = await refusal(authenticator(), token);
    expect(error.message).toMatch(/delegated scope access_as_user/);
  });
});

describe('EntraAgentAuthenticator creator group', () => {
  const GROUP = '99999999-8888-4777-8666-555555555555';
  const principalFor = async (claims: JWTPayload) =>
    authenticator({ creatorGroupId: GROUP }).authenticate(
      request(await entra.sign(ssoClaims(claims))),
    );

  it('lets everyone create when no group is configured', async () => {
    const principal = await authenticator().authenticate(request(await entra.sign(ssoClaims())));
    await expect(authenticator().mayCreate(principal)).resolves.toBe(true);
  });

  it('reads the groups claim', async () => {
    const auth = authenticator({ creatorGroupId: GROUP });
    await expect(auth.mayCreate(await principalFor({ groups: ['x', GROUP] }))).resolves.toBe(true);
    await expect(auth.mayCreate(await principalFor({ groups: ['x'] }))).resolves.toBe(false);
  });

  it('says clearly that the group overage claim needs Graph when no checker is configured', async () => {
    const overage = await principalFor({
      _claim_names: { groups: 'src1' },
      _claim_sources: {
        src1: { endpoint: 'https://graph.windows.net/x/users/y/getMemberObjects' },
      },
    });
    const error: unknown = await authenticator({ creatorGroupId: GROUP })
      .mayCreate(overage)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('forbidden');
    expect((error as AppError).message).toMatch(/group overage/);
  });

  it('asks Graph through the membership checker on group overage', async () => {
    const asked: string[] = [];
    const membership: GroupMembership = {
      isMemberOf: (user, group) => {
        asked.push(`${user}:${group}`);
        return Promise.resolve(true);
      },
    };
    const overage = await principalFor({ hasgroups: true });
    await expect(
      authenticator({ creatorGroupId: GROUP, groupMembership: membership }).mayCreate(overage),
    ).resolves.toBe(true);
    expect(asked).toEqual([`${asAadObjectId(OID)}:${GROUP}`]);
  });
});
