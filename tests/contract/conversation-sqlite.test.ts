import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteConversationStore } from '../../bot/src/adapters/conversations/sqlite-conversation-store';
import { SqliteNotificationOutbox } from '../../bot/src/adapters/conversations/sqlite-notification-outbox';
import { notificationOutboxContract } from './conversation-outbox.contract';
import { conversationStoreContract } from './conversation-store.contract';

const dir = mkdtempSync(path.join(tmpdir(), 'otc-sqlite-conversations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const aFile = () => path.join(dir, `bot-${(files += 1)}.sqlite`);

conversationStoreContract('SqliteConversationStore', async () => {
  const store = new SqliteConversationStore(aFile());
  await store.migrate();
  return { store, cleanup: () => store.close() };
});

notificationOutboxContract('SqliteNotificationOutbox', async () => {
  const file = aFile();
  const outbox = new SqliteNotificationOutbox(file);
  await outbox.migrate();
  const opened = [outbox];
  return {
    outbox,
    connect: () => {
      const other = new SqliteNotificationOutbox(file);
      opened.push(other);
      return Promise.resolve(other);
    },
    cleanup: async () => {
      await Promise.all(opened.map((o) => o.close()));
    },
  };
});
