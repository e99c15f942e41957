import { ConfigError, loadConfig } from '../../../bot/src/config';

const TEAMS_ENV = {
  PUBLIC_BASE_URL: 'https://calls.contoso.com',
  AAD_APP_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  AAD_APP_TENANT_ID: '72f988bf-0000-4000-8000-000000000001',
  AAD_APP_CLIENT_SECRET: 'from-env-user-file',
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

describe('Teams production settings', () => {
  it('defaults the Application ID URI, authority, Graph root and lobby window', () => {
    const config = loadConfig(TEAMS_ENV);
    expect(config.mode).toBe('teams');
    expect(config.meetingProvider).toBe('teams');
    expect(config).toMatchObject({
      teams: {
        appIdUri: 'api://calls.contoso.com/11111111-2222-4333-8444-555555555555',
        authorityHost: 'https://login.microsoftonline.com',
        graphBaseUrl: 'https://graph.microsoft.com/v1.0',
        lobbyOpenSeconds: 600,
        creatorGroupId: undefined,
      },
      bot: { registration: undefined },
    });
    // As the toolkit registers it (botFramework/create): single-tenant, in the app's tenant.
    expect(loadConfig({ ...TEAMS_ENV, BOT_ID: 'b', BOT_PASSWORD: 'p' }).bot.registration).toEqual({
      id: 'b',
      password: 'p',
      tenantId: TEAMS_ENV.AAD_APP_TENANT_ID,
      type: 'SingleTenant',
    });
  });

  it('registers the bot as the toolkit does: single-tenant, in the app tenant, unless told otherwise', () => {
    const withBot = { ...TEAMS_ENV, BOT_ID: 'bot-app', BOT_PASSWORD: 'from-env-user-file' };
    expect(loadConfig(withBot).bot.registration).toMatchObject({
      type: 'SingleTenant',
      tenantId: TEAMS_ENV.AAD_APP_TENANT_ID,
    });
    expect(loadConfig({ ...withBot, BOT_TYPE: 'MultiTenant' }).bot.registration?.type).toBe(
      'MultiTenant',
    );
    expect(loadConfig({ ...withBot, BOT_TENANT_ID: 'other' }).bot.registration?.tenantId).toBe(
      'other',
    );
    // Embedded mode (the Agents Playground, a bot of its own): no tenant is assumed.
    expect(loadConfig({ BOT_ID: 'bot-app', BOT_PASSWORD: 'p' }).bot.registration).toMatchObject({
      type: 'MultiTenant',
      tenantId: undefined,
    });
  });

  it('selects the browser call in Teams mode with MEETING_PROVIDER=browser (no client secret needed)', () => {
    const config = loadConfig({
      ...TEAMS_ENV,
      AAD_APP_CLIENT_SECRET: '',
      MEETING_PROVIDER: 'browser',
    });
    expect(config.meetingProvider).toBe('browser');
    expect(loadConfig({ ...TEAMS_ENV, MEETING_PROVIDER: 'local' }).meetingProvider).toBe('browser');
    expect(loadConfig({}).meetingProvider).toBe('browser');
  });

  it('reads the overrides', () => {
    const config = loadConfig({
      ...TEAMS_ENV,
      AAD_APP_ID_URI: 'api://tab.contoso.com/abc',
      ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us/',
      GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0/',
      CREATOR_GROUP_ID: 'group-1',
      LOBBY_OPEN_SECONDS: '300',
      BOT_ID: 'b',
      BOT_PASSWORD: 'p',
      BOT_TENANT_ID: 't1',
    });
    expect(config).toMatchObject({
      teams: {
        appIdUri: 'api://tab.contoso.com/abc',
        authorityHost: 'https://login.microsoftonline.us',
        graphBaseUrl: 'https://graph.microsoft.us/v1.0',
        creatorGroupId: 'group-1',
        lobbyOpenSeconds: 300,
      },
      bot: { registration: { type: 'SingleTenant', tenantId: 't1' } },
    });
  });

  it('names every bad Teams key', () => {
    expect(
      problemsOf({
        ...TEAMS_ENV,
        AAD_APP_ID_URI: 'https://not-api',
        ENTRA_AUTHORITY_HOST: 'login.microsoftonline.com',
        LOBBY_OPEN_SECONDS: '5',
        BOT_TYPE: 'Both',
      })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['AAD_APP_ID_URI', 'BOT_TYPE', 'ENTRA_AUTHORITY_HOST', 'LOBBY_OPEN_SECONDS']);
  });

  it('needs the tenant id in Teams mode and the client secret for Teams meetings', () => {
    expect(
      problemsOf({
        PUBLIC_BASE_URL: TEAMS_ENV.PUBLIC_BASE_URL,
        AAD_APP_CLIENT_ID: TEAMS_ENV.AAD_APP_CLIENT_ID,
      }),
    ).toEqual([
      'AAD_APP_TENANT_ID: required in Teams mode (the tenant whose SSO tokens are accepted)',
      'AAD_APP_CLIENT_SECRET: required for Teams meetings (Graph on-behalf-of and app tokens)',
    ]);
    expect(
      problemsOf({ ...TEAMS_ENV, AAD_APP_CLIENT_SECRET: '', MEETING_PROVIDER: 'local' }),
    ).toEqual([]);
  });

  it('needs the client secret for a creator or reports group, whose membership Graph answers', () => {
    const browser = { ...TEAMS_ENV, AAD_APP_CLIENT_SECRET: '', MEETING_PROVIDER: 'browser' };
    expect(problemsOf({ ...browser, CREATOR_GROUP_ID: 'g1', REPORTS_GROUP_ID: 'g2' })).toEqual([
      'CREATOR_GROUP_ID: needs AAD_APP_CLIENT_SECRET (group membership is read through Graph)',
      'REPORTS_GROUP_ID: needs AAD_APP_CLIENT_SECRET (group membership is read through Graph)',
    ]);
    expect(problemsOf({ ...TEAMS_ENV, CREATOR_GROUP_ID: 'g1', REPORTS_GROUP_ID: 'g2' })).toEqual(
      [],
    );
  });
});
