import express from 'express';
import request from 'supertest';
import { CloudAdapter } from 'botbuilder';
import type { JWTPayload } from 'jose';
import {
  createBotFrameworkAuth,
  type BotAuthSettings,
} from '../../bot/src/http/auth/bot-framework-auth';
import { botEndpoint } from '../../bot/src/http/bot-endpoint';
import { jsonErrorHandler } from '../../bot/src/http/errors';
import { BOT_OPENID_PATH, FakeEntra, unsignedToken } from '../fakes/fake-entra';
import { RecordingLogger } from '../unit/bot/world';

const BOT_ID = '22222222-3333-4444-8555-666666666666';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await FakeEntra.start();
});
afterAll(() => entra.stop());
// CloudAdapter prints every refused request with console.error; keep the test output readable.
beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

/** A tiny app: the same CloudAdapter wiring the bot uses, with a bot that records what reached it. */
function botApp(
  settings: Partial<BotAuthSettings> = {},
  options: { readonly guarded?: boolean } = {},
) {
  const adapter = new CloudAdapter(
    createBotFrameworkAuth({
      botId: BOT_ID,
      botPassword: 'not-a-real-secret',
      openIdMetadataUrl: `${entra.url}${BOT_OPENID_PATH}`,
      ...settings,
    }),
  );
  const reached: string[] = [];
  adapter.onTurnError = (_ctx, error) =>
    Promise.reject(error instanceof Error ? error : new Error(String(error)));
  const app = express();
  app.use(express.json());
  const handler = (req: express.Request, res: express.Response) =>
    adapter.process(req, res, (ctx) => {
      reached.push(ctx.activity.text);
      return Promise.resolve();
    });
  if (options.guarded) {
    // The server's own endpoint: checks before botbuilder runs.
    app.post('/api/messages', botEndpoint({ handler, localTrust: undefined }));
    app.use(jsonErrorHandler(new RecordingLogger()));
  } else app.post('/api/messages', handler);
  return { app, reached };
}

const activity = {
  type: 'message',
  id: 'a1',
  text: 'list',
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  from: { id: '29:agent', aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' },
  recipient: { id: `28:${BOT_ID}` },
  conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: 't1' },
  channelData: { tenant: { id: 't1' } },
};

/** The claims of a token the Bot Framework channel sends to a bot. */
const channelClaims = (overrides: JWTPayload = {}): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://api.botframework.com',
    aud: BOT_ID,
    serviceurl: SERVICE_URL,
    nbf: now - 60,
    exp: now + 3600,
    ...overrides,
  };
};

const post = (app: express.Express, authorization?: string) => {
  const r = request(app).post('/api/messages').send(activity);
  return authorization === undefined ? r : r.set('Authorization', authorization);
};

describe('POST /api/messages with BOT_ID/BOT_PASSWORD set', () => {
  it('accepts a valid Bot Framework channel token and runs the bot', async () => {
    const { app, reached } = botApp();
    const response = await post(app, `Bearer ${await entra.sign(channelClaims())}`);
    expect(response.status).toBe(200);
    expect(reached).toEqual(['list']);
  });

  it('refuses a request without a token', async () => {
    const { app, reached } = botApp();
    const response = await post(app);
    expect(response.status).toBe(401);
    expect(reached).toEqual([]);
  });

  it.each([
    ['a token that is not a JWT', () => Promise.resolve('Bearer not-a-jwt')],
    ['alg none', () => Promise.resolve(`Bearer ${unsignedToken(channelClaims())}`)],
    [
      'a token for another bot',
      async () => `Bearer ${await entra.sign(channelClaims({ aud: 'some-other-bot' }))}`,
    ],
    [
      'a token from another issuer',
      async () => `Bearer ${await entra.sign(channelClaims({ iss: 'https://evil.example.com' }))}`,
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await entra.sign(channelClaims({ exp: Math.floor(Date.now() / 1000) - 3600 }))}`,
    ],
    [
      'a token for another service URL',
      async () =>
        `Bearer ${await entra.sign(channelClaims({ serviceurl: 'https://evil.example.com/' }))}`,
    ],
    [
      'a token signed by an unknown key',
      async () => `Bearer ${await entra.sign(channelClaims(), await FakeEntra.makeKey('rogue'))}`,
    ],
  ])('refuses %s', async (_name, header) => {
    const { app, reached } = botApp();
    const response = await post(app, await header());
    expect(response.status).toBe(401);
    expect(reached).toEqual([]);
  });
});

describe('POST /api/messages without BOT_ID (embedded mode, local only)', () => {
  it('accepts anonymous requests, which is why production must set BOT_ID', async () => {
    const { app, reached } = botApp({ botId: undefined, botPassword: undefined });
    const response = await post(app);
    expect(response.status).toBe(200);
    expect(reached).toEqual(['list']);
  });
});

describe('a channel token without exp (issue 13)', () => {
  it('is refused by the bot endpoint, though botbuilder alone would accept it forever', async () => {
    const { exp: _exp, ...claims } = channelClaims();
    const header = `Bearer ${await entra.sign(claims)}`;
    // The gap: botbuilder's verifier checks `exp` only when present.
    expect((await post(botApp().app, header)).status).toBe(200);

    const { app, reached } = botApp({}, { guarded: true });
    const response = await post(app, header);
    expect(response.status).toBe(401);
    expect(reached).toEqual([]);
    // A normal token still passes the guard.
    expect((await post(app, `Bearer ${await entra.sign(channelClaims())}`)).status).toBe(200);
    expect(reached).toEqual(['list']);
  });
});
