// Bot figures: time from a customer's claim to the lobby card leaving the process (the request
// arriving at a loopback fake Bot Connector), at 1, 10 and 100 customers claiming at once.
// Real SQLite stores, the in-process event bus, the notifier's default tuning. Bounded: a few
// hundred claims in all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asAadObjectId, claimLink, createCall } from '@shared';
import { buildApp } from '../bot/src/build-app';
import { loadConfig } from '../bot/src/config';
import { createLogger } from '../bot/src/logger';
import { FakeBotConnector, cardOf } from '../tests/fakes/fake-bot-connector';
import { latency } from './stats';

const AGENT = { id: asAadObjectId('bench-agent'), name: 'Bench Agent' };
const LEVELS: readonly { readonly concurrent: number; readonly rounds: number }[] = [
  { concurrent: 1, rounds: 50 },
  { concurrent: 10, rounds: 10 },
  { concurrent: 100, rounds: 3 },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otc-bot-bench-'));
  const connector = await new FakeBotConnector().start();
  // The server as production composes it (embedded mode, SQLite), minus the sweeper's timers.
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    LOCAL_AGENT_ID: AGENT.id,
    LOCAL_AGENT_NAME: AGENT.name,
    BOT_ESCALATION_SECONDS: '0',
  });
  const server = await (
    await buildApp(config, { logger: createLogger('silent'), sweeper: false })
  ).listen();
  const { deps } = server;
  // The agent installs the bot in a personal chat; its cards then go to the fake Bot Connector.
  const installed = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'installationUpdate',
      action: 'add',
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: '29:bench', name: AGENT.name, aadObjectId: AGENT.id },
      recipient: { id: '28:bench', name: 'One-Time Call' },
      conversation: { id: 'bench-chat', conversationType: 'personal', tenantId: 'bench' },
      id: 'bench-install',
      timestamp: new Date().toISOString(),
    }),
  });
  if (installed.status >= 300) throw new Error(`installing the bot answered ${installed.status}`);

  const cardCallId = (body: unknown): string | undefined =>
    /"callId":"([^"]+)"/.exec(JSON.stringify(body))?.[1];

  for (const { concurrent, rounds } of LEVELS) {
    const samples: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const calls = await Promise.all(
        Array.from({ length: concurrent }, () => createCall(deps, AGENT, { title: 'Bench' })),
      );
      const started = new Map<string, bigint>();
      const before = connector.posted.length;
      await Promise.all(
        calls.map(async (c) => {
          started.set(c.call.id, process.hrtime.bigint());
          await claimLink(deps, c.code, 'Bench Customer', undefined);
        }),
      );
      await connector.waitFor(() => connector.posted.length - before >= concurrent, 30_000);
      for (const request of connector.posted.slice(before)) {
        const id = cardCallId(cardOf(request));
        const start = id ? started.get(id) : undefined;
        if (start !== undefined) samples.push(Number(request.receivedAt - start) / 1e6);
      }
    }
    console.log(
      `claim → card at the Bot Connector, ${String(concurrent).padStart(3)} customers at once: ${latency(samples)}`,
    );
  }
  await server.close();
  await connector.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
