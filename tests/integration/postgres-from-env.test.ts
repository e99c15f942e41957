import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_DATABASE_URL, describePostgres } from '../contract/postgres-test-db';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

// Scale-out as an operator configures it: DATABASE_URL only, nothing injected. Calls, the event
// bus and the bot's stores (on the calls' pool) all live in that database.
describePostgres('a server configured with DATABASE_URL alone', () => {
  const database = `otc_env_${randomBytes(5).toString('hex')}`;
  const admin = () => new Client({ connectionString: TEST_DATABASE_URL });
  let server: TestServer;

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    server = await startTestServer({
      env: { DATABASE_URL: url.toString() },
      overrides: { notifier: false },
    });
  });
  afterAll(async () => {
    await server?.close();
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
    // Closing the pool and LISTEN client, then dropping a database, is slow on a loaded 2-core box.
  }, 30_000);

  it('runs the flow and the bot on PostgreSQL', async () => {
    expect(server.config.storage.kind).toBe('postgres');
    const api = new AgentApi(server.url);
    const { id, path } = await api.create();
    expect((await new Browser(server.url).postForm(path, { name: 'Anna' })).status).toBe(303);
    let failures: Array<{ callId: string; reason: string }> = [];
    for (let round = 0; round < 10 && !failures.some((f) => f.callId === id); round++) {
      await server.bot.flush();
      const me = await api.call('GET', '/api/me');
      failures = me.json['deliveryFailures'] as typeof failures;
    }
    // The bot's outbox and conversation stores work on PostgreSQL: nobody opened the bot chat.
    expect(failures.find((f) => f.callId === id)).toMatchObject({ reason: 'no-conversation' });
    expect((await api.call('POST', `/api/calls/${id}/admit`)).status).toBe(200);
    expect(await api.state(id)).toBe('admitted');

    // Stored in that database, not somewhere else.
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    const row = await db.query<{ state: string }>('SELECT state FROM calls WHERE id = $1', [id]);
    await db.end();
    expect(row.rows).toEqual([{ state: 'admitted' }]);
  });
});
