import { FakeBotConnector, cardOf } from '../fakes/fake-bot-connector';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

// The whole server (npm start's composition root, embedded mode) with the bot's proactive
// requests going to the serviceUrl the "Teams client" gave: a loopback fake Bot Connector.

let server: TestServer;
let connector: FakeBotConnector;

beforeEach(async () => {
  connector = await new FakeBotConnector().start();
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
  await connector.stop();
});

const fromTeams = (extra: Record<string, unknown>) => ({
  channelId: 'msteams',
  serviceUrl: connector.url,
  locale: 'en-US',
  from: { id: '29:user', name: 'Alex Wilber', aadObjectId: 'playground-user' },
  recipient: { id: '28:bot', name: 'One-Time Call' },
  conversation: { id: 'personal-chat-1', conversationType: 'personal', tenantId: 'tenant-1' },
  ...extra,
});

const post = (body: unknown) =>
  fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

it('install → botReachable; a customer joins → one card; Admit on the card → the customer is admitted and the card changes', async () => {
  const api = new AgentApi(server.url);
  expect((await api.call('GET', '/api/me')).json).toMatchObject({ botReachable: false });
  expect(
    (await post(fromTeams({ type: 'installationUpdate', action: 'add' }))).status,
  ).toBeLessThan(300);
  expect((await api.call('GET', '/api/me')).json).toMatchObject({ botReachable: true });

  const { id, path } = await api.create({ title: 'Router setup' });
  const customer = new Browser(server.url);
  expect((await customer.postForm(path, { name: 'Anna Schmidt' })).status).toBe(303);

  const cards = () =>
    connector.posted.filter((r) => JSON.stringify(r.body).includes('Anna Schmidt'));
  await connector.waitFor(() => cards().length === 1);
  const [card] = cards();
  expect(card).toMatchObject({ conversationId: 'personal-chat-1' });
  expect(JSON.stringify(cardOf(card!))).toContain(id);

  const res = await post(
    fromTeams({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'admit', data: { callId: id } },
        trigger: 'manual',
      },
    }),
  );
  expect(res.status).toBe(200);
  expect(JSON.stringify(await res.json())).toContain('Admitted by');

  const status = await customer.get(`${path}/status`, { accept: 'application/json' });
  expect(((await status.json()) as { state: string }).state).toBe('admitted');
  await connector.waitFor(() => connector.updated.length >= 1);
  expect(connector.updated[0]).toMatchObject({ activityId: card!.answeredId });
  expect(cards()).toHaveLength(1);
});
