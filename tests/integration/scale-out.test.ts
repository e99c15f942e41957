import type { CallDto } from '@shared';
import {
  TEST_DATABASE_URL,
  aSchemaName,
  describePostgres,
  dropSchema,
} from '../contract/postgres-test-db';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';
import { SseClient } from './sse-client';

// Two instances behind a load balancer share one PostgreSQL: a customer may claim on one, the
// agent's tab may listen on the other, and both may race for the same link.
describePostgres('two instances sharing PostgreSQL', () => {
  let schema: string;
  let a: TestServer;
  let b: TestServer;
  const streams: SseClient[] = [];

  // Configured as an operator would: one database, one schema, nothing injected.
  const instance = () =>
    startTestServer({
      env: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
      overrides: { notifier: false },
    });

  beforeAll(async () => {
    schema = aSchemaName();
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await a.close();
    await b.close();
    await dropSchema(schema);
  });

  it('tells the tab on one instance about a customer who claimed on the other', async () => {
    const events = await SseClient.open(`${b.url}/api/events`);
    streams.push(events);
    await events.next('ready');
    const { id, path } = await new AgentApi(a.url).create();
    expect((await new Browser(a.url).postForm(path, { name: 'Anna' })).status).toBe(303);
    const seen = await events.next<{ call: CallDto }>(
      'call',
      (d) => d.call.id === id && d.call.state === 'waiting',
    );
    expect(seen.call.customerName).toBe('Anna');
  });

  it('lets exactly one of fifty browsers claim, spread over both instances', async () => {
    const { id, path } = await new AgentApi(a.url).create();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new Browser(i % 2 ? a.url : b.url).postForm(path, { name: `C${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    expect((await a.deps.store.events(id)).filter((e) => e.type === 'claimed')).toHaveLength(1);
  });

  it('lets exactly one of two agents on different instances admit', async () => {
    const { id, path } = await new AgentApi(a.url).create();
    await new Browser(b.url).postForm(path, { name: 'Anna' });
    const [x, y] = await Promise.all([
      new AgentApi(a.url).call('POST', `/api/calls/${id}/admit`),
      new AgentApi(b.url).call('POST', `/api/calls/${id}/admit`),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
  });
});
