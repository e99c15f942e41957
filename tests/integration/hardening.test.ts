import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asAadObjectId } from '@shared';
import { describeStartupError } from '../../bot/src/startup-error';
import { RecordingLogger } from '../unit/bot/world';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';
import { openStream, rawRequest } from './raw-http';

// Issue 13: each attack that broke the server, replayed; each must now fail safely.

const snapshot = async (server: TestServer) => ({
  calls: (await server.deps.store.list({ limit: 500 })).map((c) => `${c.id}:${c.state}`),
  events: (await server.deps.store.eventsSince(0, 10_000)).length,
});

const activity = (server: TestServer, extra: Record<string, unknown>) =>
  JSON.stringify({
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    locale: 'en-US',
    from: { id: '29:user', name: 'Alex', aadObjectId: 'playground-user' },
    recipient: { id: '28:bot', name: 'One-Time Call' },
    conversation: { id: 'personal-chat-1', conversationType: 'personal', tenantId: 't' },
    id: `in-${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    ...extra,
  });

describe('1. one local-trust rule for everything embedded mode trusts', () => {
  let server: TestServer;
  let host: string;
  beforeAll(async () => {
    server = await startTestServer();
    host = `localhost:${server.port}`;
  });
  afterAll(() => server.close());

  const post = (p: string, body: string, headers: Record<string, string> = {}) =>
    rawRequest(server.url, 'POST', p, {
      body,
      headers: { host, 'content-type': 'application/json', ...headers },
    });

  it('refuses a DNS-rebinding Host on the bot endpoint: no link made, no card invoke', async () => {
    const before = await snapshot(server);
    const rebind = { host: `rebind.attacker.example:${server.port}` };
    const message = await post(
      '/api/messages',
      activity(server, { type: 'message', text: 'new Router setup' }),
      rebind,
    );
    expect(message.status).toBe(401);
    expect(message.json().error?.code).toBe('unauthorized');
    const invoke = await post(
      '/api/messages',
      activity(server, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'admit', data: {} } },
      }),
      rebind,
    );
    expect(invoke.status).toBe(401);
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a DNS-rebinding Host, a foreign Origin and a cross-site fetch on the agent API and its stream', async () => {
    const before = await snapshot(server);
    const attempts: Array<Record<string, string>> = [
      { host: `rebind.attacker.example:${server.port}` },
      { host, origin: 'http://rebind.attacker.example' },
      { host, 'sec-fetch-site': 'cross-site' },
      { host, via: '1.1 proxy' },
      { host, 'x-real-ip': '203.0.113.1' },
    ];
    for (const headers of attempts) {
      expect((await post('/api/calls', '{}', headers)).status).toBeGreaterThanOrEqual(401);
      const list = await rawRequest(server.url, 'GET', '/api/calls', { headers });
      expect([401, 403]).toContain(list.status);
      const stream = await openStream(server.url, '/api/events', headers);
      expect([401, 403]).toContain(stream.status);
      stream.close();
    }
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a foreign serviceUrl and never stores it; a loopback one is accepted', async () => {
    const agent = asAadObjectId('local-agent');
    const foreign = await post(
      '/api/messages',
      activity(server, {
        type: 'installationUpdate',
        action: 'add',
        serviceUrl: 'https://collector.attacker.example/',
      }),
    );
    expect(foreign.status).toBe(403);
    expect(await server.bot.isReachable(agent)).toBe(false);
    const local = await post(
      '/api/messages',
      activity(server, { type: 'installationUpdate', action: 'add' }),
    );
    expect(local.status).toBeLessThan(300);
    expect(await server.bot.isReachable(agent)).toBe(true);
  });

  it('answers {} or garbage posted to the bot endpoint with 400', async () => {
    for (const body of ['{}', '[]', '"x"', '{"type":"message"}', 'not json']) {
      const res = await post('/api/messages', body);
      expect(res.status).toBe(400);
      expect(res.json().error?.code).toBe('invalid-input');
    }
  });
});

describe('1. LOCAL_AGENT_TOKEN', () => {
  it('requires the bearer token on the agent API and the bot endpoint', async () => {
    const server = await startTestServer({ env: { LOCAL_AGENT_TOKEN: 'a-long-local-token' } });
    try {
      const api = new AgentApi(server.url);
      expect((await api.call('GET', '/api/calls')).status).toBe(401);
      const ok = await api.call('GET', '/api/calls', undefined, {
        authorization: 'Bearer a-long-local-token',
      });
      expect(ok.status).toBe(200);
      const bot = await api.call('POST', '/api/messages', { type: 'message' });
      expect(bot.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe('2–3. failed guesses: bounded, per /64, never blocking a valid link', () => {
  let server: TestServer;
  let api: AgentApi;
  beforeAll(async () => {
    server = await startTestServer({
      env: { TRUST_PROXY: '1' },
      overrides: { guessLimit: { limit: 5, windowMs: 10 * 60_000 } },
    });
    api = new AgentApi(server.url);
  });
  afterAll(() => server.close());

  const guess = (from: string, code = 'AAAAAAAAAAAAAAAAAAAAAA', accept = 'text/html') =>
    rawRequest(server.url, 'GET', `/j/${code}`, {
      headers: { 'x-forwarded-for': from, accept },
    });

  it('blocks a whole IPv6 /64, not one address of it, and shows the real wait', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++)
      statuses.push((await guess(`2001:db8:1:2::${i.toString(16)}`)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    const blocked = await guess('2001:db8:1:2:ffff:ffff:ffff:ffff');
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(9 * 60);
    expect(retryAfter).toBeLessThanOrEqual(10 * 60);
    expect(blocked.text).toContain('Please wait 10 minutes');
    const json = await guess('2001:db8:1:2::99', undefined, 'application/json');
    expect(json.status).toBe(429);
    expect(json.headers['retry-after']).toBeDefined();
    // The neighbouring /64 is another subscriber.
    expect((await guess('2001:db8:1:3::1')).status).toBe(404);
  });

  it('serves a valid, unclaimed link to an address that is blocked (carrier NAT)', async () => {
    const { code, id } = await api.create();
    for (let i = 0; i < 10; i++) await guess('198.51.100.20');
    expect((await guess('198.51.100.20')).status).toBe(429);
    const landing = await guess('198.51.100.20', code);
    expect(landing.status).toBe(200);
    const claim = await rawRequest(server.url, 'POST', `/j/${code}`, {
      body: 'name=Anna',
      headers: {
        'x-forwarded-for': '198.51.100.20',
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expect(claim.status).toBe(303);
    expect(await api.state(id)).toBe('waiting');
  });
});

describe('4. timeouts and caps wherever a client holds a resource', () => {
  it('closes a trickled body within the request timeout, and leaves event streams open', async () => {
    const server = await startTestServer({
      overrides: { limits: { server: { requestTimeoutMs: 300, headersTimeoutMs: 300 } } },
    });
    try {
      const { path: link } = await new AgentApi(server.url).create();
      const stream = await openStream(server.url, '/api/events', {
        host: `localhost:${server.port}`,
      });
      expect(stream.status).toBe(200);
      const socket = net.connect(server.port, '127.0.0.1');
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (answer += c));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        `POST ${link} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`,
      );
      // One byte at a time, far slower than the body could ever complete (1000 bytes).
      let sent = 0;
      const trickle = setInterval(() => {
        if (!socket.destroyed) socket.write('n');
        sent += 1;
      }, 50);
      await closed;
      clearInterval(trickle);
      expect(sent).toBeLessThan(1000);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      // The stream outlived several request timeouts: it is still open and receives changes.
      await new AgentApi(server.url).create({ title: 'After the timeout' });
      await new Promise((r) => setTimeout(r, 100));
      expect(stream.received()).toContain('After the timeout');
      stream.close();
    } finally {
      await server.close();
    }
  });

  it('answers 503 with Retry-After to connections past the cap from one address', async () => {
    const server = await startTestServer({
      overrides: { limits: { server: { maxConnectionsPerAddress: 3 } } },
    });
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = net.connect(server.port, '127.0.0.1');
        await new Promise((r) => s.once('connect', r));
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 50));
      const refused = await rawRequest(server.url, 'GET', '/healthz');
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
      for (const s of sockets.splice(0)) s.destroy();
      await new Promise((r) => setTimeout(r, 50));
      expect((await rawRequest(server.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });

  it('does not cap connections per peer behind a proxy (every peer is the proxy)', async () => {
    const server = await startTestServer({ env: { TRUST_PROXY: '1' } });
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 300; i++) {
        const s = net.connect(server.port, '127.0.0.1');
        await new Promise((r) => s.once('connect', r));
        sockets.push(s);
      }
      expect((await rawRequest(server.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });

  it('refuses the 500 streams of one claim past the cap, and frees them on close', async () => {
    const server = await startTestServer();
    try {
      const { path: link } = await new AgentApi(server.url).create();
      const claim = await rawRequest(server.url, 'POST', link, {
        body: 'name=Anna',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(claim.status).toBe(303);
      const cookie = (claim.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
      const open: Array<Awaited<ReturnType<typeof openStream>>> = [];
      const statuses: number[] = [];
      for (let i = 0; i < 500; i++) {
        const s = await openStream(server.url, `${link}/status`, { cookie });
        statuses.push(s.status);
        if (s.status === 200) open.push(s);
        else {
          expect(s.headers['retry-after']).toBeDefined();
          s.close();
        }
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(495);
      for (const s of open.splice(0)) s.close();
      await new Promise((r) => setTimeout(r, 100));
      const again = await openStream(server.url, `${link}/status`, { cookie });
      expect(again.status).toBe(200);
      again.close();
      // One agent: the same kind of cap (10).
      const agent: number[] = [];
      const agentStreams = [];
      for (let i = 0; i < 12; i++) {
        const s = await openStream(server.url, '/api/events', {
          host: `localhost:${server.port}`,
        });
        agent.push(s.status);
        agentStreams.push(s);
      }
      expect(agent.filter((s) => s === 200)).toHaveLength(10);
      expect(agent.slice(10)).toEqual([429, 429]);
      for (const s of agentStreams) s.close();
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('5. every client mistake is a 4xx with a stable code, logged below error level', () => {
  let server: TestServer;
  let logger: RecordingLogger;
  let tabDir: string;
  let link: string;
  beforeAll(async () => {
    tabDir = mkdtempSync(path.join(tmpdir(), 'otc-tab-'));
    mkdirSync(path.join(tabDir, 'assets'));
    writeFileSync(path.join(tabDir, 'index.html'), '<!doctype html><title>tab</title>');
    writeFileSync(path.join(tabDir, 'assets', 'app-1.js'), 'console.log(1)');
    logger = new RecordingLogger();
    server = await startTestServer({ overrides: { logger, tabDir } });
    link = (await new AgentApi(server.url).create()).path;
  });
  afterAll(async () => {
    await server.close();
    rmSync(tabDir, { recursive: true, force: true });
  });

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };
  const local = () => ({ host: `localhost:${server.port}` });
  const cases: Array<
    [string, () => [string, string, { headers?: Record<string, string>; body?: string }], number]
  > = [
    [
      'a gzip content-encoding with a plain form',
      () => ['POST', link, { headers: { ...form, 'content-encoding': 'gzip' }, body: 'name=Anna' }],
      400,
    ],
    [
      'a gzip content-encoding with plain JSON',
      () => [
        'POST',
        '/api/calls',
        { headers: { ...local(), ...json, 'content-encoding': 'gzip' }, body: '{}' },
      ],
      400,
    ],
    [
      'an unknown content-encoding',
      () => [
        'POST',
        link,
        { headers: { ...form, 'content-encoding': 'x-zip' }, body: 'name=Anna' },
      ],
      400,
    ],
    [
      'more form fields than allowed',
      () => [
        'POST',
        link,
        { headers: form, body: Array.from({ length: 50 }, (_, i) => `f${i}=1`).join('&') },
      ],
      400,
    ],
    ['malformed percent-encoding in a link', () => ['GET', '/j/%E0%A4%A', {}], 400],
    [
      'malformed percent-encoding in an API path',
      () => ['GET', '/api/calls/%ZZ', { headers: local() }],
      400,
    ],
    [
      'malformed JSON to the bot',
      () => ['POST', '/api/messages', { headers: { ...local(), ...json }, body: '{"type":' }],
      400,
    ],
    [
      '{} to the bot',
      () => ['POST', '/api/messages', { headers: { ...local(), ...json }, body: '{}' }],
      400,
    ],
    ['a missing asset of a cached tab', () => ['GET', '/assets/app-0.js', {}], 404],
    ['a missing asset with a malformed name', () => ['GET', '/assets/%E0%A4%A', {}], 400],
    ['a tab file with a malformed name', () => ['GET', '/%E0%A4%A.js', {}], 404],
    ['a tab file that does not exist', () => ['GET', '/missing.js', {}], 404],
    [
      'a bot activity with a foreign serviceUrl',
      () => [
        'POST',
        '/api/messages',
        {
          headers: { ...local(), ...json },
          body: JSON.stringify({
            type: 'message',
            channelId: 'msteams',
            serviceUrl: 'https://evil.example/',
            conversation: { id: 'c' },
          }),
        },
      ],
      403,
    ],
  ];

  it.each(cases)('answers %s with a 4xx', async (_what, make, status) => {
    const before = await snapshot(server);
    const [method, p, options] = make();
    const res = await rawRequest(server.url, method, p, options);
    expect(res.status).toBe(status);
    expect(res.json().error?.code).toMatch(/^[a-z-]+$/);
    expect(await snapshot(server)).toEqual(before);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('still serves the assets that exist and the SPA routes', async () => {
    expect((await rawRequest(server.url, 'GET', '/assets/app-1.js')).status).toBe(200);
    expect((await rawRequest(server.url, 'GET', '/tab')).status).toBe(200);
  });
});

describe('8–9. names, titles and dates', () => {
  let server: TestServer;
  let api: AgentApi;
  beforeAll(async () => {
    server = await startTestServer();
    api = new AgentApi(server.url);
  });
  afterAll(() => server.close());

  it('stores exactly what it answers: NFC, and real names with ZWNJ and emoji sequences', async () => {
    for (const name of ['مه‌سا', '👩‍💻 Dev', 'Zoe\u0308']) {
      const { id, path: link } = await api.create({ title: `${name} call` });
      const res = await new Browser(server.url).request('POST', link, {
        body: JSON.stringify({ name }),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      });
      expect(res.status).toBe(201);
      const call = await server.deps.store.get(id);
      expect(call?.customerName).toBe(name.normalize('NFC'));
      expect(call?.title).toBe(`${name} call`.normalize('NFC'));
      const answered = (await api.call('GET', `/api/calls/${id}`)).json['call'] as {
        customerName: string;
        title: string;
      };
      expect(answered.customerName).toBe(call?.customerName);
      expect(answered.title).toBe(call?.title);
    }
  });

  it.each([
    ['a lone surrogate', 'Boiler \ud800'],
    ['a Hangul filler', '\u3164'],
    ['a blank Braille pattern', '\u2800'],
    ['a soft hyphen alone', '\u00ad'],
    ['a zero-width space', 'Boiler\u200b'],
    ['a bidi isolate', 'Boiler \u2066x'],
    ['a tag character', 'Boiler \u{e0041}'],
  ])('refuses a title with %s and stores nothing', async (_what, title) => {
    const before = await snapshot(server);
    const res = await api.call('POST', '/api/calls', JSON.stringify({ title }));
    expect(res.status).toBe(400);
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a start beyond the horizon (year 9999 would never be swept)', async () => {
    const before = await snapshot(server);
    for (const startsAt of [
      '9999-12-31T00:00:00Z',
      new Date(Date.now() + 400 * 86_400_000).toISOString(),
    ]) {
      const res = await api.call('POST', '/api/calls', { startsAt });
      expect(res.status).toBe(400);
      expect(res.json.error?.message).toMatch(/startsAt/);
    }
    expect(await snapshot(server)).toEqual(before);
  });
});

describe('9. a start-up failure names its cause', () => {
  it('against an unreachable PostgreSQL: the cause, never the password', async () => {
    const error: unknown = await startTestServer({
      env: { DATABASE_URL: 'postgres://app:Sup3rS3cret@127.0.0.1:1/otc' },
    }).then(
      async (server) => {
        await server.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    const text = describeStartupError(error);
    expect(text).toMatch(/ECONNREFUSED/);
    expect(text).not.toContain('Sup3rS3cret');
  });
});
