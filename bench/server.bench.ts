// Customer-facing figures: claim → lobby event at a subscriber, and the gzipped size of every page.
import { gzipSync } from 'node:zlib';
import { startTestServer } from '../tests/integration/harness';
import { AgentApi, Browser } from '../tests/integration/http-client';
import { SseClient } from '../tests/integration/sse-client';
import type { CallDto } from '@shared';
import { latency } from './stats';

async function claimToLobbyEvent(rounds: number): Promise<void> {
  const server = await startTestServer();
  const api = new AgentApi(server.url);
  const events = await SseClient.open(`${server.url}/api/events`);
  await events.next('ready');
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const { id, path } = await api.create();
    const started = performance.now();
    const claim = new Browser(server.url).postForm(path, { name: `Customer ${i}` });
    await events.next<{ call: CallDto }>(
      'call',
      (d) => d.call.id === id && d.call.state === 'waiting',
      10_000,
    );
    samples.push(performance.now() - started);
    await claim;
  }
  events.close();
  await server.close();
  console.log(
    `claim → lobby event at an SSE subscriber (SQLite, one process): ${latency(samples)}`,
  );
}

async function pageSizes(): Promise<void> {
  const server = await startTestServer({ overrides: {} });
  const api = new AgentApi(server.url);
  const sizes: Array<[string, number, number]> = [];
  const measure = async (name: string, res: Response) => {
    const body = Buffer.from(await res.arrayBuffer());
    sizes.push([name, body.length, gzipSync(body, { level: 9 }).length]);
  };
  const ua = { 'user-agent': 'Mozilla/5.0 (Linux; Android 8.0) Mobile' };
  const { id, path } = await api.create({ title: 'Boiler check' });
  const customer = new Browser(server.url, ua);
  await measure('landing', await customer.get(path));
  await measure('name error', await new Browser(server.url, ua).postForm(path, { name: '' }));
  await customer.postForm(path, { name: 'Anna Schmidt' });
  await measure('lobby', await customer.get(`${path}/lobby`));
  await measure('leave confirm', await customer.get(`${path}/leave`));
  await api.call('POST', `/api/calls/${id}/admit`);
  await measure('in call', await customer.get(`${path}/call`));
  await measure('claimed elsewhere', await new Browser(server.url, ua).get(path));
  await customer.postForm(`${path}/leave`, {});
  await measure('ended', await customer.get(`${path}/lobby`));
  const early = await api.create({ startsAt: new Date(Date.now() + 86_400_000).toISOString() });
  await measure('too early', await new Browser(server.url, ua).get(early.path));
  await measure('unknown link', await new Browser(server.url, ua).get('/j/AAAAAAAAAAAAAAAAAAAAAQ'));
  await server.close();
  console.log('customer pages (HTML with inline CSS and script):');
  for (const [name, raw, gz] of sizes) {
    console.log(
      `  ${name.padEnd(18)} ${String(raw).padStart(6)} B raw, ${String(gz).padStart(5)} B gzip`,
    );
  }
  console.log(`  largest gzip: ${Math.max(...sizes.map((s) => s[2]))} B (target < 15 KB)`);
}

async function main(): Promise<void> {
  await pageSizes();
  await claimToLobbyEvent(300);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
