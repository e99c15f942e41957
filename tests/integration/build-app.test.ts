import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../bot/src/build-app';
import { loadConfig } from '../../bot/src/config';
import { RETRY_AFTER_SECONDS, StartupGate } from '../../bot/src/http/startup-gate';
import { AgentApi } from './http-client';

const get = (url: string) =>
  fetch(url).then(async (res) => ({
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: await res.json(),
  }));

describe('the start-up gate', () => {
  let server: http.Server;
  let url: string;
  let gate: StartupGate;

  beforeEach(async () => {
    gate = new StartupGate((_req, res) => res.end(JSON.stringify({ served: true })));
    server = http.createServer(gate.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 503 with Retry-After while starting, then passes requests on', async () => {
    const starting = await get(url);
    expect(starting).toMatchObject({
      status: 503,
      retryAfter: String(RETRY_AFTER_SECONDS),
      body: { error: { code: 'upstream-unavailable' } },
    });
    expect(JSON.stringify(starting.body)).toMatch(/starting/);
    gate.open();
    expect(await get(url)).toMatchObject({ status: 200, body: { served: true } });
  });

  it('answers 503 again once draining, and does not reopen', async () => {
    gate.open();
    gate.drain();
    gate.open();
    expect(await get(url)).toMatchObject({ status: 503, retryAfter: String(RETRY_AFTER_SECONDS) });
  });
});

describe('buildApp', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'otc-build-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('builds and migrates everything before listening, then serves at once', async () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir });
    const app = await buildApp(config, { sweeper: false, notifier: false });
    // Built and migrated, not listening: the stores answer already.
    expect(await app.deps.store.ping()).toBe(true);
    expect(await app.bot.isReachable('nobody' as never)).toBe(false);
    const server = await app.listen();
    try {
      expect(app.deps.settings.publicBaseUrl).toBe(`http://localhost:${server.port}`);
      const api = new AgentApi(server.url);
      const { id } = await api.create();
      expect(await api.state(id)).toBe('scheduled');
    } finally {
      await server.close();
    }
  });

  it('closes cleanly without ever listening', async () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir });
    const app = await buildApp(config, { sweeper: false, notifier: false });
    await expect(app.close()).resolves.toBeUndefined();
  });
});
