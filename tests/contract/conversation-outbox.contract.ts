import {
  asAadObjectId,
  type ConversationRef,
  type NewOutboxEntry,
  type NotificationOutbox,
} from '@shared';

/** One fresh outbox for one test, another handle on the same data, and the clean-up. */
export type NotificationOutboxHarness = {
  readonly outbox: NotificationOutbox;
  /** A second handle on the same database (another instance). */
  readonly connect: () => Promise<NotificationOutbox>;
  readonly cleanup: () => Promise<void>;
};

const alice = asAadObjectId('aad-alice');
const bob = asAadObjectId('aad-bob');
const T = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds)).toISOString();

const anEntry = (overrides: Partial<NewOutboxEntry> = {}): NewOutboxEntry => ({
  id: 'call-1:2:card:personal',
  callId: 'call-1',
  agentId: alice,
  seq: 2,
  kind: 'card',
  target: { kind: 'personal', agentId: alice },
  dueAt: T(0),
  createdAt: T(0),
  ...overrides,
});

const aRef = (conversationId: string): ConversationRef => ({
  conversationId,
  locale: 'en-US',
  updatedAt: T(0),
  address: {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.test/',
    botId: '28:bot',
  },
});

/** The behaviour every {@link NotificationOutbox} adapter must show. No adapter-specific branches. */
export function notificationOutboxContract(
  name: string,
  create: () => Promise<NotificationOutboxHarness>,
): void {
  describe(`NotificationOutbox contract: ${name}`, () => {
    let harness: NotificationOutboxHarness;
    let outbox: NotificationOutbox;
    beforeEach(async () => {
      harness = await create();
      outbox = harness.outbox;
    });
    afterEach(() => harness.cleanup());

    it('starts the cursor at 0, saves it, and never moves it back', async () => {
      await expect(outbox.cursor('feed')).resolves.toBe(0);
      await outbox.saveCursor('feed', 7);
      await outbox.saveCursor('feed', 3);
      await expect(outbox.cursor('feed')).resolves.toBe(7);
      await expect(outbox.cursor('other')).resolves.toBe(0);
    });

    it('stores an entry once however often it is enqueued', async () => {
      await expect(outbox.enqueue([anEntry(), anEntry()])).resolves.toBe(1);
      await expect(outbox.enqueue([anEntry({ dueAt: T(50) })])).resolves.toBe(0);
      await expect(outbox.get('call-1:2:card:personal')).resolves.toEqual({
        ...anEntry(),
        status: 'pending',
        attempts: 0,
        updatedAt: T(0),
      });
      await expect(outbox.enqueue([])).resolves.toBe(0);
    });

    it('keeps an entry without a target without one', async () => {
      await outbox.enqueue([anEntry({ id: 'u', kind: 'update', target: undefined })]);
      const entry = await outbox.get('u');
      expect(entry?.kind).toBe('update');
      expect(entry?.target).toBeUndefined();
      await expect(outbox.get('nope')).resolves.toBeUndefined();
    });

    it('leases only due, pending, unheld entries, oldest seq first, up to the limit', async () => {
      await outbox.enqueue([
        anEntry({ id: 'c', seq: 3 }),
        anEntry({ id: 'a', seq: 1 }),
        anEntry({ id: 'later', seq: 0, dueAt: T(30) }),
        anEntry({ id: 'b', seq: 2 }),
      ]);
      const first = await outbox.lease(T(1), T(31), 2);
      expect(first.map((e) => e.id)).toEqual(['a', 'b']);
      const second = await outbox.lease(T(1), T(31), 10);
      expect(second.map((e) => e.id)).toEqual(['c']);
      await expect(outbox.lease(T(2), T(32), 10)).resolves.toEqual([]);
      // Leases run out: a crashed instance's entries come back.
      expect((await outbox.lease(T(31), T(61), 10)).map((e) => e.id)).toEqual([
        'later',
        'a',
        'b',
        'c',
      ]);
    });

    it('never hands one entry to two instances leasing at once', async () => {
      const other = await harness.connect();
      await outbox.enqueue(
        Array.from({ length: 20 }, (_, i) =>
          anEntry({ id: `e${String(i).padStart(2, '0')}`, seq: i }),
        ),
      );
      const [a, b] = await Promise.all([
        outbox.lease(T(1), T(60), 15),
        other.lease(T(1), T(60), 15),
      ]);
      const ids = [...a, ...b].map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(20);
    });

    it('completes an entry: no more leases, the error code is kept', async () => {
      await outbox.enqueue([anEntry({ id: 'x' }), anEntry({ id: 'y' })]);
      await outbox.lease(T(0), T(30), 10);
      await outbox.complete('x', 'sent', T(1));
      await outbox.complete('y', 'failed', T(2), 'http-403');
      await expect(outbox.get('x')).resolves.toMatchObject({ status: 'sent', updatedAt: T(1) });
      await expect(outbox.get('y')).resolves.toMatchObject({
        status: 'failed',
        lastError: 'http-403',
      });
      await expect(outbox.lease(T(100), T(130), 10)).resolves.toEqual([]);
    });

    it('retries: counts the attempt, releases the lease, waits until the new due time', async () => {
      await outbox.enqueue([anEntry({ id: 'x' })]);
      await outbox.lease(T(0), T(30), 10);
      await outbox.retry('x', T(10), T(1), 'http-429');
      await expect(outbox.get('x')).resolves.toMatchObject({
        status: 'pending',
        attempts: 1,
        dueAt: T(10),
        lastError: 'http-429',
      });
      await expect(outbox.lease(T(9), T(39), 10)).resolves.toEqual([]);
      expect((await outbox.lease(T(10), T(40), 10)).map((e) => e.attempts)).toEqual([1]);
    });

    it('remembers sent cards once, per call, oldest first', async () => {
      await outbox.recordSent({
        callId: 'call-1',
        conversationId: 'a:1',
        messageId: 'act-1',
        ref: aRef('a:1'),
        sentAt: T(1),
      });
      await outbox.recordSent({
        callId: 'call-1',
        conversationId: 'thread-1',
        messageId: 'act-2',
        ref: aRef('thread-1'),
        sentAt: T(2),
      });
      await outbox.recordSent({
        callId: 'call-1',
        conversationId: 'a:1',
        messageId: 'act-1',
        ref: aRef('a:1'),
        sentAt: T(3),
      });
      await outbox.recordSent({
        callId: 'call-2',
        conversationId: 'a:1',
        messageId: 'act-3',
        ref: aRef('a:1'),
        sentAt: T(4),
      });
      const cards = await outbox.sentCards('call-1');
      expect(cards.map((c) => c.messageId)).toEqual(['act-1', 'act-2']);
      expect(cards[0]).toEqual({
        callId: 'call-1',
        conversationId: 'a:1',
        messageId: 'act-1',
        ref: aRef('a:1'),
        sentAt: T(1),
      });
      await expect(outbox.sentCards('none')).resolves.toEqual([]);
    });

    it('remembers which entry posted a card', async () => {
      await outbox.recordSent({
        callId: 'call-1',
        conversationId: 'a:1',
        messageId: 'act-1',
        ref: aRef('a:1'),
        sentAt: T(1),
        entryId: 'call-1:2:card:personal',
      });
      await expect(outbox.sentCards('call-1')).resolves.toEqual([
        expect.objectContaining({ messageId: 'act-1', entryId: 'call-1:2:card:personal' }),
      ]);
    });

    it('lists an agent’s failures, newest first, up to the limit', async () => {
      await outbox.enqueue([
        anEntry({ id: 'f1', seq: 1 }),
        anEntry({ id: 'f2', seq: 2 }),
        anEntry({ id: 'ok', seq: 3 }),
        anEntry({ id: 'bob', seq: 4, agentId: bob }),
      ]);
      await outbox.complete('f1', 'failed', T(5), 'no-conversation');
      await outbox.complete('f2', 'failed', T(6), 'http-500');
      await outbox.complete('ok', 'sent', T(7));
      await outbox.complete('bob', 'failed', T(8), 'http-500');
      expect((await outbox.failures(alice, 10)).map((e) => e.id)).toEqual(['f2', 'f1']);
      expect((await outbox.failures(alice, 1)).map((e) => e.id)).toEqual(['f2']);
      expect((await outbox.failures(bob, 10)).map((e) => e.id)).toEqual(['bob']);
    });

    it('purges finished entries and sent cards older than the cut-off, never pending ones', async () => {
      await outbox.enqueue([
        anEntry({ id: 'old-sent' }),
        anEntry({ id: 'old-pending' }),
        anEntry({ id: 'new-failed' }),
      ]);
      await outbox.complete('old-sent', 'sent', T(1));
      await outbox.complete('new-failed', 'failed', T(20), 'http-500');
      await outbox.recordSent({
        callId: 'c',
        conversationId: 'a:1',
        messageId: 'old',
        ref: aRef('a:1'),
        sentAt: T(1),
      });
      await outbox.recordSent({
        callId: 'c',
        conversationId: 'a:1',
        messageId: 'new',
        ref: aRef('a:1'),
        sentAt: T(20),
      });
      await expect(outbox.purge(T(10))).resolves.toBe(2);
      await expect(outbox.get('old-sent')).resolves.toBeUndefined();
      await expect(outbox.get('old-pending')).resolves.toBeDefined();
      await expect(outbox.get('new-failed')).resolves.toBeDefined();
      expect((await outbox.sentCards('c')).map((c) => c.messageId)).toEqual(['new']);
    });

    it('migrates twice without harm and keeps the data', async () => {
      await outbox.enqueue([anEntry()]);
      await outbox.migrate();
      await expect(outbox.get(anEntry().id)).resolves.toBeDefined();
    });
  });
}
