import { asAadObjectId, type ConversationRef, type ConversationStore } from '@shared';

/** One fresh store for one test, and its clean-up. */
export type ConversationStoreHarness = {
  readonly store: ConversationStore;
  readonly cleanup: () => Promise<void>;
};

const alice = asAadObjectId('aad-alice');
const bob = asAadObjectId('aad-bob');

const aRef = (overrides: Partial<ConversationRef> = {}): ConversationRef => ({
  conversationId: 'a:1',
  conversationType: 'personal',
  tenantId: 'tenant-1',
  locale: 'de-DE',
  updatedAt: '2026-11-25T09:00:00.000Z',
  address: {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.test/teams/',
    botId: '28:bot',
    botName: 'One-Time Call',
    userId: '29:alice',
  },
  ...overrides,
});

/** The behaviour every {@link ConversationStore} adapter must show. No adapter-specific branches. */
export function conversationStoreContract(
  name: string,
  create: () => Promise<ConversationStoreHarness>,
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let harness: ConversationStoreHarness;
    let store: ConversationStore;
    beforeEach(async () => {
      harness = await create();
      store = harness.store;
    });
    afterEach(() => harness.cleanup());

    it('returns undefined for a key never stored', async () => {
      await expect(store.get({ kind: 'personal', agentId: alice })).resolves.toBeUndefined();
      await expect(store.get({ kind: 'team', teamId: 't1' })).resolves.toBeUndefined();
    });

    it('returns every field of the reference last put for a key', async () => {
      await store.put({ kind: 'personal', agentId: alice }, aRef({ conversationId: 'a:1' }));
      await store.put(
        { kind: 'personal', agentId: alice },
        aRef({ conversationId: 'a:2', updatedAt: '2026-11-25T10:00:00.000Z' }),
      );
      await expect(store.get({ kind: 'personal', agentId: alice })).resolves.toEqual(
        aRef({ conversationId: 'a:2', updatedAt: '2026-11-25T10:00:00.000Z' }),
      );
    });

    it('keeps personal and team keys apart, and agents apart', async () => {
      await store.put({ kind: 'personal', agentId: alice }, aRef({ conversationId: 'alice' }));
      await store.put({ kind: 'team', teamId: alice }, aRef({ conversationId: 'team' }));
      await expect(store.get({ kind: 'personal', agentId: alice })).resolves.toMatchObject({
        conversationId: 'alice',
      });
      await expect(store.get({ kind: 'team', teamId: alice })).resolves.toMatchObject({
        conversationId: 'team',
      });
      await expect(store.get({ kind: 'personal', agentId: bob })).resolves.toBeUndefined();
    });

    it('keeps optional fields absent', async () => {
      const minimal: ConversationRef = {
        conversationId: '19:x@thread.tacv2',
        updatedAt: '2026-11-25T09:00:00.000Z',
        address: {
          channelId: 'msteams',
          serviceUrl: 'http://127.0.0.1:1/',
          botId: '28:bot',
        },
      };
      await store.put({ kind: 'team', teamId: 't1' }, minimal);
      const got = await store.get({ kind: 'team', teamId: 't1' });
      expect(got).toMatchObject(minimal);
      expect(got?.address['userId']).toBeUndefined();
      expect(got?.locale).toBeUndefined();
    });

    it('removes a key and says whether there was one', async () => {
      await store.put({ kind: 'personal', agentId: alice }, aRef());
      await store.put({ kind: 'personal', agentId: bob }, aRef());
      await expect(store.remove({ kind: 'personal', agentId: alice })).resolves.toBe(true);
      await expect(store.remove({ kind: 'personal', agentId: alice })).resolves.toBe(false);
      await expect(store.get({ kind: 'personal', agentId: alice })).resolves.toBeUndefined();
      await expect(store.get({ kind: 'personal', agentId: bob })).resolves.toBeDefined();
    });

    it('migrates twice without harm and keeps the data', async () => {
      await store.put({ kind: 'team', teamId: 't1' }, aRef());
      await store.migrate();
      await expect(store.get({ kind: 'team', teamId: 't1' })).resolves.toBeDefined();
    });
  });
}
