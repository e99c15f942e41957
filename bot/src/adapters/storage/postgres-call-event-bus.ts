import { randomBytes } from 'node:crypto';
import { Client, type Notification, type Pool } from 'pg';
import type { CallChange, CallEventBus, CallRoomNote, CallStore } from '@shared';
import { createPostgresPool, translatePgError } from './postgres-pool';

/** The NOTIFY channel every instance listens on. */
export const CALL_CHANGES_CHANNEL = 'one_time_call_changes';
/** The NOTIFY channel of browser-call signalling notes (`<callId>:<kind>:<instance>`). */
export const CALL_ROOMS_CHANNEL = 'one_time_call_rooms';

/** Options of {@link PostgresCallEventBus}. */
export type PostgresCallEventBusOptions = {
  /** Failures that cannot be thrown to anyone: a lost connection, a failed NOTIFY, a listener that threw. */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** First wait before reconnecting the listening connection; doubles up to 10 s. @default 500 */
  readonly reconnectDelayMs?: number | undefined;
  /** Shown in `pg_stat_activity` for the listening connection. @default "one-time-call-listener" */
  readonly applicationName?: string | undefined;
};

const MAX_RECONNECT_DELAY_MS = 10_000;
/** How many calls' last delivered versions are remembered (to drop repeats). */
const REMEMBERED_CALLS = 10_000;
const CATCH_UP_PAGE = 500;
const CATCH_UP_PAGES = 20;

/**
 * Call changes across instances through PostgreSQL `LISTEN/NOTIFY`. `publish` hands the change to
 * this instance's listeners at once and sends `NOTIFY one_time_call_changes, '<callId>:<version>'`
 * (ids only: no personal data leaves the row). Every instance keeps one listening connection; a
 * notification makes it re-read the call and its latest event from the store and pass them on. After
 * the listening connection drops it reconnects and replays, from the store's event log, the calls
 * that changed meanwhile. Each instance passes on every version of a call at most once, in order
 * (a version may be skipped when a later one is already stored).
 */
export class PostgresCallEventBus implements CallEventBus {
  private readonly listeners = new Set<(change: CallChange) => void>();
  private readonly roomListeners = new Set<(note: CallRoomNote) => void>();
  /** Tells this instance's own room notes apart from the others' (they were delivered already). */
  private readonly instance = randomBytes(6).toString('hex');
  private readonly notifier: Pool;
  private readonly delivered = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly onError: (error: unknown) => void;
  private readonly firstDelay: number;
  private client: Client | undefined;
  private connecting: Promise<void>;
  private closed = false;
  private highestSeq = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly store: CallStore,
    private readonly options: PostgresCallEventBusOptions = {},
  ) {
    this.onError = options.onError ?? (() => undefined);
    this.firstDelay = options.reconnectDelayMs ?? 500;
    this.notifier = createPostgresPool(connectionString, {
      max: 2,
      applicationName: 'one-time-call-notifier',
      onBackgroundError: this.onError,
    });
    this.connecting = this.connect(false);
  }

  /** Resolves once this instance is listening (again); at once after `close`. */
  listening(): Promise<void> {
    return this.connecting;
  }

  async publish(change: CallChange): Promise<void> {
    this.deliver(change);
    try {
      await this.notifier.query('SELECT pg_notify($1, $2)', [
        CALL_CHANGES_CHANNEL,
        `${change.call.id}:${change.call.version}`,
      ]);
    } catch (error) {
      // Delivery is best effort: the change is stored; other instances catch up when they reconnect.
      this.onError(translatePgError(error, 'NOTIFY of a call change failed'));
    }
  }

  subscribe(listener: (change: CallChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Delivers the note here at once and sends `NOTIFY one_time_call_rooms, '<callId>:<kind>:<instance>'`
   * (ids only). A note missed while the listener reconnects is not replayed: clients poll their
   * cursor again on reconnect, and the sweeper re-announces absent seats.
   */
  async announce(note: CallRoomNote): Promise<void> {
    this.deliverRoom(note);
    try {
      await this.notifier.query('SELECT pg_notify($1, $2)', [
        CALL_ROOMS_CHANNEL,
        `${note.callId}:${note.kind}:${this.instance}`,
      ]);
    } catch (error) {
      this.onError(translatePgError(error, 'NOTIFY of a signalling change failed'));
    }
  }

  subscribeRoom(listener: (note: CallRoomNote) => void): () => void {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  }

  private deliverRoom(note: CallRoomNote): void {
    for (const listener of [...this.roomListeners]) {
      try {
        listener(note);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private onRoomNotification(payload: string | undefined): void {
    const match = /^(.+):(signal|seat):([0-9a-f]+)$/.exec(payload ?? '');
    if (!match?.[1] || !match[2] || match[3] === this.instance) return;
    this.deliverRoom({ callId: match[1], kind: match[2] as CallRoomNote['kind'] });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.roomListeners.clear();
    this.wake?.();
    const client = this.client;
    this.client = undefined;
    await Promise.allSettled([
      this.connecting,
      client?.end(),
      this.notifier.end(),
      ...this.queues.values(),
    ]);
  }

  private async connect(reconnecting: boolean): Promise<void> {
    let delay = this.firstDelay;
    while (!this.closed) {
      if (reconnecting) await this.sleep(delay);
      if (this.closed) return;
      reconnecting = true;
      const client = new Client({
        connectionString: this.connectionString,
        application_name: this.options.applicationName ?? 'one-time-call-listener',
        connectionTimeoutMillis: 5000,
      });
      client.on('notification', (message: Notification) =>
        message.channel === CALL_ROOMS_CHANNEL
          ? this.onRoomNotification(message.payload)
          : this.onNotification(message.payload),
      );
      client.on('error', (error) => this.dropped(client, error));
      client.on('end', () => this.dropped(client, undefined));
      try {
        await client.connect();
        await client.query(`LISTEN ${CALL_CHANGES_CHANNEL}`);
        await client.query(`LISTEN ${CALL_ROOMS_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        this.catchUp();
        return;
      } catch (error) {
        this.onError(translatePgError(error, 'Listening for call changes failed'));
        await client.end().catch(() => undefined); // already broken; the error above says why
        delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
      }
    }
  }

  private dropped(client: Client, error: Error | undefined): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.onError(
      translatePgError(
        error ?? new Error('Connection terminated'),
        'The call-change listener lost its connection',
      ),
    );
    client.end().catch(() => undefined); // the connection is gone either way
    this.connecting = this.connect(true);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private onNotification(payload: string | undefined): void {
    const match = /^(.+):(\d+)$/.exec(payload ?? '');
    if (!match?.[1] || !match[2]) return;
    const callId = match[1];
    if ((this.delivered.get(callId) ?? 0) >= Number(match[2])) return; // ours, or older than what we have
    this.refresh(callId);
  }

  /** Notifications missed while disconnected are found in the event log (only after a first event). */
  private catchUp(): void {
    if (this.highestSeq === 0) return;
    const replay = async (): Promise<void> => {
      let after = this.highestSeq;
      for (let page = 0; page < CATCH_UP_PAGES && !this.closed; page++) {
        const events = await this.store.eventsSince(after, CATCH_UP_PAGE);
        new Set(events.map((e) => e.callId)).forEach((callId) => this.refresh(callId));
        if (events.length < CATCH_UP_PAGE) return;
        after = events[events.length - 1]?.seq ?? after;
      }
    };
    replay().catch((error: unknown) => this.onError(error));
  }

  /** Re-reads a call, one read at a time per call so versions reach listeners in order. */
  private refresh(callId: string): void {
    const previous = this.queues.get(callId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        if (this.closed) return;
        const call = await this.store.get(callId);
        if (!call || (this.delivered.get(callId) ?? 0) >= call.version) return;
        const event = (await this.store.events(callId)).at(-1);
        if (event) this.deliver({ call, event });
      })
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        if (this.queues.get(callId) === next) this.queues.delete(callId);
      });
    this.queues.set(callId, next);
  }

  /** Passes a change on unless this instance already passed on this version of the call or a later one. */
  private deliver(change: CallChange): void {
    const { call, event } = change;
    if ((this.delivered.get(call.id) ?? 0) >= call.version) return;
    this.delivered.delete(call.id); // re-insert: the map's order is least recently changed first
    this.delivered.set(call.id, call.version);
    if (this.delivered.size > REMEMBERED_CALLS) {
      const oldest = this.delivered.keys().next();
      if (!oldest.done) this.delivered.delete(oldest.value);
    }
    this.highestSeq = Math.max(this.highestSeq, event.seq);
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
