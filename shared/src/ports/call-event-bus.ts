import type { CallEvent, CallRecord } from '../domain/call';

/** A call after a change, with the event that changed it. */
export type CallChange = {
  readonly call: CallRecord;
  readonly event: CallEvent;
};

/**
 * A browser call's signalling changed: `signal`, a message was stored; `seat`, a side joined, was
 * replaced, went absent or came back. Ids only: listeners read the rest from the signal store.
 */
export type CallRoomNote = {
  readonly callId: string;
  readonly kind: 'signal' | 'seat';
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
  /** Announces a signalling change to every instance (best effort, may repeat). */
  announce(note: CallRoomNote): Promise<void>;
  /** Listens for signalling changes. Returns the function that unsubscribes. */
  subscribeRoom(listener: (note: CallRoomNote) => void): () => void;
  close(): Promise<void>;
}
