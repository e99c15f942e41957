// The browser call's server side: CPU time and memory per active call while 20 calls exchange
// signalling at once (signalling only: media is peer to peer). Target: < 200 KB per active call.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SignalEnvelope, SignalMessage } from '@shared';
import { ANSWER, OFFER, admittedCall, candidate } from '../tests/integration/call-side';
import type { TestServer } from '../tests/integration/harness';
import type { SseClient } from '../tests/integration/sse-client';
import { latency } from './stats';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 20);
const CANDIDATES = 8;

type Measure = { cpu: NodeJS.CpuUsage; heapUsed: number; external: number; rss: number };

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(__dirname, 'call-server.child.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    child.on('message', (m: { kind: string; url?: string }) => {
      if (m.kind === 'ready' && m.url) resolve({ child, url: m.url });
    });
  });
}

function measure(child: ChildProcess): Promise<Measure> {
  return new Promise((resolve) => {
    const on = (m: Measure & { kind: string }) => {
      if (m.kind !== 'measure') return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send('measure');
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
  (b.user - a.user + (b.system - a.system)) / 1000;

let running: ChildProcess | undefined;

async function main(): Promise<void> {
  const { child, url } = await startChild();
  running = child;
  // The call helpers use only the server's URL.
  const server = { url } as TestServer;
  const warm = await admittedCall(server);
  await warm.customer.join();
  await warm.agent.join();
  await fetch(`${url}/api/calls/${warm.id}/end`, { method: 'POST' });

  const before = await measure(child);
  const calls = [];
  const streams: SseClient[] = [];
  for (let i = 0; i < CALLS; i++) {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    const customerEvents = await call.customer.events();
    const agentEvents = await call.agent.events();
    streams.push(customerEvents, agentEvents);
    calls.push({ call, customerEvents, agentEvents });
  }
  const seated = await measure(child);

  // Every call at once: offer, candidates, end of candidates; answer, candidates, end; heartbeats.
  const started = performance.now();
  const deliveries: number[] = [];
  const perCall = (messages: readonly SignalMessage[]) => messages.length;
  const customerMessages: SignalMessage[] = [
    OFFER,
    ...Array.from({ length: CANDIDATES }, (_, n) => candidate(n)),
    { type: 'candidate', candidate: null },
  ];
  const agentMessages: SignalMessage[] = [
    ANSWER,
    ...Array.from({ length: CANDIDATES }, (_, n) => candidate(100 + n)),
    { type: 'candidate', candidate: null },
  ];
  await Promise.all(
    calls.map(async ({ call, customerEvents, agentEvents }) => {
      const t0 = performance.now();
      const received = async (events: SseClient, count: number) => {
        for (let k = 0; k < count; k++)
          await events.next<SignalEnvelope>('signal', () => true, 30_000);
      };
      await Promise.all([
        (async () => {
          for (const m of customerMessages) await call.customer.send(m);
          await call.customer.heartbeat();
        })(),
        (async () => {
          for (const m of agentMessages) await call.agent.send(m);
          await call.agent.heartbeat();
        })(),
        received(agentEvents, perCall(customerMessages)),
        received(customerEvents, perCall(agentMessages)),
      ]);
      deliveries.push(performance.now() - t0);
    }),
  );
  const wall = performance.now() - started;
  const exchanged = await measure(child);

  const messages = CALLS * (customerMessages.length + agentMessages.length);
  console.log(
    `browser call signalling, ${CALLS} calls at once (SQLite, server in its own process):`,
  );
  // Wall times depend on what else the machine runs; CPU time and memory are the server's own.
  console.log(
    `  ${messages} messages in ${wall.toFixed(0)} ms wall; one call's whole exchange: ${latency(deliveries)}`,
  );
  console.log(
    `  server CPU time: ${cpuMs(seated.cpu, exchanged.cpu).toFixed(1)} ms for the exchange = ${(cpuMs(seated.cpu, exchanged.cpu) / CALLS).toFixed(2)} ms per call; ` +
      `seating the calls (claim, admit, 2 sessions, 2 streams each): ${(cpuMs(before.cpu, seated.cpu) / CALLS).toFixed(2)} ms per call`,
  );
  const heap = (seated.heapUsed - before.heapUsed) / CALLS;
  const ext = (seated.external - before.external) / CALLS;
  const heapAfter = (exchanged.heapUsed - before.heapUsed) / CALLS;
  console.log(
    `  server memory per active call (after GC): heap ${kb(heap)} seated, ${kb(heapAfter)} after the exchange; ` +
      `buffers ${kb(ext)}; RSS ${kb((exchanged.rss - before.rss) / CALLS)} (target < 200 KB)`,
  );

  for (const s of streams) s.close();
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}

main().catch((error: unknown) => {
  console.error(error);
  running?.kill();
  process.exit(1);
});
