import {
  InMemoryConversationStore,
  InMemoryNotificationOutbox,
} from '../../bot/src/adapters/conversations/in-memory';
import { notificationOutboxContract } from './conversation-outbox.contract';
import { conversationStoreContract } from './conversation-store.contract';

conversationStoreContract('InMemoryConversationStore', () =>
  Promise.resolve({ store: new InMemoryConversationStore(), cleanup: () => Promise.resolve() }),
);

notificationOutboxContract('InMemoryNotificationOutbox', () => {
  const outbox = new InMemoryNotificationOutbox();
  // One object is "the database": a second handle is the same object.
  return Promise.resolve({
    outbox,
    connect: () => Promise.resolve(outbox),
    cleanup: () => Promise.resolve(),
  });
});
