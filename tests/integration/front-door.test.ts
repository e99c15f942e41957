import { AgentApi } from './http-client';
import { startTestServer, type TestServer } from './harness';
import { rawRequest, type RawResponse } from './raw-http';

// The front door (front-door.ts) serves the canonical paths of link creation and the customer's
// pages; Express serves any other spelling of them (here: a trailing slash) with the same handlers.
// Whichever serves a request, the answer must be the same: status, body and the headers that
// matter (security, caching, cookies, redirects).

let server: TestServer;
let api: AgentApi;

beforeAll(async () => {
  server = await startTestServer();
  api = new AgentApi(server.url);
});
afterAll(() => server.close());

const HEADERS = [
  'content-type',
  'cache-control',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'permissions-policy',
  'x-robots-tag',
  'retry-after',
] as const;

/** What must match: status, the headers above, and the body with per-request values masked. */
function shape(res: RawResponse, code?: string) {
  const headers = Object.fromEntries(HEADERS.map((h) => [h, res.headers[h]]));
  let body = res.text
    .replace(/nonce-[A-Za-z0-9+/=]+/g, 'nonce-N')
    .replace(/nonce="[A-Za-z0-9+/=]+"/g, 'nonce="N"')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME');
  // The page's own links point at the path it was asked as (here with or without the slash).
  if (code) body = body.split(code).join('CODE').split('CODE/').join('CODE');
  return {
    status: res.status,
    headers: {
      ...headers,
      csp: String(res.headers['content-security-policy'] ?? '').replace(/nonce-[^']+/g, 'nonce-N'),
    },
    requestId: typeof res.headers['request-id'] === 'string',
    body,
  };
}

const json = { 'content-type': 'application/json', origin: '' };

describe('front door and Express answer alike', () => {
  beforeAll(() => {
    json.origin = new URL(server.url).origin;
  });

  it.each([
    ['a valid body', JSON.stringify({ title: 'Parity', durationMinutes: 45 }), json],
    ['a bad field', JSON.stringify({ durationMinutes: -1 }), json],
    ['malformed JSON', '{"title":', json],
    ['a body that is not JSON', 'title=x', { ...json, 'content-type': 'text/plain' }],
    ['a body over 16 KB', JSON.stringify({ title: 'x'.repeat(20_000) }), json],
    ['a cross-site origin', '{}', { ...json, origin: 'https://evil.example' }],
  ])('POST /api/calls with %s', async (_what, body, headers) => {
    const door = await rawRequest(server.url, 'POST', '/api/calls', { headers, body });
    const express = await rawRequest(server.url, 'POST', '/api/calls/', { headers, body });
    const mask = (r: RawResponse) => {
      const s = shape(r);
      // A created call's link and texts carry its own code.
      return { ...s, body: s.body.replace(/\/j\/[A-Za-z0-9_-]{22}/g, '/j/CODE') };
    };
    expect(mask(express)).toEqual(mask(door));
    expect(door.headers['request-id']).not.toEqual(express.headers['request-id']);
  });

  it.each([
    ['the landing page', 'GET', '', { accept: 'text/html' }],
    ['the landing as JSON', 'GET', '', { accept: 'application/json' }],
    ['the landing in German', 'GET', '?lang=de', { accept: 'text/html' }],
    ['the status of a link not claimed here', 'GET', '/status', { accept: 'application/json' }],
    ['the lobby of a link not claimed here', 'GET', '/lobby', { accept: 'text/html' }],
  ])('%s', async (_what, method, sub, headers) => {
    const { code } = await api.create({ title: 'Parity' });
    const path = `/j/${code}${sub.startsWith('?') ? '' : sub}`;
    const query = sub.startsWith('?') ? sub : '';
    const door = await rawRequest(server.url, method, `${path}${query}`, { headers });
    const express = await rawRequest(server.url, method, `${path}/${query}`, { headers });
    expect(shape(express, code)).toEqual(shape(door, code));
  });

  it('an unknown code: the same dead page', async () => {
    const code = 'ZZZZZZZZZZZZZZZZZZZZZA';
    const door = await rawRequest(server.url, 'GET', `/j/${code}`);
    const express = await rawRequest(server.url, 'GET', `/j/${code}/`);
    expect(door.status).toBe(404);
    expect(shape(express, code)).toEqual(shape(door, code));
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', 'name=Ada+Parity', 'text/html'],
    ['JSON', 'application/json', '{"name":"Ada Parity"}', 'application/json'],
    ['an empty name', 'application/x-www-form-urlencoded', 'name=', 'text/html'],
    [
      'a body over 4 KB',
      'application/x-www-form-urlencoded',
      `name=${'x'.repeat(5000)}`,
      'text/html',
    ],
  ])('the claim with %s', async (_what, type, body, accept) => {
    const answers = [];
    for (const suffix of ['', '/']) {
      const { code } = await api.create({ title: 'Parity' });
      const res = await rawRequest(server.url, 'POST', `/j/${code}${suffix}`, {
        headers: { 'content-type': type, accept },
        body,
      });
      const cookie = res.headers['set-cookie']?.[0]?.replace(code, 'CODE');
      answers.push({
        ...shape(res, code),
        location: res.headers['location']?.replace(code, 'CODE'),
        cookie: cookie?.replace(/=[^;]+;/, '=TOKEN;').replace(/Max-Age=\d+/, 'Max-Age=N'),
      });
    }
    expect(answers[1]).toEqual(answers[0]);
  });
});
