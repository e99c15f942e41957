import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { CallChange } from '@shared';
import {
  CALL_CHANGES_CHANNEL,
  CALL_ROOMS_CHANNEL,
  PostgresCallEventBus,
} from '../../bot/src/adapters/storage/postgres-call-event-bus';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { aCall, aClaim, aCreatedEvent, aMove, anAdmit } from '../fixtures/calls';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

/** Polls until `check` holds (no fixed sleeps: the bus is asynchronous by nature). */
async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One instance of the app: its own store (pool) and bus on the shared database. */
type Instance = {
  readonly store: PostgresCallStore;
  readonly bus: PostgresCallEventBus;
  readonly seen: CallChange[];
  readonly errors: unknown[];
  readonly name: string;
};

describePostgres('PostgresCallEventBus', () => {
  jest.setTimeout(30_000);
  let schema: string;
  let instances: Instance[];

  const anInstance = async (reconnectDelayMs = 50): Promise<Instance> => {
    const name = `otc-test-listener-${randomBytes(4).toString('hex')}`;
    const store = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 4 });
    const errors: unknown[] = [];
    const bus = new PostgresCallEventBus(TEST_DATABASE_URL, store, {
      onError: (error) => errors.push(error),
      reconnectDelayMs,
      applicationName: name,
    });
    const seen: CallChange[] = [];
    bus.subscribe((change) => seen.push(change));
    await bus.listening();
    const instance = { store, bus, seen, errors, name };
    instances.push(instance);
    return instance;
  };

  beforeEach(async () => {
    schema = aSchemaName();
    instances = [];
    const setup = new PostgresCallStore(TEST_DATABASE_URL, { schema });
    await setup.migrate();
    await setup.close();
  });
  afterEach(async () => {
    for (const { bus, store } of instances) {
      await bus.close();
      await store.close();
    }
    await dropSchema(schema);
  });

  /** What a use-case does: change the call, then publish the change. */
  const change = async (from: Instance, input: Parameters<PostgresCallStore['transition']>[0]) => {
    const result = await from.store.transition(input);
    if (!result.ok) throw new Error('transition in test failed');
    await from.bus.publish({ call: result.call, event: result.event });
    return result;
  };

  it('carries signalling notes (ids only) to every instance, once to the announcing one', async () => {
    const a = await anInstance();
    const b = await anInstance();
    const onA: string[] = [];
    const onB: string[] = [];
    a.bus.subscribeRoom((n) => onA.push(`${n.callId}/${n.kind}`));
    b.bus.subscribeRoom((n) => onB.push(`${n.callId}/${n.kind}`));
    const payloads: string[] = [];
    const spy = new Client({ connectionString: TEST_DATABASE_URL });
    await spy.connect();
    spy.on('notification', (m) => payloads.push(m.payload ?? ''));
    await spy.query(`LISTEN ${CALL_ROOMS_CHANNEL}`);
    try {
      await a.bus.announce({ callId: 'call-7', kind: 'signal' });
      await a.bus.announce({ callId: 'call-7', kind: 'seat' });
      await eventually(() => onB.length === 2 && payloads.length === 2, 'the notes on B');
      expect(onB).toEqual(['call-7/signal', 'call-7/seat']);
      expect(payloads.every((p) => /^call-7:(signal|seat):[0-9a-f]+$/.test(p))).toBe(true);
      await b.bus.announce({ callId: 'call-8', kind: 'signal' });
      await eventually(() => onA.length === 3, 'the note from B on A');
      expect(onA).toEqual(['call-7/signal', 'call-7/seat', 'call-8/signal']);
    } finally {
      await spy.end();
    }
  });

  it("hands a change published on one instance to another instance's subscriber", async () => {
    const a = await anInstance();
    const b = await anInstance();
    const call = aCall();
    await a.store.insert(call, aCreatedEvent());

    const claimed = await change(a, aClaim(call));

    await eventually(() => b.seen.length === 1, 'the change on instance b');
    expect(b.seen[0]).toStrictEqual({ call: claimed.call, event: claimed.event });
  });

  it('gives the publishing instance its own change once, not again through NOTIFY', async () => {
    const a = await anInstance();
    const b = await anInstance();
    const call = aCall();
    await a.store.insert(call, aCreatedEvent());

    const claimed = await change(a, aClaim(call));
    await eventually(() => b.seen.length === 1, 'the change on instance b');
    // b has had it; a's own echo is processed by now too, so a second copy would have arrived.
    await change(a, anAdmit(call));
    await eventually(() => b.seen.length === 2, 'the second change on instance b');

    expect(a.seen.map((c) => c.call.version)).toEqual([
      claimed.call.version,
      claimed.call.version + 1,
    ]);
  });

  it('sends only the call id and version over NOTIFY, never personal data', async () => {
    const a = await anInstance();
    const spy = new Client({ connectionString: TEST_DATABASE_URL });
    await spy.connect();
    const payloads: string[] = [];
    spy.on('notification', (n) => payloads.push(n.payload ?? ''));
    await spy.query(`LISTEN ${CALL_CHANGES_CHANNEL}`);
    try {
      const call = aCall();
      await a.store.insert(call, aCreatedEvent());
      const claimed = await change(a, aClaim(call));

      await eventually(() => payloads.length > 0, 'the notification');
      expect(payloads).toEqual([`${call.id}:${claimed.call.version}`]);
      expect(payloads.join()).not.toContain('Chris');
    } finally {
      await spy.end();
    }
  });

  it('delivers a burst of changes to a call in version order, ending with the latest', async () => {
    const a = await anInstance();
    const b = await anInstance();
    const call = aCall();
    await a.store.insert(call, aCreatedEvent());

    await change(a, aClaim(call));
    await change(a, anAdmit(call));
    await change(a, aMove(call, 'admitted', 'in_call'));
    const last = await change(a, aMove(call, 'in_call', 'ended'));

    await eventually(
      () => b.seen.at(-1)?.call.version === last.call.version,
      'the last version on b',
    );
    const versions = b.seen.map((c) => c.call.version);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    expect(b.seen.at(-1)).toStrictEqual({ call: last.call, event: last.event });
  });

  it('reconnects after its listening connection drops and catches up on what it missed', async () => {
    const a = await anInstance();
    const b = await anInstance(1000);
    const call = aCall();
    await a.store.insert(call, aCreatedEvent());
    await change(a, aClaim(call));
    await eventually(() => b.seen.length === 1, 'the first change on b');

    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const pidsOf = async () =>
        (
          await admin.query<{ pid: number }>(
            'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
            [b.name],
          )
        ).rows.map((r) => r.pid);
      const [old] = await pidsOf();
      await admin.query('SELECT pg_terminate_backend($1)', [old]);
      await eventually(async () => !(await pidsOf()).includes(old!), 'the old listener to go');

      const admitted = await change(a, anAdmit(call)); // b is not listening now: NOTIFY cannot reach it

      await eventually(() => b.seen.length === 2, 'the missed change on b after reconnecting');
      expect(b.seen[1]).toStrictEqual({ call: admitted.call, event: admitted.event });
      expect(b.errors).toEqual([expect.objectContaining({ code: 'upstream-unavailable' })]);
      await eventually(async () => (await pidsOf()).length === 1, 'a new listener');

      const ended = await change(a, aMove(call, 'admitted', 'ended'));
      await eventually(() => b.seen.length === 3, 'a later change over the new connection');
      expect(b.seen[2]?.call.version).toBe(ended.call.version);
    } finally {
      await admin.end();
    }
  });

  it('still delivers locally and reports, not throws, when the database is unreachable', async () => {
    const store = new PostgresCallStore(TEST_DATABASE_URL, { schema });
    const errors: unknown[] = [];
    const bus = new PostgresCallEventBus('postgres://postgres@127.0.0.1:1/none', store, {
      onError: (error) => errors.push(error),
      reconnectDelayMs: 10_000,
    });
    const seen: CallChange[] = [];
    bus.subscribe((c) => seen.push(c));
    try {
      const call = aCall();
      const event = await store.insert(call, aCreatedEvent());
      await expect(bus.publish({ call, event })).resolves.toBeUndefined();

      expect(seen).toEqual([{ call, event }]);
      await eventually(() => errors.length >= 2, 'the errors');
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'AppError', code: 'upstream-unavailable' }),
        ]),
      );
    } finally {
      await bus.close();
      await store.close();
    }
  });
});
