import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentPrincipal } from '@shared';
import type { CustomerHandler, CustomerRequest } from '../../../bot/src/http/customer-routes';
import { frontDoor } from '../../../bot/src/http/front-door';
import type { Logger } from '../../../bot/src/logger';

// The front door takes only canonical spellings of its routes; everything else must reach the
// fallback (Express), which serves the same handlers with its own matching rules.

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const CODE = 'AbCdEfGhIjKlMnOpQrStUw';

type Seen = { by: string; q?: Omit<CustomerRequest, 'raw'> };

async function withDoor(run: (base: string, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const page =
    (name: string): CustomerHandler =>
    (q, res) => {
      const { raw: _raw, ...rest } = q;
      seen.push({ by: name, q: rest });
      res.end(name);
      return Promise.resolve();
    };
  const listener = frontDoor(
    {
      logger: silent,
      auth: {
        authenticate: () =>
          Promise.resolve({ id: 'agent-1', name: 'Agent' } as unknown as AgentPrincipal),
      },
      allowedOrigins: ['http://allowed.example'],
      trustProxy: 1,
      createCall: (_req: IncomingMessage, res: ServerResponse) => {
        seen.push({ by: 'create' });
        res.end('created');
        return Promise.resolve();
      },
      customer: new Map([
        ['GET ', page('landing')],
        ['POST ', page('claim')],
        ['GET /status', page('status')],
      ]),
    },
    (_req, res) => {
      seen.push({ by: 'express' });
      res.end('express');
    },
  );
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const send = (base: string, method: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const url = new URL(base);
      const req = http.request(
        { host: url.hostname, port: url.port, method, path, headers, agent: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    },
  );

describe('front door', () => {
  it('serves the canonical paths itself, with a request id and the base headers', () =>
    withDoor(async (base, seen) => {
      const created = await send(base, 'POST', '/api/calls', {
        'content-type': 'application/json',
      });
      await send(base, 'GET', `/j/${CODE}?lang=de`);
      await send(base, 'POST', `/j/${CODE}`);
      await send(base, 'GET', `/j/${CODE}/status`, { 'x-forwarded-for': '203.0.113.9' });

      expect(seen.map((s) => s.by)).toEqual(['create', 'landing', 'claim', 'status']);
      expect(created.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.headers['x-content-type-options']).toBe('nosniff');
      expect(created.headers['cache-control']).toBe('no-store');
      expect(seen[1]!.q).toEqual({
        code: CODE,
        path: `/j/${CODE}`,
        lang: 'de',
        address: '127.0.0.1',
      });
      // One trusted proxy hop: the address it forwarded for.
      expect(seen[3]!.q).toMatchObject({ path: `/j/${CODE}/status`, address: '203.0.113.9' });
    }));

  it('leaves every other spelling, method and path to Express', () =>
    withDoor(async (base, seen) => {
      const others: Array<[string, string]> = [
        ['POST', '/api/calls/'],
        ['POST', '/API/calls'],
        ['GET', '/api/calls'],
        ['PUT', '/api/calls'],
        ['HEAD', `/j/${CODE}`],
        ['GET', `/j/${CODE}/`],
        ['GET', `/J/${CODE}`],
        ['GET', `/j/%41${CODE.slice(1)}`],
        ['GET', `/j/${CODE}/status/`],
        ['GET', `/j/${CODE}/lobby`], // not among this door's handlers
        ['POST', `/j/${CODE}/call/session`],
        ['GET', '/j/'],
        ['GET', `/j/${'a'.repeat(65)}`],
        ['GET', '//j/' + CODE],
      ];
      for (const [method, path] of others) await send(base, method, path);
      expect(seen.map((s) => s.by)).toEqual(others.map(() => 'express'));
    }));

  it('refuses a cross-site creation before anything else, as the Express route does', () =>
    withDoor(async (base, seen) => {
      const refused = await send(base, 'POST', '/api/calls', {
        'content-type': 'application/json',
        origin: 'https://evil.example',
      });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden' } });
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(seen).toEqual([]);
    }));

  it('echoes a plain request id given by a proxy', () =>
    withDoor(async (base) => {
      const res = await send(base, 'GET', `/j/${CODE}`, { 'x-request-id': 'proxy-id-12345' });
      expect(res.headers['request-id']).toBe('proxy-id-12345');
    }));
});
