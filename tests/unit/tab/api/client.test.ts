/**
 * @jest-environment node
 */
import { ApiError, createApiClient } from '../../../../tab/src/api';
import { aCall } from '../builders';

type Seen = { url: string; init: RequestInit | undefined };

function clientAnswering(status: number, body: unknown, token?: string) {
  const seen: Seen[] = [];
  const client = createApiClient({
    baseUrl: '',
    getToken: () => Promise.resolve(token),
    fetch: ((url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    }) as typeof fetch,
  });
  return { client, seen };
}

describe('api client', () => {
  it('sends the Teams token as a bearer token and parses the list', async () => {
    const { client, seen } = clientAnswering(200, { calls: [aCall({ id: 'c1' })] }, 'sso-token');

    const calls = await client.listCalls({ scope: 'team', teamId: 'T 1', status: 'all' });

    expect(calls.map((c) => c.id)).toEqual(['c1']);
    expect(seen[0]?.url).toBe('/api/calls?scope=team&status=all&teamId=T+1');
    expect(seen[0]?.init?.headers).toMatchObject({ Authorization: 'Bearer sso-token' });
  });

  it('sends no Authorization header in embedded mode', async () => {
    const { client, seen } = clientAnswering(200, { calls: [] });

    await client.listCalls({ scope: 'mine', status: 'all' });

    expect(seen[0]?.init?.headers).not.toHaveProperty('Authorization');
  });

  it('keeps the fields the server refused, and ignores a malformed list', async () => {
    const fields = [{ field: 'startsAt', reason: 'ends-in-past' }];
    const refused = clientAnswering(400, {
      error: { code: 'invalid-input', message: 'bad', details: { fields } },
    });
    const odd = clientAnswering(400, {
      error: { code: 'invalid-input', message: 'bad', details: { fields: 'startsAt' } },
    });

    await expect(refused.client.createCall({})).rejects.toMatchObject({ fields });
    await expect(odd.client.createCall({})).rejects.toMatchObject({ fields: [] });
  });

  it('turns an error body into a coded error with the current state', async () => {
    const { client } = clientAnswering(409, {
      error: { code: 'state-conflict', message: 'nope', details: { state: 'admitted' } },
    });

    await expect(client.act('c1', 'admit')).rejects.toMatchObject({
      code: 'state-conflict',
      status: 409,
      state: 'admitted',
    });
  });

  it('refuses a success body that breaks the contract', async () => {
    const { client } = clientAnswering(200, { call: { id: 3 } });

    await expect(client.getCall('c1')).rejects.toEqual(expect.any(ApiError));
    await expect(client.getCall('c1')).rejects.toMatchObject({ code: 'bad-response' });
  });

  it('reports a network failure as such', async () => {
    const client = createApiClient({
      baseUrl: '',
      getToken: () => Promise.resolve(undefined),
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });

    await expect(client.me()).rejects.toMatchObject({ code: 'network' });
  });
});

describe('api client in Teams', () => {
  it('reports a refused SSO token as unauthorized without calling the server', async () => {
    let calls = 0;
    const client = createApiClient({
      baseUrl: '',
      getToken: () => Promise.reject(new Error('consent required')),
      fetch: () => {
        calls += 1;
        return Promise.resolve(new Response('{}'));
      },
    });

    await expect(client.me()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(calls).toBe(0);
  });
});
