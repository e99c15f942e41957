// The front door under concurrent load, side by side with a bare node:http hello in the same run:
// create (POST /api/calls), claim (POST /j/<code>), status poll (GET /j/<code>/status), and 1,000
// open SSE streams with one change fanned out. Each as requests/s, share of bare, p50/p99; plus the
// server's idle RSS and RSS with 1,000 streams. Servers run in child processes; autocannon drives them.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import { AgentApi, Browser } from '../tests/integration/http-client';
import { percentile } from './stats';

const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = 32;
const STREAMS = 1_000;

type Target = { child: ChildProcess; url: string };

async function start(kind: 'bare' | 'app'): Promise<Target> {
  const child = fork(path.join(__dirname, 'http-target.ts'), [kind], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

const rssOf = (t: Target) =>
  new Promise<number>((resolve) => {
    t.child.once('message', (m) => resolve((m as { rss: number }).rss));
    t.child.send('rss');
  });

const storeRate = (t: Target) =>
  new Promise<number>((resolve) => {
    t.child.once('message', (m) =>
      resolve((m as { storeCreatesPerSecond: number }).storeCreatesPerSecond),
    );
    t.child.send('store');
  });

const stop = (t: Target) =>
  new Promise<void>((resolve) => {
    t.child.once('exit', () => resolve());
    t.child.send('close');
  });

type Figures = { rps: number; p50: number; p99: number; errors: number };

async function load(
  url: string,
  requests: autocannon.Request[],
  options: { amount?: number } = {},
): Promise<Figures> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...(options.amount ? { amount: options.amount } : { duration: DURATION_S }),
    requests,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // A claim answers 303 (to the lobby): only failures and 4xx/5xx count as errors.
    errors: result.errors + result.timeouts + result['4xx'] + result['5xx'],
  };
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Opens `n` agent event streams; resolves once each has its `ready` event. */
async function openStreams(url: string, n: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const arrivals: Array<(at: number) => void> = [];
  const requests: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(
            `${url}/api/events`,
            { agent, headers: { accept: 'text/event-stream' } },
            (res) => {
              if (res.statusCode !== 200) {
                reject(new Error(`event stream refused: ${res.statusCode}`));
                return;
              }
              let buffer = '';
              let ready = false;
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                buffer += chunk;
                if (!ready && buffer.includes('event: ready')) {
                  ready = true;
                  buffer = '';
                  resolve();
                } else if (ready && buffer.includes('event: call')) {
                  buffer = '';
                  arrivals.shift()?.(performance.now());
                }
              });
            },
          );
          req.on('error', reject);
          requests.push(req);
        }),
    ),
  );
  return {
    /** Resolves with each stream's delay from `sent` once all `n` streams saw the next change. */
    nextChange(sent: () => Promise<number>): Promise<number[]> {
      const times: Promise<number>[] = Array.from(
        { length: n },
        () => new Promise<number>((resolve) => arrivals.push(resolve)),
      );
      return sent().then((at) => Promise.all(times).then((ts) => ts.map((t) => t - at)));
    },
    close() {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
}

async function main(): Promise<void> {
  const bare = await start('bare');
  const app = await start('app');
  try {
    const api = new AgentApi(app.url);
    await api.create(); // warm up the first statements
    const origin = new URL(app.url).origin;
    const rows: Array<[string, Figures]> = [];

    const hello = await load(bare.url, [{ method: 'GET', path: '/' }]);
    rows.push(['bare node:http hello', hello]);

    const idleRss = await rssOf(app);

    rows.push([
      'create  POST /api/calls',
      await load(app.url, [
        {
          method: 'POST',
          path: '/api/calls',
          headers: { 'content-type': 'application/json', origin },
          body: JSON.stringify({ title: 'Bench' }),
        },
      ]),
    ]);

    // Claims consume links: make enough first, then claim each once.
    const codes: string[] = [];
    const want = Math.max(2_000, Math.ceil(rows[1]![1].rps * DURATION_S * 1.5));
    for (let made = 0; made < want; made += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => api.create()));
      codes.push(...batch.map((c) => c.path));
    }
    let next = 0;
    rows.push([
      'claim   POST /j/<code>',
      await load(
        app.url,
        [
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'name=Bench+Customer',
            setupRequest: (req) => ({ ...req, path: codes[next++ % codes.length]! }),
          },
        ],
        { amount: Math.min(codes.length, Math.ceil(rows[1]![1].rps * DURATION_S) || 1_000) },
      ),
    ]);

    const { path: link } = await api.create();
    const customer = new Browser(app.url);
    const claimed = await customer.postForm(link, { name: 'Poller' });
    const cookie = claimed.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    rows.push([
      'status  GET /j/<code>/status',
      await load(app.url, [
        { method: 'GET', path: `${link}/status`, headers: { cookie, accept: 'application/json' } },
      ]),
    ]);

    // The ceiling the storage sets: creations in the server's store alone, without HTTP.
    const storeOnly = await storeRate(app);

    const streams = await openStreams(app.url, STREAMS);
    const streamsRss = await rssOf(app);
    const fanout = await streams.nextChange(async () => {
      const at = performance.now();
      await api.create({ title: 'Fan-out' });
      return at;
    });
    streams.close();

    console.log(
      `concurrent HTTP (${CONNECTIONS} keep-alive connections, ${DURATION_S} s each, servers in child processes)`,
    );
    console.log(
      `  ${'what'.padEnd(30)} ${'req/s'.padStart(8)} ${'of bare'.padStart(8)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} errors`,
    );
    for (const [name, f] of rows) {
      console.log(
        `  ${name.padEnd(30)} ${f.rps.toFixed(0).padStart(8)} ${`${((f.rps / hello.rps) * 100).toFixed(0)}%`.padStart(8)} ${`${f.p50} ms`.padStart(7)} ${`${f.p99} ms`.padStart(7)} ${f.errors}`,
      );
    }
    console.log(
      `  ${'store alone, no HTTP (32 at once)'.padEnd(30)} ${storeOnly.toFixed(0).padStart(8)} ${`${((storeOnly / hello.rps) * 100).toFixed(0)}%`.padStart(8)}   (the ceiling of create)`,
    );
    console.log(
      `  one change to ${STREAMS} open SSE streams: p50 ${percentile(fanout, 50).toFixed(1)} ms, p99 ${percentile(fanout, 99).toFixed(1)} ms, last ${Math.max(...fanout).toFixed(1)} ms`,
    );
    console.log(
      `  server RSS: idle ${MB(idleRss)} (target < 150 MB), with ${STREAMS} streams ${MB(streamsRss)} (target < 250 MB)`,
    );
    console.log('  targets: create and claim >= 30% of bare, p99 < 50 ms');
  } finally {
    await Promise.all([stop(bare), stop(app)]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
