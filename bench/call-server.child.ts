// The server of bench/call-signalling.bench.ts, in its own process so its CPU time and memory are
// its own. Started with --expose-gc; answers "measure" over IPC.
import { startTestServer } from '../tests/integration/harness';

async function main(): Promise<void> {
  // The embedded default: SQLite in a temp folder, one process. Its one agent holds all 20 agent
  // seats here, so the per-agent stream cap (10, for several tabs of one person) is raised.
  const server = await startTestServer({
    overrides: { notifier: false, limits: { streams: { perAgent: 100 } } },
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: unknown) => {
    if (message === 'measure') {
      gc?.();
      gc?.();
      const memory = process.memoryUsage();
      process.send?.({
        kind: 'measure',
        cpu: process.cpuUsage(),
        heapUsed: memory.heapUsed,
        external: memory.external + memory.arrayBuffers,
        rss: memory.rss,
      });
    } else if (message === 'stop') {
      void server.close().then(() => process.exit(0));
    }
  });
  // The bench ended (or died): never outlive it.
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  process.send?.({ kind: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
