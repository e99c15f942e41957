import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../bot/src/config';

const problemsOf = (env: Record<string, string>, cwd?: string): readonly string[] => {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('runs embedded with SQLite and sensible defaults from an empty environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      mode: 'embedded',
      port: 3978,
      host: '127.0.0.1',
      publicBaseUrl: 'http://localhost:3978',
      publicBaseUrlConfigured: false,
      storage: { kind: 'sqlite', file: '/srv/app/.data/one-time-call.sqlite' },
      meetingProvider: 'browser',
      calls: { lobbyTimeoutSeconds: 900, linkGraceMinutes: 60, defaultTimeZone: 'UTC' },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/calls' }).storage).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/calls',
    });
  });

  it('names every bad key at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_BASE_URL: 'calls.contoso.com',
      DATABASE_URL: 'mysql://x',
      LOBBY_TIMEOUT_SECONDS: '5',
      DEFAULT_TIME_ZONE: 'Europe/Atlantis',
      LOG_LEVEL: 'loud',
    });
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(
      [
        'DATABASE_URL',
        'DEFAULT_TIME_ZONE',
        'LOBBY_TIMEOUT_SECONDS',
        'LOG_LEVEL',
        'PORT',
        'PUBLIC_BASE_URL',
      ].sort(),
    );
  });

  it('refuses a bot id without its password and Teams meetings without Teams mode', () => {
    expect(problemsOf({ BOT_ID: 'b0b', MEETING_PROVIDER: 'teams' })).toEqual([
      'BOT_PASSWORD: required when BOT_ID is set',
      'MEETING_PROVIDER: "teams" needs AAD_APP_CLIENT_ID (Teams mode)',
    ]);
  });

  it('reads template overrides and refuses broken ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otc-config-'));
    writeFileSync(
      path.join(dir, 'ok.json'),
      JSON.stringify({ de: { sms: '{link} Bitte beitreten.' } }),
    );
    writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({ en: { sms: 'no link {agent}' }, fr: {} }),
    );
    writeFileSync(path.join(dir, 'broken.json'), '{ nope');
    expect(loadConfig({ TEMPLATES_FILE: 'ok.json' }, dir).calls.templates.de.sms).toBe(
      '{link} Bitte beitreten.',
    );
    expect(problemsOf({ TEMPLATES_FILE: 'broken.json' }, dir)[0]).toMatch(
      /^TEMPLATES_FILE: cannot read/,
    );
    expect(problemsOf({ TEMPLATES_FILE: 'bad.json' }, dir)).toEqual([
      'TEMPLATES_FILE: Unrecognized key: "fr"',
    ]);
    writeFileSync(
      path.join(dir, 'bad-sms.json'),
      JSON.stringify({ en: { sms: 'no link {agent}' } }),
    );
    expect(problemsOf({ TEMPLATES_FILE: 'bad-sms.json' }, dir)).toEqual([
      'TEMPLATES_FILE: en.sms: unknown placeholder {agent}',
      'TEMPLATES_FILE: en.sms: must contain {link}',
    ]);
    expect(problemsOf({ TEMPLATES_FILE: 'missing.json' }, dir)[0]).toMatch(
      /cannot read missing.json/,
    );
  });

  it('says what a bad configuration is, in one message, when the process starts', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: '-1', SWEEP_INTERVAL_SECONDS: '0' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(
      /^Invalid configuration:\n {2}- PORT: .*\n {2}- SWEEP_INTERVAL_SECONDS: /,
    );
  });
});
