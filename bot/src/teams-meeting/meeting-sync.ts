import {
  isAppError,
  isoPlus,
  meetingStepsFor,
  recordMeetingFailure,
  runMeetingStep,
  type CallDeps,
  type MeetingSyncEntry,
  type MeetingSyncOutbox,
} from '@shared';
import { errorFields, type Logger } from '../logger';

/** Tuning of the meeting sync; every field has a default. */
export type MeetingSyncTuning = {
  /** How often the event log and the due steps are polled when the bus is quiet. @default 1000 */
  readonly pollIntervalMs: number;
  /** Events read, and steps leased, per round. @default 100 */
  readonly batchSize: number;
  /** How long a leased step is held by this process. @default 60000 */
  readonly leaseMs: number;
  /** Attempts before a step is given up and reported. @default 6 */
  readonly maxAttempts: number;
  /** First retry delay; doubles per attempt. @default 2000 */
  readonly backoffBaseMs: number;
  /** @default 120000 */
  readonly backoffMaxMs: number;
};

const DEFAULT_TUNING: MeetingSyncTuning = {
  pollIntervalMs: 1000,
  batchSize: 100,
  leaseMs: 60_000,
  maxAttempts: 6,
  backoffBaseMs: 2000,
  backoffMaxMs: 120_000,
};

/** Options of {@link MeetingSync}. */
export type MeetingSyncOptions = {
  readonly deps: CallDeps;
  readonly outbox: MeetingSyncOutbox;
  readonly logger: Logger;
  readonly tuning?: Partial<MeetingSyncTuning> | undefined;
};

const CURSOR = 'meeting-sync';

/** The first `field` along an error's `cause` chain (GraphHttpError: `requestId`, `retryAfterMs`). */
function causeField<T>(error: unknown, field: string, type: 'string' | 'number'): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const value = (current as unknown as Record<string, unknown>)[field];
    if (typeof value === type) return value as T;
    current = current.cause;
  }
  return undefined;
}

/**
 * The meeting steps that follow the calls' moves (open the Teams lobby on Admit, lock it once the
 * customer is in or the window is over, close the meeting when the call dies), run outside the
 * request that made the move, so a card click or an API call answers without waiting for Graph.
 *
 * Exactly once per step, across restarts and instances: the store's event log, written in the
 * move's own transaction, is the durable source. Each round reads the events after a persisted
 * cursor and turns them into steps keyed `<callId>:<seq>:<step>` (reading an event twice adds
 * nothing), then leases due steps (one instance at a time) and runs them. A step that fails with
 * `upstream-unavailable` (429, 5xx, no answer) is retried with exponential backoff, or after
 * Graph's `Retry-After`; after `maxAttempts`, or at once for a refusal (403, 404), it is given up:
 * recorded on the call (`meeting-sync-failed`, shown on the card and in the tab) and logged with
 * Graph's request id.
 */
export class MeetingSync {
  private readonly tuning: MeetingSyncTuning;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: MeetingSyncOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  /** Starts polling and listening to the bus. */
  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.options.deps.bus.subscribe(() => void this.kick());
    this.timer = setInterval(() => void this.kick(), this.tuning.pollIntervalMs);
    this.timer.unref();
    void this.kick();
  }

  /** Stops the timer and the listener, and waits for the round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.running;
  }

  /** Runs a round now (or right after the one in progress) and resolves when it is done. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
        } while (this.again);
      } catch (error) {
        // The database did not answer: the next round (timer or bus) tries again.
        this.options.logger.error('meeting sync round failed', errorFields(error));
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async round(): Promise<void> {
    await this.feed();
    await this.runDue();
  }

  /** Turns new events of the log into steps, then moves the cursor past them. */
  private async feed(): Promise<void> {
    const { deps, outbox } = this.options;
    for (;;) {
      const cursor = await outbox.cursor(CURSOR);
      const events = await deps.store.eventsSince(cursor, this.tuning.batchSize);
      if (events.length === 0) return;
      await outbox.enqueue(
        events.flatMap((event) => meetingStepsFor(event, deps.settings.lobbyOpenSeconds)),
      );
      await outbox.saveCursor(CURSOR, events[events.length - 1]?.seq ?? cursor);
      if (events.length < this.tuning.batchSize) return;
    }
  }

  private async runDue(): Promise<void> {
    const { deps, outbox } = this.options;
    const now = deps.clock.now().toISOString();
    const leased = await outbox.lease(
      now,
      isoPlus(now, this.tuning.leaseMs / 1000),
      this.tuning.batchSize,
    );
    // One call's steps in order (admit before lock before close); calls side by side.
    const byCall = new Map<string, MeetingSyncEntry[]>();
    for (const entry of leased)
      byCall.set(entry.callId, [...(byCall.get(entry.callId) ?? []), entry]);
    await Promise.all(
      [...byCall.values()].map(async (steps) => {
        for (const step of steps) await this.attempt(step);
      }),
    );
  }

  private async attempt(entry: MeetingSyncEntry): Promise<void> {
    const { deps, outbox, logger } = this.options;
    try {
      const result = await runMeetingStep(deps, entry.callId, entry.step);
      await outbox.complete(entry.id, result, deps.clock.now().toISOString());
    } catch (error) {
      const at = deps.clock.now().toISOString();
      const code = isAppError(error) ? error.code : 'internal';
      const attempts = entry.attempts + 1;
      const fields = { callId: entry.callId, step: entry.step, attempts, ...errorFields(error) };
      if (code === 'upstream-unavailable' && attempts < this.tuning.maxAttempts) {
        const retryAfterMs = causeField<number>(error, 'retryAfterMs', 'number');
        const backoff = Math.min(
          this.tuning.backoffMaxMs,
          this.tuning.backoffBaseMs * 2 ** entry.attempts,
        );
        const delayMs = Math.max(retryAfterMs ?? 0, backoff);
        await outbox.retry(entry.id, isoPlus(at, delayMs / 1000), at, code);
        logger.warn('meeting step failed; retrying', { ...fields, delayMs });
        return;
      }
      await outbox.complete(entry.id, 'failed', at, code);
      logger.error('meeting step failed for good', fields);
      await recordMeetingFailure(deps, entry.callId, {
        step: entry.step,
        requestId: causeField<string>(error, 'requestId', 'string'),
      });
    }
  }
}
