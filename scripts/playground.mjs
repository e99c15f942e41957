// `npm run playground`: the Microsoft 365 Agents Playground (a local Teams chat emulator, offline)
// against the running bot. Start the server first (`npm start`, embedded mode: no BOT_ID, so the bot
// accepts the playground's unauthenticated activities). Then open http://localhost:56150.
//
// Environment: PORT (the server's port, default 3978), BOT_ENDPOINT (overrides the whole URL),
// PLAYGROUND_PORT (the playground's own port, default 56150). Extra arguments go to the playground.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const serverPort = process.env.PORT || '3978';
// 127.0.0.1, not localhost: the server listens on IPv4 loopback by default.
const endpoint = process.env.BOT_ENDPOINT || `http://127.0.0.1:${serverPort}/api/messages`;
const playgroundPort = process.env.PLAYGROUND_PORT || '56150';

if (process.env.BOT_ID) {
  console.warn(
    'BOT_ID is set: the bot checks Bot Framework tokens and the playground sends none.\n' +
      'Run the server without BOT_ID (embedded mode) for the playground.',
  );
}

try {
  const health = await fetch(new URL('/healthz', endpoint), { signal: AbortSignal.timeout(2000) });
  if (!health.ok) throw new Error(`status ${health.status}`);
} catch {
  console.warn(`No server answers at ${endpoint}. Start it first in another terminal: npm start\n`);
}

const require = createRequire(import.meta.url);
const cli = path.join(
  path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
  'cli.js',
);
const args = [
  cli,
  '--app-endpoint',
  endpoint,
  '--channel-id',
  'msteams',
  '--port',
  playgroundPort,
  '--disable-telemetry',
  ...process.argv.slice(2),
];
console.log(
  `Agents Playground → ${endpoint}\nOpen http://localhost:${playgroundPort} in a browser.\n`,
);
const child = spawn(process.execPath, args, { stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
