import type { PeerPresence, SignalEnvelope } from '@shared';
import {
  TEST_DATABASE_URL,
  aSchemaName,
  describePostgres,
  dropSchema,
} from '../contract/postgres-test-db';
import { ANSWER, OFFER, admittedCall, agentSideFor, candidate } from './call-side';
import { FakeClock, startTestServer, type TestServer } from './harness';
import type { SseClient } from './sse-client';

// The browser call behind a load balancer: the customer's requests reach one instance, the agent's
// the other. Seats, messages and presence live in PostgreSQL; NOTIFY (ids only) wakes the streams.
describePostgres('a browser call across two instances on one PostgreSQL', () => {
  let schema: string;
  let a: TestServer;
  let b: TestServer;
  // One clock for both instances, as NTP gives real ones; tests move it past the 30 s stale limit.
  const clock = new FakeClock(new Date());
  const streams: SseClient[] = [];
  const track = async (open: Promise<SseClient>) => {
    const client = await open;
    streams.push(client);
    return client;
  };

  const instance = () =>
    startTestServer({
      env: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
      overrides: { notifier: false, clock },
    });

  beforeAll(async () => {
    schema = aSchemaName();
    a = await instance();
    b = await instance();
  });
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await dropSchema(schema);
  });

  it('crosses signals and peer events between the customer on A and the agent on B', async () => {
    const call = await admittedCall(a);
    const customer = call.customer; // on A
    const agent = agentSideFor(b, call.id); // on B
    await customer.join();
    const customerEvents = await track(customer.events());
    await customerEvents.next<PeerPresence>('peer', (p) => !p.present);
    const joined = await agent.join();
    expect(joined.peer).toEqual({ present: true, sessionId: customer.sessionId });
    await customerEvents.next<PeerPresence>('peer', (p) => p.sessionId === joined.sessionId);
    const agentEvents = await track(agent.events());
    await agentEvents.next<PeerPresence>('peer', (p) => p.present);

    expect((await customer.send(OFFER)).status).toBe(202);
    expect((await customer.send(candidate(1))).status).toBe(202);
    const offer = await agentEvents.next<SignalEnvelope>('signal');
    expect(offer).toMatchObject({ from: 'customer', seq: 1, message: OFFER });
    expect((await agentEvents.next<SignalEnvelope>('signal')).seq).toBe(2);
    expect((await agent.send(ANSWER)).status).toBe(202);
    expect(await customerEvents.next<SignalEnvelope>('signal')).toMatchObject({
      from: 'agent',
      message: ANSWER,
    });
  });

  it('refuses a second agent tab on the other instance, and gives a stale seat to exactly one of two tabs racing on both', async () => {
    const call = await admittedCall(a);
    await agentSideFor(a, call.id).join();
    const busy = await agentSideFor(b, call.id).request('POST', '/session', {});
    expect(busy.status).toBe(409);
    expect(busy.json.error?.code).toBe('call-busy');

    clock.advance(31); // the first tab vanished without leaving
    const [x, y] = await Promise.all([
      agentSideFor(a, call.id).request('POST', '/session', {}),
      agentSideFor(b, call.id).request('POST', '/session', {}),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect([x, y].find((r) => r.status === 409)?.json.error?.code).toBe('call-busy');
    const winner = [x, y].find((r) => r.status === 200)?.json['sessionId'];
    expect((await a.deps.room?.signals.seats(call.id))?.map((s) => s.sessionId)).toEqual([winner]);
  });

  it('ends the call on both instances when the agent ends it on B', async () => {
    const call = await admittedCall(a);
    const agent = agentSideFor(b, call.id);
    await call.customer.join();
    await agent.join();
    await call.customer.send(OFFER);
    const customerEvents = await track(call.customer.events());
    await customerEvents.next<{ state: string }>('state', (d) => d.state === 'in_call');
    const ended = await fetch(`${b.url}/api/calls/${call.id}/end`, { method: 'POST' });
    expect(ended.status).toBe(200);
    await customerEvents.next<{ state: string }>('state', (d) => d.state === 'ended');
    expect((await call.customer.send(candidate(2))).status).toBe(410);
    await expect(a.deps.room?.signals.seats(call.id)).resolves.toEqual([]);
  });
});
