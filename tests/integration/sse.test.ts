import type { CallDto, CustomerStatus } from '@shared';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';
import { SseClient } from './sse-client';

let server: TestServer;
let api: AgentApi;
const open: SseClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
  api = new AgentApi(server.url);
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await server.close();
});

const stream = async (url: string, headers?: Record<string, string>) => {
  const client = await SseClient.open(url, headers);
  open.push(client);
  return client;
};

describe('live updates', () => {
  it('streams every change of the agent calls to the tab', async () => {
    const events = await stream(`${server.url}/api/events`);
    expect(events.status).toBe(200);
    await events.next('ready');
    const { id, path } = await api.create();
    await events.next<{ call: CallDto }>(
      'call',
      (d) => d.call.id === id && d.call.state === 'scheduled',
    );
    await new Browser(server.url).postForm(path, { name: 'Anna' });
    const waiting = await events.next<{ call: CallDto }>('call', (d) => d.call.state === 'waiting');
    expect(waiting.call).toMatchObject({ id, customerName: 'Anna' });
    expect(JSON.stringify(waiting)).not.toMatch(/codeHash|claimToken|joinUrl/);
    await api.call('POST', `/api/calls/${id}/admit`);
    await events.next<{ call: CallDto }>('call', (d) => d.call.state === 'admitted');
  });

  it('streams the customer status to the claiming browser only', async () => {
    const { id, path } = await api.create();
    const customer = new Browser(server.url);
    const join = await customer.postForm(path, { name: 'Anna' });
    const cookie = (join.headers.get('set-cookie') ?? '').split(';')[0]!;
    const status = await stream(`${server.url}${path}/status`, { cookie });
    expect(status.status).toBe(200);
    expect(await status.next<CustomerStatus>('status')).toMatchObject({ state: 'waiting' });
    await api.call('POST', `/api/calls/${id}/message`, { text: 'Two minutes, please' });
    expect(await status.next<CustomerStatus>('status')).toMatchObject({
      lobbyMessage: { text: 'Two minutes, please' },
    });
    await api.call('POST', `/api/calls/${id}/admit`);
    const admitted = await status.next<CustomerStatus>('status', (s) => s.state === 'admitted');
    expect(admitted.next).toMatch(/\/call$/);

    const stranger = await fetch(`${server.url}${path}/status`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(stranger.status).toBe(409);
    await stranger.body?.cancel();
  });

  it('ends open streams on shutdown instead of hanging', async () => {
    await stream(`${server.url}/api/events`);
    await server.close();
    server = await startTestServer();
  });
});
