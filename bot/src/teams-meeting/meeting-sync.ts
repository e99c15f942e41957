import {
  isAppError,
  meetingStepsFor,
  recordMeetingFailure,
  runMeetingStep,
  type CallDeps,
  type CallEvent,
  type MeetingSyncEntry,
  type MeetingSyncOutbox,
  type MeetingSyncStatus,
  type NewMeetingSyncEntry,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import {
  OutboxWorker,
  type AttemptFailure,
  type OutboxHandler,
  type OutboxWorkerTuning,
} from '../outbox/outbox-worker';

/** Tuning of the meeting sync; every field has a default. */
export type MeetingSyncTuning = OutboxWorkerTuning;

const DEFAULT_TUNING: MeetingSyncTuning = {
  pollIntervalMs: 1000,
  // A move's step starts at once (the lobby opens while the agent waits).
  wakeDelayMs: 0,
  batchSize: 100,
  leaseMs: 60_000,
  maxAttempts: 6,
  backoffBaseMs: 2000,
  backoffMaxMs: 120_000,
  // Every leased call's steps side by side (one call's in order).
  concurrency: Number.POSITIVE_INFINITY,
};

/** Options of {@link MeetingSync}. */
export type MeetingSyncOptions = {
  readonly deps: CallDeps;
  readonly outbox: MeetingSyncOutbox;
  readonly logger: Logger;
  readonly tuning?: Partial<MeetingSyncTuning> | undefined;
};

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

/** Runs meeting steps for the {@link OutboxWorker}: Graph's 429, 5xx or no answer is retried. */
class MeetingSteps implements OutboxHandler<
  MeetingSyncEntry,
  NewMeetingSyncEntry,
  MeetingSyncStatus
> {
  readonly cursor = 'meeting-sync';

  constructor(
    private readonly deps: CallDeps,
    private readonly logger: Logger,
  ) {}

  entriesFor(event: CallEvent): NewMeetingSyncEntry[] {
    return meetingStepsFor(event, this.deps.settings.lobbyOpenSeconds);
  }

  /** Only a move with a step (an admit, a join, the end): creations and claims have none. */
  wakesFor(event: CallEvent): boolean {
    return this.entriesFor(event).length > 0;
  }

  async run(entry: MeetingSyncEntry): Promise<{ status: 'done' | 'skipped' }> {
    return { status: await runMeetingStep(this.deps, entry.callId, entry.step) };
  }

  judge(error: unknown): AttemptFailure {
    const reason = isAppError(error) ? error.code : 'internal';
    return {
      reason,
      retryable: reason === 'upstream-unavailable',
      retryAfterMs: causeField<number>(error, 'retryAfterMs', 'number'),
    };
  }

  willRetry(
    entry: MeetingSyncEntry,
    _failure: AttemptFailure,
    error: unknown,
    delayMs: number,
  ): void {
    this.logger.warn('meeting step failed; retrying', {
      ...this.fields(entry, entry.attempts + 1, error),
      delayMs,
    });
  }

  async gaveUp(
    entry: MeetingSyncEntry,
    _failure: AttemptFailure,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    this.logger.error('meeting step failed for good', this.fields(entry, attempts, error));
    await recordMeetingFailure(this.deps, entry.callId, {
      step: entry.step,
      requestId: causeField<string>(error, 'requestId', 'string'),
    });
  }

  private fields(entry: MeetingSyncEntry, attempts: number, error: unknown) {
    return { callId: entry.callId, step: entry.step, attempts, ...errorFields(error) };
  }
}

/**
 * The meeting steps that follow the calls' moves (open the Teams lobby on Admit, lock it once the
 * customer is in or the window is over, close the meeting when the call dies), run outside the
 * request that made the move, so a card click or an API call answers without waiting for Graph.
 *
 * Exactly once per step, across restarts and instances: the {@link OutboxWorker} over the
 * `meeting-sync` queue turns the store's events into steps keyed `<callId>:<seq>:<step>` and
 * leases due steps (one instance at a time). A step that fails with `upstream-unavailable` (429,
 * 5xx, no answer) is retried with exponential backoff, never sooner than Graph's `Retry-After`;
 * after `maxAttempts`, or at once for a refusal (403, 404), it is given up: recorded on the call
 * (`meeting-sync-failed`, shown on the card and in the tab) and logged with Graph's request id.
 */
export class MeetingSync {
  private readonly worker: OutboxWorker<MeetingSyncEntry, NewMeetingSyncEntry, MeetingSyncStatus>;

  constructor(options: MeetingSyncOptions) {
    this.worker = new OutboxWorker({
      deps: options.deps,
      queue: options.outbox,
      handler: new MeetingSteps(options.deps, options.logger),
      logger: options.logger,
      name: 'meeting sync',
      tuning: { ...DEFAULT_TUNING, ...options.tuning },
    });
  }

  /** Starts polling and listening to the bus. */
  start(): void {
    this.worker.start();
  }

  /** Stops the timer and the listener, and waits for the round in progress. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Runs a round now (or right after the one in progress) and resolves when it is done. */
  kick(): Promise<void> {
    return this.worker.kick();
  }
}
