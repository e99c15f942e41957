import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

let server: TestServer;
let api: AgentApi;

beforeAll(async () => {
  server = await startTestServer({ overrides: { guessLimit: { limit: 5, windowMs: 60_000 } } });
  api = new AgentApi(server.url);
});
afterAll(async () => {
  await server.close();
});

/** Everything stored, to prove a refused request changed nothing. */
const snapshot = async () => {
  const calls = await server.deps.store.list({ limit: 500 });
  const events = await server.deps.store.eventsSince(0, 10_000);
  return { calls, events: events.length };
};

describe('bad input to the agent API changes nothing', () => {
  it.each([
    ['malformed JSON', '{"title": "x",', 400, 'invalid-input'],
    ['a JSON array', '[]', 400, 'invalid-input'],
    ['an unknown field', { colour: 'red' }, 400, 'invalid-input'],
    ['an empty title', { title: '   ' }, 400, 'invalid-input'],
    ['a bad start', { startsAt: '25.11.2026 14:00' }, 400, 'invalid-input'],
    [
      'a start in the past whose call is over',
      { startsAt: '2000-01-01T00:00:00Z' },
      400,
      'invalid-input',
    ],
    ['a duration of zero', { durationMinutes: 0 }, 400, 'invalid-input'],
    ['an unknown language', { customerLocale: 'fr' }, 400, 'invalid-input'],
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 400, 'invalid-input'],
    ['a title with control characters', { title: 'a\u0007b' }, 400, 'invalid-input'],
    ['an oversized body', { title: 'x'.repeat(20_000) }, 413, 'payload-too-large'],
  ])('refuses %s with a clear error', async (_what, body, status, code) => {
    const before = await snapshot();
    const res = await api.call('POST', '/api/calls', body);
    expect(res.status).toBe(status);
    expect(res.json.error?.code).toBe(code);
    expect(res.json.error?.message).toEqual(expect.any(String));
    expect(await snapshot()).toEqual(before);
  });

  it('names every bad field at once', async () => {
    const res = await api.call('POST', '/api/calls', { title: '', durationMinutes: 1000 });
    expect(res.json.error?.message).toMatch(/title/);
    expect(res.json.error?.message).toMatch(/durationMinutes/);
    expect(res.json.error?.details?.['fields']).toEqual(
      expect.arrayContaining([
        { field: 'title', reason: 'too_small' },
        { field: 'durationMinutes', reason: 'too_big' },
      ]),
    );
  });

  it('names the field of a start whose call would already be over', async () => {
    const res = await api.call('POST', '/api/calls', { startsAt: '2000-01-01T00:00:00Z' });
    expect(res.json.error?.details).toEqual({
      fields: [{ field: 'startsAt', reason: 'ends-in-past' }],
    });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await api.call('POST', '/api/calls', 'title=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toMatch(/application\/json/);
  });

  it('answers unknown and malformed call ids with 404', async () => {
    for (const id of ['3f2b1c9e-0000-4000-8000-000000000000', 'nope', '1; DROP TABLE calls']) {
      for (const action of ['', '/admit', '/decline', '/revoke', '/reissue']) {
        const res = await api.call(
          action ? 'POST' : 'GET',
          `/api/calls/${encodeURIComponent(id)}${action}`,
          action ? {} : undefined,
        );
        expect(res.status).toBe(404);
        expect(res.json.error?.code).toBe('not-found');
      }
    }
  });

  it('refuses a decline reason that is too long, and leaves the customer waiting', async () => {
    const { id, path } = await api.create();
    await new Browser(server.url).postForm(path, { name: 'Anna' });
    const res = await api.call('POST', `/api/calls/${id}/decline`, { reason: 'x'.repeat(201) });
    expect(res.status).toBe(400);
    expect(await api.state(id)).toBe('waiting');
    const bogus = await api.call('POST', `/api/calls/${id}/admit`, { force: true });
    expect(bogus.status).toBe(400);
    expect(await api.state(id)).toBe('waiting');
  });

  it('refuses bad list queries', async () => {
    expect((await api.call('GET', '/api/calls?status=done')).status).toBe(400);
    expect((await api.call('GET', '/api/calls?limit=100000')).status).toBe(400);
    expect((await api.call('GET', '/api/calls?scope=team')).json.error?.message).toMatch(/teamId/);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await api.call('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json.error?.code).toBe('not-found');
  });
});

describe('bad input from customers changes nothing', () => {
  it.each([
    ['an empty name', { name: '' }, 'Please type your name.'],
    ['only spaces', { name: '    ' }, 'Please type your name.'],
    ['81 characters', { name: 'a'.repeat(81) }, 'Please use at most 80 characters.'],
    ['a control character', { name: 'Anna\u0000' }, 'Please use letters'],
    ['no name field', {}, 'Please type your name.'],
  ])('refuses %s with the form and a message', async (_what, fields, message) => {
    const { id, path } = await api.create();
    const browser = new Browser(server.url);
    const res = await browser.postForm(path, fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('aria-invalid="true"');
    expect(browser.hasCookies()).toBe(false);
    expect(await api.state(id)).toBe('scheduled');
  });

  it('escapes whatever a customer types', async () => {
    const { id, path } = await api.create();
    const res = await new Browser(server.url).postForm(path, {
      name: '<script>alert(1)</script>'.repeat(4),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
    const ok = await new Browser(server.url).postForm(path, { name: '<b>Anna</b>' });
    expect(ok.status).toBe(303);
    expect(await api.state(id)).toBe('waiting');
  });

  it('refuses an oversized form', async () => {
    const { id, path } = await api.create();
    const res = await new Browser(server.url).postForm(path, { name: 'x'.repeat(10_000) });
    expect(res.status).toBe(413);
    expect(await api.state(id)).toBe('scheduled');
  });
});

describe('the embedded agent is only this machine', () => {
  it('refuses a request that came through a proxy', async () => {
    const res = await api.call('GET', '/api/calls', undefined, {
      'x-forwarded-for': '203.0.113.7',
    });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('unauthorized');
  });

  it('refuses a foreign Host (a DNS-rebinding page in the agent browser)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/api/calls`,
        { headers: { host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });

  it('refuses a state change from another origin', async () => {
    const before = await snapshot();
    const res = await api.call('POST', '/api/calls', {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const site = await api.call('POST', '/api/calls', {}, { 'sec-fetch-site': 'cross-site' });
    expect(site.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bot traffic through a proxy: without BOT_ID card invokes are only for this machine', async () => {
    const before = await snapshot();
    const invoke = {
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/',
      from: { id: 'x', aadObjectId: 'local-agent' },
      recipient: { id: 'bot' },
      conversation: { id: 'c1' },
      value: { action: { type: 'Action.Execute', verb: 'admit', data: {} } },
    };
    const res = await api.call('POST', '/api/messages', invoke, {
      'x-forwarded-for': '198.51.100.4',
    });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('unauthorized');
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the tab on its own origin', async () => {
    const res = await api.call(
      'POST',
      '/api/calls',
      {},
      { origin: new URL(server.deps.settings.publicBaseUrl).origin },
    );
    expect(res.status).toBe(201);
  });
});

describe('who am I', () => {
  it('tells the tab that the bot cannot reach the agent yet, and which cards failed', async () => {
    const { id, path } = await api.create();
    expect((await new Browser(server.url).postForm(path, { name: 'Anna' })).status).toBe(303);
    // One flush is one bounded notifier round; earlier tests in this file left a backlog.
    let me = await api.call('GET', '/api/me');
    for (let round = 0; round < 50; round++) {
      await server.bot.flush();
      me = await api.call('GET', '/api/me');
      const list = me.json['deliveryFailures'] as Array<{ callId: string }>;
      if (list.some((f) => f.callId === id)) break;
    }
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      agent: { id: 'local-agent', name: 'Local agent' },
      mode: 'embedded',
      botReachable: false,
    });
    // Other tests in this file left waiting customers too: this call's failure is among them.
    const failures = me.json['deliveryFailures'] as Array<{ callId: string; reason: string }>;
    expect(failures.find((f) => f.callId === id)).toMatchObject({ reason: 'no-conversation' });
    expect(JSON.stringify(me.json)).not.toContain('Anna');
  });
});

describe('failed guesses are limited per address; customers are not', () => {
  it('answers 429 after too many unknown codes, but still serves a browser its claimed link', async () => {
    const { path } = await api.create();
    const customer = new Browser(server.url);
    await customer.postForm(path, { name: 'Anna' });
    const guesser = new Browser(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await guesser.get(`/j/AAAAAAAAAAAAAAAAAAAA${'ABCDEFGH'[i]}A`)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // Same address (loopback), but holding the claim cookie of a valid link: never throttled.
    expect((await customer.get(`${path}/lobby`)).status).toBe(200);
    expect((await customer.get(`${path}/status`, { accept: 'application/json' })).status).toBe(200);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
