// A server for bench/http.bench.ts, in its own process so the load generator does not share its
// event loop: `bare` is a node:http hello, `app` is the real server built by buildApp (SQLite in a
// temp dir, logs off). Talks to the parent over IPC: {port} once listening, {rss} on "rss".
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentPrincipal, CallDeps } from '@shared';
import { buildApp } from '../bot/src/build-app';
import { loadConfig } from '../bot/src/config';
import { prepareCall } from '../shared/src/use-cases/create-call';

type Reply = { port: number } | { rss: number } | { storeCreatesPerSecond: number };

/**
 * Link creations in the store alone, no HTTP: the call is prepared and inserted as the use case
 * does, 32 at a time (the bench's connections, so group commit batches as under load), for 2 s.
 */
async function storeCreatesPerSecond(deps: CallDeps): Promise<number> {
  const principal = { id: 'local-agent', name: 'Local agent' } as AgentPrincipal;
  const one = async () => {
    const { call } = await prepareCall(deps, principal, { title: 'Bench' });
    await deps.store.insert(call, {
      type: 'created',
      at: call.createdAt,
      actor: { kind: 'agent', id: principal.id, name: principal.name },
      toState: call.state,
    });
  };
  const started = performance.now();
  let made = 0;
  while (performance.now() - started < 2_000) {
    await Promise.all(Array.from({ length: 32 }, one));
    made += 32;
  }
  return made / ((performance.now() - started) / 1000);
}
const reply = (message: Reply) => process.send?.(message);

async function main(): Promise<void> {
  const kind = process.argv[2];
  let close: () => Promise<void>;
  let deps: CallDeps | undefined;
  if (kind === 'bare') {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello');
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    reply({ port: (server.address() as AddressInfo).port });
    close = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'otc-bench-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    // All load comes from one loopback address and one agent, standing in for many clients: the
    // per-address and per-agent caps (production: 256 connections, 100/10 streams) are lifted.
    const running = await (
      await buildApp(config, {
        limits: {
          server: { maxConnectionsPerAddress: 5_000 },
          streams: { perAddress: 5_000, perAgent: 5_000 },
        },
      })
    ).listen();
    reply({ port: running.port });
    deps = running.deps;
    close = async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  process.on('message', (message) => {
    if (message === 'rss') {
      global.gc?.();
      reply({ rss: process.memoryUsage().rss });
    } else if (message === 'store' && deps) {
      void storeCreatesPerSecond(deps).then((rate) => reply({ storeCreatesPerSecond: rate }));
    } else if (message === 'close') {
      void close().then(() => process.exit(0));
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
