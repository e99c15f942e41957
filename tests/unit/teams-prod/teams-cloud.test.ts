import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asAadObjectId, isAppError } from '@shared';
import { buildApp } from '../../../bot/src/build-app';
import { CryptoRandomSource } from '../../../bot/src/adapters/system/node-system';
import { loadConfig } from '../../../bot/src/config';
import { createLogger } from '../../../bot/src/logger';
import { buildCloud } from '../../../bot/src/teams-cloud';

// Teams mode with browser meetings may run without a client secret (on purpose). Graph then has no
// credentials, so what needs it must be absent, not built with an empty secret to fail on each use.

const ENV = {
  PUBLIC_BASE_URL: 'https://calls.contoso.com',
  AAD_APP_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  AAD_APP_TENANT_ID: '72f988bf-0000-4000-8000-000000000001',
  MEETING_PROVIDER: 'browser',
  TEAMS_APP_ID: '99999999-2222-4333-8444-555555555555',
  // Unreachable: a Graph or Entra request would fail, not answer.
  ENTRA_AUTHORITY_HOST: 'https://127.0.0.1:9',
  GRAPH_BASE_URL: 'https://127.0.0.1:9/v1.0',
};

const cloudOf = (env: Record<string, string>) => {
  const config = loadConfig(env);
  if (config.mode !== 'teams') throw new Error('expected Teams mode');
  return buildCloud(config, new CryptoRandomSource(), createLogger('silent'), undefined);
};

const AGENT = asAadObjectId('aaaaaaaa-2222-4333-8444-555555555555');

describe('Teams mode without AAD_APP_CLIENT_SECRET', () => {
  it('does not install the app proactively (that needs Graph)', () => {
    expect(cloudOf(ENV).installer).toBeUndefined();
    expect(cloudOf({ ...ENV, AAD_APP_CLIENT_SECRET: 's' }).installer).toBeDefined();
  });

  it('refuses team membership with a 403 that names the missing setting', async () => {
    const error: unknown = await cloudOf(ENV)
      .teams.isMember(AGENT, 'team-1')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isAppError(error, 'forbidden')).toBe(true);
    expect((error as Error).message).toMatch(/AAD_APP_CLIENT_SECRET/);
  });

  it('shows organisation figures to nobody, without asking Graph', async () => {
    await expect(cloudOf(ENV).reportsGroup?.isMember(AGENT)).resolves.toBe(false);
  });
});

describe('a server in Teams mode with browser meetings and no client secret', () => {
  it('is built (it threw while building MSAL with an empty secret)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'otc-no-secret-'));
    try {
      const config = loadConfig({ ...ENV, NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir });
      const app = await buildApp(config, { sweeper: false, notifier: false });
      await app.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
