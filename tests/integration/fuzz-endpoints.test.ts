import http from 'node:http';
import fc from 'fast-check';
import { CALL_STATES, type CallEvent } from '@shared';
import { FakeBotConnector } from '../fakes/fake-bot-connector';
import { RecordingLogger } from '../unit/bot/world';
import { startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

// Issue 13: every public endpoint, driven with arbitrary methods, headers, paths, bodies and
// encodings against the real server. No answer is a server fault, and the store stays consistent.

let server: TestServer;
let connector: FakeBotConnector;
let logger: RecordingLogger;
const codes: string[] = [];
const ids: string[] = [];
let claimCookie = '';

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  logger = new RecordingLogger();
  server = await startTestServer({ overrides: { logger, notifier: false } });
  const api = new AgentApi(server.url);
  for (let i = 0; i < 4; i++) {
    const created = await api.create({ title: `Call ${i}` });
    codes.push(created.code);
    ids.push(created.id);
  }
  const customer = new Browser(server.url);
  const claimed = await customer.request('POST', `/j/${codes[0]}`, {
    body: 'name=Anna',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  claimCookie = (claimed.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await server.close();
  await connector.stop();
});

type Sent = {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
};

/** One request; an event stream is cut as soon as its status is known. */
function send(request: Sent): Promise<number> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: {
          ...(request.body ? { 'content-length': request.body.length } : {}),
          ...request.headers,
        },
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          req.destroy();
          resolve(status);
          return;
        }
        res.resume();
        res.on('end', () => resolve(status));
        res.on('error', () => resolve(status));
      },
    );
    req.on('error', reject);
    if (request.body) req.write(request.body);
    req.end();
  });
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${max}}$`));
const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,24}$/),
  fc.constantFrom('%E0%A4%A', '%ZZ', '%00', '%2F', '..', '%C3%A9', '%'),
);

/** Requests over the calls made in `beforeAll` (their ids and codes exist only then). */
function requestArbitrary(): fc.Arbitrary<Sent> {
  const pathArb = fc.oneof(
    fc.constantFrom('/', '/healthz', '/readyz', '/tab', '/config', '/api/me', '/api/calls'),
    fc.constantFrom('/api/events', '/api/messages', '/assets/app.js', '/j', '/api'),
    fc
      .tuple(fc.constantFrom(...ids), fc.constantFrom('', '/admit', '/decline', '/revoke', '/end'))
      .map(([id, action]) => `/api/calls/${id}${action}`),
    fc
      .tuple(fc.constantFrom('/message', '/reissue', '/x'), fc.constantFrom(...ids))
      .map(([action, id]) => `/api/calls/${id}${action}`),
    fc
      .tuple(
        fc.constantFrom(...codes),
        fc.constantFrom('', '/lobby', '/status', '/call', '/present', '/leave', '/x'),
      )
      .map(([code, sub]) => `/j/${code}${sub}`),
    // The in-browser call's signalling, on both sides.
    fc
      .tuple(
        fc.constantFrom(...codes.map((c) => `/j/${c}`), ...ids.map((id) => `/api/calls/${id}`)),
        fc.constantFrom('session', 'signal', 'heartbeat', 'events', 'x'),
        fc.constantFrom('', '?after=0', '?after=-1', '?after=abc', '?wait=1'),
      )
      .map(([base, endpoint, query]) => `${base}/call/${endpoint}${query}`),
    fc
      .array(segment, { minLength: 1, maxLength: 4 })
      .chain((segments) =>
        fc
          .constantFrom('/', '/j/', '/api/', '/api/calls/', '/assets/')
          .map((p) => p + segments.join('/')),
      ),
  );
  const queryArb = fc.oneof(
    fc.constant(''),
    fc.constantFrom('?lang=de', '?status=active&limit=3', '?scope=team', '?limit=-1', '?a=%ZZ'),
    printable(20).map((q) => `?${encodeURIComponent(q)}`),
  );

  const activityArb = fc.record({
    type: fc.oneof(
      fc.constantFrom('message', 'invoke', 'installationUpdate', 'conversationUpdate'),
      printable(10),
    ),
    text: fc.option(fc.oneof(fc.constantFrom('new Router', 'list', 'help'), fc.string()), {
      nil: undefined,
    }),
    name: fc.option(fc.constantFrom('adaptiveCard/action', 'task/fetch', 'x'), { nil: undefined }),
    value: fc.option(fc.jsonValue(), { nil: undefined }),
    serviceUrl: fc.constantFrom(connector.url, 'https://evil.example/'),
    channelId: fc.constantFrom('msteams', 'emulator', ''),
    conversation: fc.constantFrom({ id: 'c1', conversationType: 'personal' }, {}),
    from: fc.constantFrom({ id: '29:u', aadObjectId: 'local-agent' }, {}),
    recipient: fc.constant({ id: '28:bot' }),
  });

  const bodyArb: fc.Arbitrary<Buffer | undefined> = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
    fc
      .dictionary(printable(8), fc.string({ maxLength: 40 }), { maxKeys: 30 })
      .map((d) => Buffer.from(new URLSearchParams(d).toString())),
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    activityArb.map((a) => Buffer.from(JSON.stringify(a))),
  );

  const headersArb = fc
    .record(
      {
        'content-type': fc.oneof(
          fc.constantFrom(
            'application/json',
            'application/x-www-form-urlencoded',
            'text/plain',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'multipart/form-data; boundary=x',
          ),
          printable(30),
        ),
        'content-encoding': fc.constantFrom(
          'gzip',
          'deflate',
          'br',
          'identity',
          'x-zip',
          'gzip, gzip',
        ),
        accept: fc.constantFrom('application/json', 'text/html', 'text/event-stream', '*/*', ''),
        'accept-language': fc.constantFrom('de-DE,de;q=0.9', 'xx', '*;q=abc'),
        host: fc.constantFrom('LOCAL', 'evil.example', '[::1]', ''),
        origin: fc.constantFrom('LOCAL_ORIGIN', 'http://evil.example', 'null'),
        'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none'),
        cookie: fc.oneof(fc.constant('CLAIM'), printable(40)),
        authorization: fc.constantFrom('Bearer x', 'Bearer a.b.c', 'Basic Zm9vOmJhcg=='),
        'x-forwarded-for': fc.constantFrom('203.0.113.9', '2001:db8::1', 'garbage'),
        range: fc.constantFrom('bytes=0-1', 'bytes=99999-', 'lines=1'),
      },
      { requiredKeys: [] },
    )
    .map((headers) => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        out[name] =
          value === 'LOCAL'
            ? `localhost:${server.port}`
            : value === 'LOCAL_ORIGIN'
              ? `http://localhost:${server.port}`
              : value === 'CLAIM'
                ? claimCookie
                : value;
      }
      return out;
    });

  return fc.record({
    method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    path: fc.tuple(pathArb, queryArb).map(([p, q]) => p + q),
    headers: headersArb,
    body: bodyArb,
  });
}

/** Each call is in exactly one known state, and its event log leads to that state. */
async function expectConsistentStore(): Promise<void> {
  const calls = await server.deps.store.list({ limit: 500 });
  const events = await server.deps.store.eventsSince(0, 100_000);
  const byCall = new Map<string, CallEvent[]>();
  for (const e of events) byCall.set(e.callId, [...(byCall.get(e.callId) ?? []), e]);
  for (const call of calls) {
    expect(CALL_STATES).toContain(call.state);
    const log = byCall.get(call.id) ?? [];
    expect(log[0]?.type).toBe('created');
    for (let i = 1; i < log.length; i++) {
      if (log[i]!.fromState !== undefined) expect(log[i]!.fromState).toBe(log[i - 1]!.toState);
    }
    expect(log.at(-1)?.toState).toBe(call.state);
  }
}

describe('every public endpoint under arbitrary input', () => {
  it('never answers with a server fault, and the store stays consistent', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(), async (request) => {
        const status = await send(request);
        // 503 is documented: /readyz while the store is down, and refused connections.
        if (status >= 500 && status !== 503) {
          throw new Error(`${status} for ${request.method} ${request.path}`);
        }
      }),
      { numRuns: 300, seed: Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31) },
    );
    await expectConsistentStore();
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  }, 60_000);
});
