// PostgreSQL storage, in its own module so that `pg` and the PostgreSQL adapters are loaded only
// when DATABASE_URL is configured (build-app imports it on demand).
import type { Pool } from 'pg';
import { PostgresConversationStore } from './adapters/conversations/postgres-conversation-store';
import { PostgresNotificationOutbox } from './adapters/conversations/postgres-notification-outbox';
import { PostgresMeetingSyncOutbox } from './adapters/meeting-sync/postgres-meeting-sync-outbox';
import { PostgresReportStore } from './adapters/reports/postgres-report-store';
import { PostgresCallEventBus } from './adapters/storage/postgres-call-event-bus';
import { PostgresCallSignalStore } from './adapters/storage/postgres-call-signal-store';
import { PostgresCallStore } from './adapters/storage/postgres-call-store';
import type { Storage } from './build-app';
import { errorFields, type Logger } from './logger';

/** The calls' store and bus and the bot's stores; the bot's stores share the calls' one pool. */
export function buildPostgresStorage(
  config: { readonly url: string; readonly schema?: string | undefined },
  logger: Logger,
): Storage {
  const { url, schema } = config;
  const store = new PostgresCallStore(url, {
    schema,
    onBackgroundError: (error) =>
      logger.warn('idle database connection failed', errorFields(error)),
  });
  const pool: Pool = store.pool;
  return {
    store,
    bus: new PostgresCallEventBus(url, store, {
      onError: (error) => logger.warn('call change fan-out failed', errorFields(error)),
    }),
    // They borrow the calls' pool (one pool per instance, not three); the call store closes it.
    conversations: new PostgresConversationStore(pool, { schema }),
    outbox: new PostgresNotificationOutbox(pool, { schema }),
    reports: new PostgresReportStore(pool, { schema }),
    signals: new PostgresCallSignalStore(pool, { schema }),
    meetingSync: new PostgresMeetingSyncOutbox(pool, { schema }),
  };
}
