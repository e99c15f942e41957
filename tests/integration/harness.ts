import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/src/config';
import { startServer, type AppOverrides, type RunningServer } from '../../bot/src/main';

export { FakeClock } from '../fakes/fake-clock';

/** A running test server with its temp SQLite file; `close` removes both. */
export type TestServer = RunningServer & { readonly dataDir: string };

/**
 * Starts the real app on an ephemeral loopback port with a fresh SQLite file (or the given
 * overrides) and the given environment on top of the embedded defaults.
 */
export async function startTestServer(
  options: { readonly env?: Record<string, string>; readonly overrides?: AppOverrides } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'otc-test-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, ...options.env });
  const server = await startServer(config, { sweeper: false, ...options.overrides });
  return {
    ...server,
    dataDir,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Alias used by the e2e suite. */
export const startServerForTests = startTestServer;
