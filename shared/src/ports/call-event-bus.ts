import type { CallEvent, CallRecord } from '../domain/call';

/** A call after a change, with the event that changed it. */
export type CallChange = {
  readonly call: CallRecord;
  readonly event: CallEvent;
};

/**
 * Fans call changes out to listeners (server-sent events, the bot's notifier), in this process and,
 * with PostgreSQL, in every instance. Delivery is best effort and may repeat: listeners compare
 * `call.version`. The durable record is the store's event log.
 */
export interface CallEventBus {
  publish(change: CallChange): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (change: CallChange) => void): () => void;
  close(): Promise<void>;
}
