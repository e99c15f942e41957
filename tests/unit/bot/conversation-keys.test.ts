import { decodeRef } from '../../../bot/src/adapters/conversations/keys';

describe('decodeRef', () => {
  it('reads a stored reference with its channel address', () => {
    const ref = {
      conversationId: 'a:1',
      locale: 'de-DE',
      updatedAt: '2026-11-25T09:00:00.000Z',
      address: { channelId: 'msteams', serviceUrl: 'https://smba.example.test/', botId: '28:bot' },
    };
    expect(decodeRef(JSON.stringify(ref))).toEqual({
      ...ref,
      conversationType: undefined,
      tenantId: undefined,
    });
  });

  it('moves the channel facts of a reference stored before addresses into its address', () => {
    const legacy = {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.test/',
      conversationId: 'a:1',
      tenantId: 't1',
      botId: '28:bot',
      userId: '29:alice',
      updatedAt: '2026-11-25T09:00:00.000Z',
    };
    expect(decodeRef(JSON.stringify(legacy))).toEqual({
      conversationId: 'a:1',
      conversationType: undefined,
      tenantId: 't1',
      locale: undefined,
      updatedAt: '2026-11-25T09:00:00.000Z',
      address: {
        channelId: 'msteams',
        serviceUrl: 'https://smba.example.test/',
        botId: '28:bot',
        userId: '29:alice',
      },
    });
  });
});
