import { PostgresConversationStore } from '../../bot/src/adapters/conversations/postgres-conversation-store';
import { PostgresNotificationOutbox } from '../../bot/src/adapters/conversations/postgres-notification-outbox';
import { notificationOutboxContract } from './conversation-outbox.contract';
import { conversationStoreContract } from './conversation-store.contract';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

describePostgres('PostgreSQL conversation adapters', () => {
  conversationStoreContract('PostgresConversationStore', async () => {
    const schema = aSchemaName();
    const store = new PostgresConversationStore(TEST_DATABASE_URL, { schema });
    await store.migrate();
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });

  notificationOutboxContract('PostgresNotificationOutbox', async () => {
    const schema = aSchemaName();
    const outbox = new PostgresNotificationOutbox(TEST_DATABASE_URL, { schema });
    await outbox.migrate();
    const opened = [outbox];
    return {
      outbox,
      connect: () => {
        const other = new PostgresNotificationOutbox(TEST_DATABASE_URL, { schema });
        opened.push(other);
        return Promise.resolve(other);
      },
      cleanup: async () => {
        await Promise.all(opened.map((o) => o.close()));
        await dropSchema(schema);
      },
    };
  });
});
