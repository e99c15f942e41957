import { createCall, type CallEvent, type JobStatus } from '@shared';
import { InMemoryOutbox } from '../../../bot/src/adapters/outbox/in-memory-outbox';
import {
  OutboxQueueView,
  entryFieldsOf,
  jobFieldsOf,
  type QueueCodec,
} from '../../../bot/src/adapters/outbox/outbox-queue';
import {
  OutboxWorker,
  type AttemptFailure,
  type OutboxHandler,
  type OutboxWorkerTuning,
} from '../../../bot/src/outbox/outbox-worker';
import { ALICE, RecordingLogger, aWaitingCall, aWorld } from './world';

// The one loop behind the lobby cards and the meeting steps, with a handler of its own: one
// entry per event, whose effect is a write keyed by the entry's id.

type Entry = {
  id: string;
  callId: string;
  seq: number;
  status: JobStatus;
  attempts: number;
  dueAt: string;
  createdAt: string;
  updatedAt: string;
};
type NewEntry = Pick<Entry, 'id' | 'callId' | 'seq' | 'dueAt' | 'createdAt'>;

const CODEC: QueueCodec<Entry, NewEntry, JobStatus> = {
  queue: 'test',
  toJob: (e) => ({ ...jobFieldsOf(e), payload: {} }),
  fromJob: (job) => entryFieldsOf(job, CODEC.statuses),
  statuses: { pending: 'pending', done: 'done', skipped: 'skipped', failed: 'failed' },
};

/** A failure the handler throws with its judgement attached. */
class JudgedError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.reason);
  }
}

class Effects implements OutboxHandler<Entry, NewEntry, JobStatus> {
  readonly cursor = 'test-feed';
  /** The effect: one write per entry id. */
  readonly done = new Map<string, number>();
  readonly runs: string[] = [];
  readonly retries: { id: string; waitMs: number }[] = [];
  readonly givenUp: { id: string; attempts: number }[] = [];
  /** Which bus events wake the worker; unset, every one. */
  wakesFor?: (event: CallEvent) => boolean;
  /** Failures to throw, in order, before attempts succeed; `hang`: the process dies in the attempt. */
  failures: (AttemptFailure | 'hang')[] = [];

  entriesFor(event: CallEvent): NewEntry[] {
    const id = `${event.callId}:${event.seq}`;
    return [{ id, callId: event.callId, seq: event.seq, dueAt: event.at, createdAt: event.at }];
  }

  async run(entry: Entry): Promise<{ status: 'done' }> {
    this.runs.push(entry.id);
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure === 'hang') return new Promise<never>(() => undefined);
    if (failure) throw new JudgedError(failure);
    this.done.set(entry.id, (this.done.get(entry.id) ?? 0) + 1);
    return { status: 'done' };
  }

  judge(error: unknown): AttemptFailure {
    return error instanceof JudgedError ? error.failure : { reason: 'internal', retryable: true };
  }

  willRetry(entry: Entry, _failure: AttemptFailure, _error: unknown, waitMs: number): void {
    this.retries.push({ id: entry.id, waitMs });
  }

  gaveUp(entry: Entry, _failure: AttemptFailure, _error: unknown, attempts: number): Promise<void> {
    this.givenUp.push({ id: entry.id, attempts });
    return Promise.resolve();
  }
}

const TUNING: OutboxWorkerTuning = {
  pollIntervalMs: 60_000,
  wakeDelayMs: 0,
  batchSize: 3,
  leaseMs: 30_000,
  maxAttempts: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 4000,
  concurrency: 2,
};

function setup() {
  const world = aWorld();
  const queue = new OutboxQueueView(new InMemoryOutbox(), CODEC);
  const logger = new RecordingLogger();
  const worker = (handler: Effects, tuning: Partial<OutboxWorkerTuning> = {}) =>
    new OutboxWorker({
      deps: world.deps,
      queue,
      handler,
      logger,
      name: 'test worker',
      tuning: { ...TUNING, ...tuning },
    });
  return { ...world, queue, logger, worker };
}

describe('OutboxWorker', () => {
  it('wakes on the bus, runs every event’s entry once however often it is woken, and stops cleanly', async () => {
    const { deps, worker } = setup();
    const effects = new Effects();
    const w = worker(effects);
    w.start();
    for (let i = 0; i < 4; i += 1) await aWaitingCall(deps, ALICE); // 8 events, 3 batches
    // Only the bus woke it (the poll interval is a minute); stop waits for the round in progress.
    await w.stop();
    expect(effects.done.size).toBe(8);
    expect([...effects.done.values()].every((n) => n === 1)).toBe(true);
    // Stopped: the bus no longer wakes it.
    await aWaitingCall(deps, ALICE);
    await Promise.resolve();
    expect(effects.runs).toHaveLength(8);
  });

  it('gathers a burst of bus changes into one round after wakeDelayMs', async () => {
    const { deps, queue, worker } = setup();
    const effects = new Effects();
    const w = worker(effects, { wakeDelayMs: 1000 });
    w.start();
    await w.kick();
    const rounds = jest.spyOn(queue, 'cursor');
    for (let i = 0; i < 3; i += 1) await aWaitingCall(deps, ALICE); // 6 changes on the bus
    expect(effects.runs).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await w.stop();
    expect(rounds).toHaveBeenCalledTimes(1);
    expect(effects.done.size).toBe(6);
  });

  it('wakes only for the events its handler says may call for entries; the poll reads the others', async () => {
    const { deps, queue, worker } = setup();
    const effects = new Effects();
    // Claims wake it, creations do not (as the meeting steps skip both, the lobby cards creations).
    effects.wakesFor = (event: CallEvent) => event.type !== 'created';
    const w = worker(effects);
    w.start();
    await w.kick();
    const rounds = jest.spyOn(queue, 'cursor');
    await createCall(deps, ALICE, { title: 'Made, not claimed' });
    await Promise.resolve();
    expect(rounds).not.toHaveBeenCalled();
    const { call } = await aWaitingCall(deps, ALICE); // created, then claimed: one wake
    await w.stop();
    expect(rounds).toHaveBeenCalledTimes(1);
    // That round read every event since the cursor, the ignored creations too.
    expect(effects.done.size).toBe(3);
    expect([...effects.done.keys()].filter((id) => id.startsWith(`${call.id}:`))).toHaveLength(2);
  });

  it('runs one call’s entries in event order', async () => {
    const { deps, worker } = setup();
    const effects = new Effects();
    const a = await aWaitingCall(deps, ALICE);
    const b = await aWaitingCall(deps, ALICE);
    await worker(effects, { batchSize: 10 }).kick();
    const order = (callId: string) => effects.runs.filter((id) => id.startsWith(`${callId}:`));
    for (const call of [a.call, b.call]) {
      const seqs = order(call.id).map((id) => Number(id.split(':').pop()));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  });

  it('hands a crashed process’s entry to the next one once its lease ran out, and the effect happens once', async () => {
    const { deps, clock, queue, worker } = setup();
    await aWaitingCall(deps, ALICE);
    const dying = new Effects();
    dying.failures = ['hang'];
    // The process dies during its first attempt: nothing records it, the lease stays.
    void worker(dying, { concurrency: 1 }).kick();
    while (dying.runs.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const [held] = dying.runs;

    const restarted = new Effects();
    const next = worker(restarted);
    await next.kick();
    expect(restarted.runs).not.toContain(held);
    clock.advance(30);
    await next.kick();
    expect(restarted.done.get(held!)).toBe(1);
    expect(restarted.done.size).toBe(2);
    expect((await queue.get(held!))?.status).toBe('done');
  });

  it('backs off, never sooner than Retry-After, and gives up after maxAttempts', async () => {
    const { deps, clock, queue, worker } = setup();
    await aWaitingCall(deps, ALICE);
    const effects = new Effects();
    effects.failures = Array.from({ length: 8 }, (_, i) => ({
      reason: 'http-503',
      retryable: true,
      retryAfterMs: i === 0 ? 5000 : undefined,
    }));
    const w = worker(effects, { batchSize: 1 });
    await w.ingest();
    await w.runDue(); // created: 503 with Retry-After 5 s (backoff 1 s)
    await w.runDue(); // claimed: 503 → backoff 1 s
    expect(effects.retries.map((r) => r.waitMs)).toEqual([5000, 1000]);
    clock.advance(1);
    await w.runDue(); // claimed again → backoff 2 s
    expect(effects.runs).toHaveLength(3);
    clock.advance(2);
    await w.runDue(); // claimed, third attempt → given up
    expect(effects.givenUp).toEqual([{ id: effects.runs[1], attempts: 3 }]);
    expect(await queue.get(effects.runs[1]!)).toMatchObject({
      status: 'failed',
      lastError: 'http-503',
    });
    clock.advance(2); // 5 s after the first failure
    effects.failures = [];
    await w.runDue();
    expect(effects.done.get(effects.runs[0]!)).toBe(1);
  });

  it('gives up at once on a failure that is not worth another attempt', async () => {
    const { deps, worker } = setup();
    await aWaitingCall(deps, ALICE);
    const effects = new Effects();
    effects.failures = [{ reason: 'http-403', retryable: false }];
    await worker(effects).kick();
    expect(effects.givenUp).toEqual([{ id: effects.runs[0], attempts: 1 }]);
    expect(effects.retries).toEqual([]);
    expect(effects.done.size).toBe(1); // the other event's entry
  });

  it('logs a round that the database failed, and the next round carries on', async () => {
    const { deps, queue, logger, worker } = setup();
    await aWaitingCall(deps, ALICE);
    const effects = new Effects();
    const w = worker(effects);
    const lease = jest.spyOn(queue, 'lease').mockRejectedValueOnce(new Error('db down'));
    await w.kick();
    expect(logger.text()).toContain('test worker round failed');
    lease.mockRestore();
    await w.kick();
    expect(effects.done.size).toBe(2);
  });
});
