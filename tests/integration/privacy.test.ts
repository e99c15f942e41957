import { createLogger } from '../../bot/src/logger';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

const lines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    overrides: { logger: createLogger('debug', (_level, line) => lines.push(line)) },
  });
});
afterAll(async () => {
  await server.close();
});

describe('personal data stays out of logs and the event log', () => {
  it('never writes the customer name, the link code or the claim token', async () => {
    const api = new AgentApi(server.url);
    const name = 'Zebulon Quixotic-Pennyfeather';
    const { id, path, code } = await api.create();
    const customer = new Browser(server.url);
    const join = await customer.postForm(path, { name });
    const token = (join.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!;
    await customer.get(`${path}/lobby`);
    await api.call('POST', `/api/calls/${id}/message`, { text: 'One moment' });
    await api.call('POST', `/api/calls/${id}/admit`);
    await api.call('POST', `/api/calls/${id}/admit`);
    await customer.postForm(`${path}/leave`, {});
    await new Browser(server.url).postForm(path, { name: `${name}\u0000` });
    await new Browser(server.url).get('/j/AAAAAAAAAAAAAAAAAAAAAQ');
    const broken = await fetch(`${server.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'request-id': 'trace-0000001' },
      body: '{broken',
    });
    // The caller's request id is echoed and scopes the line that explains the refusal.
    expect(broken.headers.get('request-id')).toBe('trace-0000001');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ requestId: 'trace-0000001', message: 'request refused' }),
    );
    expect((await fetch(`${server.url}/healthz`)).headers.get('request-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );

    const events = JSON.stringify(await server.deps.store.events(id));
    // Request ids, call ids, stacks and causes are logged now: none of them carries these.
    for (const secret of [name, 'Quixotic', code, token]) {
      expect(lines.join('\n')).not.toContain(secret);
      expect(events).not.toContain(secret);
    }
    // The name is kept where the agent needs it: on the call itself.
    expect((await server.deps.store.get(id))?.customerName).toBe(name);
  });
});
