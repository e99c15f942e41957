import type { ConversationRef } from '@shared';
import { adaptiveCard } from '../../bot/src/teams/cards/lobby-card';
import {
  BotConnectorClient,
  DeliveryError,
  parseRetryAfter,
} from '../../bot/src/teams/delivery/connector-client';
import { FakeBotConnector, cardOf } from '../fakes/fake-bot-connector';

let connector: FakeBotConnector;
beforeEach(async () => {
  connector = await new FakeBotConnector().start();
});
afterEach(() => connector.stop());

const card = adaptiveCard([{ type: 'TextBlock', text: 'hello' }]);
const ref = (serviceUrl: string): ConversationRef => ({
  conversationId: 'a:1',
  tenantId: 'tenant-1',
  updatedAt: '2026-11-25T09:00:00.000Z',
  address: {
    channelId: 'msteams',
    serviceUrl,
    botId: '28:bot',
    botName: 'One-Time Call',
    userId: '29:alice',
  },
});
const withToken = () => new BotConnectorClient({ token: () => Promise.resolve('token-123') });

describe('BotConnectorClient', () => {
  it('posts a card to a conversation with the bearer token and returns its activity id', async () => {
    const sent = await withToken().send(ref(connector.url), card);
    expect(sent).toEqual({ conversationId: 'a:1', activityId: 'activity-1' });
    const [request] = connector.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: expect.stringMatching(/^\/v3\/conversations\/a(:|%3A)1\/activities$/) as string,
      conversationId: 'a:1',
      authorization: 'Bearer token-123',
    });
    expect(request!.body).toMatchObject({
      type: 'message',
      from: { id: '28:bot' },
      recipient: { id: '29:alice' },
      conversation: { id: 'a:1', tenantId: 'tenant-1' },
    });
    expect(cardOf(request!)).toEqual(card);
  });

  it('starts a new thread in a channel through POST /v3/conversations', async () => {
    const sent = await withToken().send(ref(connector.url), card, {
      channelId: '19:queue@thread.tacv2',
    });
    expect(sent).toEqual({ conversationId: 'conversation-1', activityId: 'activity-1' });
    expect(connector.requests[0]!.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: '19:queue@thread.tacv2' }, tenant: { id: 'tenant-1' } },
      activity: { type: 'message' },
    });
  });

  it('updates a sent card with PUT', async () => {
    await withToken().update(ref(connector.url), 'activity-9', card);
    expect(connector.requests[0]).toMatchObject({
      method: 'PUT',
      activityId: 'activity-9',
      conversationId: 'a:1',
    });
    expect(connector.requests[0]!.body).toMatchObject({ id: 'activity-9', type: 'message' });
  });

  it('sends no Authorization header when authentication is off', async () => {
    await new BotConnectorClient({ token: () => Promise.resolve(undefined) }).send(
      ref(connector.url),
      card,
    );
    expect(connector.requests[0]!.authorization).toBeUndefined();
  });

  it('goes to the override instead of the reference’s serviceUrl', async () => {
    const client = new BotConnectorClient({
      token: () => Promise.resolve(undefined),
      serviceUrlOverride: connector.url,
    });
    await client.send(ref('https://smba.trafficmanager.net/teams/'), card);
    expect(connector.requests).toHaveLength(1);
  });

  it('turns 429 into a retryable DeliveryError with Retry-After', async () => {
    connector.failNext({ status: 429, retryAfter: '3' });
    const error = await withToken()
      .send(ref(connector.url), card)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, retryable: true });
  });

  it('treats 5xx and an unreachable connector as retryable, other 4xx as final', async () => {
    connector.failNext({ status: 502 });
    connector.failNext({ status: 403 });
    const client = withToken();
    await expect(client.send(ref(connector.url), card)).rejects.toMatchObject({
      status: 502,
      retryable: true,
    });
    await expect(client.send(ref(connector.url), card)).rejects.toMatchObject({
      status: 403,
      retryable: false,
    });
    await connector.stop();
    await expect(client.send(ref(connector.url), card)).rejects.toMatchObject({
      status: undefined,
      retryable: true,
    });
    connector = await new FakeBotConnector().start();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T09:00:00.000Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
