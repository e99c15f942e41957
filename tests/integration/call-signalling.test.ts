import { createHmac } from 'node:crypto';
import {
  AppError,
  asAadObjectId,
  type AgentPrincipal,
  type PeerPresence,
  type SignalEnvelope,
} from '@shared';
import { BrowserMeetingProvider } from '../../bot/src/adapters/meetings/browser-meeting-provider';
import { CryptoRandomSource } from '../../bot/src/adapters/system/node-system';
import type { AgentAuthenticator, AuthRequest } from '../../bot/src/http/agent-auth';
import { FakeClock, startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';
import type { SseClient } from './sse-client';
import {
  ANSWER,
  OFFER,
  Side,
  admittedCall,
  agentApi,
  agentSideFor,
  candidate,
  customerSide,
} from './call-side';

// The browser call's signalling over real HTTP (docs/call-protocol.md): every endpoint, for the
// customer (claim cookie) and the agent (API auth), and every refusal of the protocol.

const streams: SseClient[] = [];
const track = async (open: Promise<SseClient>) => {
  const client = await open;
  streams.push(client);
  return client;
};
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

describe('browser call signalling (embedded, one agent)', () => {
  let server: TestServer;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock(new Date());
    server = await startTestServer({ overrides: { clock } });
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server.close();
  });

  it('gives each side its seat: the customer polite, the agent impolite; the customer is then in the call', async () => {
    const call = await admittedCall(server);
    const customer = await call.customer.join();
    expect(customer).toMatchObject({
      role: 'customer',
      polite: true,
      iceServers: [],
      iceTransportPolicy: 'all',
      peer: { present: false, sessionId: null },
      heartbeatSeconds: 10,
      reconnectSeconds: 120,
      state: 'in_call',
    });
    const agent = await call.agent.join();
    expect(agent).toMatchObject({
      role: 'agent',
      polite: false,
      state: 'in_call',
      peer: { present: true, sessionId: customer.sessionId },
    });
    expect(agent.sessionId).not.toBe(customer.sessionId);
    const events = (await server.deps.store.events(call.id)).map((e) => e.type);
    expect(events.filter((t) => t === 'joined')).toHaveLength(1);
  });

  it('carries offers, answers and candidates to the other side live, in order, with ids', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    const agentEvents = await track(call.agent.events());
    const customerEvents = await track(call.customer.events());
    await agentEvents.next<{ state: string }>('state', (d) => d.state === 'in_call');
    await agentEvents.next<PeerPresence>('peer', (p) => p.present);

    expect((await call.customer.send(OFFER)).status).toBe(202);
    expect((await call.customer.send(candidate(1))).status).toBe(202);
    expect((await call.customer.send({ type: 'candidate', candidate: null })).status).toBe(202);
    const offer = await agentEvents.next<SignalEnvelope>('signal');
    expect(offer).toMatchObject({ from: 'customer', seq: 1, message: OFFER });
    const first = await agentEvents.next<SignalEnvelope>('signal');
    const end = await agentEvents.next<SignalEnvelope>('signal');
    expect([first.seq, end.seq]).toEqual([2, 3]);
    expect(end.message).toEqual({ type: 'candidate', candidate: null });
    expect(first.id).toBeGreaterThan(offer.id);

    const answered = await call.agent.send(ANSWER);
    expect(answered.status).toBe(202);
    expect(answered.json['id']).toEqual(expect.any(Number));
    const answer = await customerEvents.next<SignalEnvelope>('signal');
    expect(answer).toMatchObject({ from: 'agent', seq: 1, message: ANSWER });
  });

  it('catches a reconnecting stream up from after= or Last-Event-ID, and polls the same way', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    for (const m of [OFFER, candidate(1), candidate(2)]) await call.customer.send(m);
    const poll = await call.agent.poll();
    expect(poll.status).toBe(200);
    expect(poll.body?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(poll.body).toMatchObject({ state: 'in_call', peer: { present: true } });
    const firstId = poll.body?.messages[0]?.id ?? 0;
    const later = await call.agent.poll(firstId);
    expect(later.body?.messages.map((m) => m.seq)).toEqual([2, 3]);

    const resumed = await track(call.agent.events(0, { 'last-event-id': String(firstId) }));
    expect((await resumed.next<SignalEnvelope>('signal')).seq).toBe(2);

    // The wire format: `id:` lines carry the row id for EventSource's Last-Event-ID.
    const controller = new AbortController();
    const raw = await fetch(
      `${server.url}/api/calls/${call.id}/call/events?sessionId=${call.agent.sessionId}&after=${firstId}`,
      { headers: { accept: 'text/event-stream' }, signal: controller.signal },
    );
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = raw.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let text = '';
    while (!/event: signal\nid: \d+\n/.test(text)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toMatch(/event: signal\nid: \d+\ndata: \{"id":\d+,"from":"customer","seq":2/);
    expect(text).toMatch(/event: peer\ndata: \{"present":true/);
  });

  it('refuses oversized, malformed and invalid messages with 4xx, and the other side sees none of them', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    const big = await call.customer.request('POST', '/signal', {
      sessionId: call.customer.sessionId,
      seq: 1,
      message: { type: 'description', description: { type: 'offer', sdp: 'x'.repeat(70_000) } },
    });
    expect(big.status).toBe(413);
    expect(big.json.error?.code).toBe('payload-too-large');
    const malformed = await call.customer.request('POST', '/signal', '{"sessionId": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.code).toBe('invalid-input');
    const longSdp = await call.customer.send({
      type: 'description',
      description: { type: 'offer', sdp: 'x'.repeat(60_001) },
    });
    expect(longSdp.status).toBe(400);
    expect(longSdp.json.error?.message).toMatch(/message/);
    const unknownType = await call.customer.request('POST', '/signal', {
      sessionId: call.customer.sessionId,
      seq: 1,
      message: { type: 'rollback' },
    });
    expect(unknownType.status).toBe(400);
    const extraField = await call.customer.request('POST', '/signal', {
      sessionId: call.customer.sessionId,
      seq: 1,
      message: OFFER,
      to: 'someone',
    });
    expect(extraField.status).toBe(400);
    const notJson = await call.customer.request(
      'POST',
      '/signal',
      `sessionId=${call.customer.sessionId}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(notJson.status).toBe(400);
    const zeroSeq = await call.customer.send(OFFER, 0);
    expect(zeroSeq.status).toBe(400);
    const badSession = await call.customer.send(OFFER, 1, 'not a session');
    expect(badSession.status).toBe(400);

    expect((await call.agent.poll()).body?.messages).toEqual([]);
    expect((await call.customer.send(OFFER, 1)).status).toBe(202);
    expect((await call.agent.poll()).body?.messages.map((m) => m.seq)).toEqual([1]);
  });

  it('refuses a repeated or lower seq with out-of-order, storing nothing', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    expect((await call.customer.send(OFFER, 1)).status).toBe(202);
    expect((await call.customer.send(candidate(1), 4)).status).toBe(202);
    for (const seq of [4, 2]) {
      const r = await call.customer.send(candidate(9), seq);
      expect(r.status).toBe(409);
      expect(r.json.error).toMatchObject({ code: 'out-of-order', details: { seq } });
    }
    expect((await call.agent.poll()).body?.messages.map((m) => m.seq)).toEqual([1, 4]);
  });

  it('refuses a message carrying the session of another call', async () => {
    const one = await admittedCall(server);
    const two = await admittedCall(server);
    await one.customer.join();
    await one.agent.join();
    await two.customer.join();
    await two.agent.join();
    const crossed = await one.customer.send(OFFER, 1, two.customer.sessionId);
    expect(crossed.status).toBe(409);
    expect(crossed.json.error?.code).toBe('session-replaced');
    const agentCrossed = await one.agent.send(ANSWER, 1, two.agent.sessionId);
    expect(agentCrossed.status).toBe(409);
    expect((await two.agent.poll()).body?.messages).toEqual([]);
    expect((await one.agent.poll()).body?.messages).toEqual([]);
  });

  it('refuses a third browser (no claim, or another claim) and leaves the call alone', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    const stranger = new Browser(server.url);
    const intruder = customerSide(server, call.path, stranger);
    const r = await intruder.request('POST', '/session', {});
    expect(r.status).toBe(409);
    expect(r.json.error?.code).toBe('claimed-elsewhere');
    const forged = new Side(server.url, `${call.path}/call`, () => ({
      cookie: 'otc_claim=forged',
    }));
    expect((await forged.request('POST', '/session', {})).status).toBe(409);
    const stolen = await forged.request('POST', '/signal', {
      sessionId: call.customer.sessionId,
      seq: 1,
      message: OFFER,
    });
    expect(stolen.status).toBe(409);
    expect((await call.agent.poll()).body?.messages).toEqual([]);
    expect((await call.customer.send(OFFER)).status).toBe(202);
    const unknown = new Side(server.url, '/j/AAAAAAAAAAAAAAAAAAAAAA/call', () => ({}));
    expect((await unknown.request('POST', '/session', {})).status).toBe(404);
  });

  it('refuses a second tab while the first is alive, and lets a reload resume with its old session', async () => {
    const call = await admittedCall(server);
    const first = await call.agent.join();
    const second = agentSideFor(server, call.id);
    const busy = await second.request('POST', '/session', {});
    expect(busy.status).toBe(409);
    expect(busy.json.error?.code).toBe('call-busy');
    const customerBusy = customerSide(server, call.path, call.browser);
    await call.customer.join();
    expect((await customerBusy.request('POST', '/session', {})).json.error?.code).toBe('call-busy');
    const customerEvents = await track(call.customer.events());
    await customerEvents.next<PeerPresence>('peer', (p) => p.sessionId === first.sessionId);

    const reloaded = await second.join(first.sessionId);
    expect(reloaded.sessionId).not.toBe(first.sessionId);
    // The other side hears of the new session (it builds a new peer connection).
    await customerEvents.next<PeerPresence>('peer', (p) => p.sessionId === reloaded.sessionId);
    const old = await call.agent.send(OFFER, 1, first.sessionId);
    expect(old.status).toBe(409);
    expect(old.json.error?.code).toBe('session-replaced');
    expect((await call.agent.heartbeat(first.sessionId)).status).toBe(409);
    expect((await call.agent.poll(0, first.sessionId)).json.error?.code).toBe('session-replaced');
  });

  it('gives a stale seat to a new tab and tells the stale tab it was replaced', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    const stale = await call.agent.join();
    const staleEvents = await track(call.agent.events());
    await staleEvents.next('peer');
    clock.advance(31);
    await call.customer.heartbeat();
    const fresh = agentSideFor(server, call.id);
    const taken = await fresh.join();
    expect(taken.sessionId).not.toBe(stale.sessionId);
    await staleEvents.next('replaced');
    expect((await call.agent.send(OFFER, 1, stale.sessionId)).json.error?.code).toBe(
      'session-replaced',
    );
    expect((await fresh.send(OFFER)).status).toBe(202);
  });

  it('keeps heartbeats in the store: 204 for the seat, absent after 30 s, present again on a heartbeat', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    const agentEvents = await track(call.agent.events());
    await agentEvents.next<PeerPresence>('peer', (p) => p.present);
    expect((await call.customer.heartbeat()).status).toBe(204);
    const bad = await call.customer.request('POST', '/heartbeat', { sessionId: 'x' });
    expect(bad.status).toBe(400);

    clock.advance(31);
    await call.agent.heartbeat();
    expect((await server.sweep()).seatsAbsent).toBe(1);
    await agentEvents.next<PeerPresence>('peer', (p) => !p.present);
    expect((await call.agent.poll()).body?.peer.present).toBe(false);
    expect((await server.sweep()).seatsAbsent).toBe(0); // announced once
    expect((await call.customer.heartbeat()).status).toBe(204);
    await agentEvents.next<PeerPresence>('peer', (p) => p.present);
  });

  it('ends a call whose side stayed away past CALL_RECONNECT_SECONDS, for both sides', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    const agentEvents = await track(call.agent.events());
    await agentEvents.next('state');
    clock.advance(100);
    await call.agent.heartbeat();
    await server.sweep();
    expect(await new AgentApi(server.url).state(call.id)).toBe('in_call');
    clock.advance(25);
    await call.agent.heartbeat();
    const swept = await server.sweep();
    expect(swept.peerGone).toBe(1);
    await agentEvents.next<{ state: string }>('state', (d) => d.state === 'ended');
    const ended = (await server.deps.store.events(call.id)).at(-1);
    expect(ended).toMatchObject({ type: 'ended', actor: { kind: 'system' } });
    await expect(server.deps.room?.signals.seats(call.id)).resolves.toEqual([]);
  });

  it('refuses to sign in a call that is not admitted (wrong-state), and a dead link with 410', async () => {
    const api = agentApi(server.url);
    const { id, path } = await api.create();
    const browser = new Browser(server.url);
    await browser.postForm(path, { name: 'Anna' });
    const waiting = await customerSide(server, path, browser).request('POST', '/session', {});
    expect(waiting.status).toBe(409);
    expect(waiting.json.error).toMatchObject({
      code: 'wrong-state',
      details: { state: 'waiting' },
    });
    const agentWaiting = await agentSideFor(server, id).request('POST', '/session', {});
    expect(agentWaiting.json.error).toMatchObject({ code: 'wrong-state' });

    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    for (const m of [OFFER, candidate(1)]) await call.customer.send(m);
    const customerEvents = await track(call.customer.events());
    await customerEvents.next('state');
    expect((await api.call('POST', `/api/calls/${call.id}/end`)).status).toBe(200);
    await customerEvents.next<{ state: string }>('state', (d) => d.state === 'ended');
    const dead = await call.customer.send(candidate(2));
    expect(dead.status).toBe(410);
    expect(dead.json.error?.code).toBe('link-dead');
    expect((await call.customer.request('POST', '/session', {})).status).toBe(410);
    const agentAfter = await call.agent.send(ANSWER);
    expect(agentAfter.status).toBe(409);
    expect(agentAfter.json.error).toMatchObject({
      code: 'wrong-state',
      details: { state: 'ended' },
    });
    expect((await call.agent.poll()).body).toMatchObject({ state: 'ended', messages: [] });
    // Signal rows and seats go with the call.
    await expect(server.deps.room?.signals.seats(call.id)).resolves.toEqual([]);
    await expect(server.deps.room?.signals.callsWithRows(100)).resolves.not.toContain(call.id);
    expect((await call.browser.get(call.path)).status).toBe(303); // the claimant goes to its lobby
    expect((await call.browser.get(`${call.path}/lobby`)).status).toBe(410);
  });

  it('caps each session at 120 messages per 10 s with 429 and Retry-After', async () => {
    const call = await admittedCall(server);
    await call.customer.join();
    await call.agent.join();
    for (let i = 0; i < 120; i++) {
      const r = await call.customer.send(candidate(i));
      if (r.status !== 202) throw new Error(`message ${i}: ${r.status}`);
    }
    const over = await call.customer.send(candidate(999));
    expect(over.status).toBe(429);
    expect(over.json.error?.code).toBe('rate-limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    // The agent is not limited by the customer's traffic.
    expect((await call.agent.send(ANSWER)).status).toBe(202);
    clock.advance(11);
    expect((await call.customer.send(candidate(1000), 121)).status).toBe(202);
  });

  it('applies the agent API origin check to the agent side', async () => {
    const call = await admittedCall(server);
    const r = await call.agent.request('POST', '/session', {}, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect((await call.agent.request('POST', '/session', {})).status).toBe(200);
  });
});

describe('browser call signalling with TURN credentials', () => {
  it('hands out TURN REST credentials that expire with the call', async () => {
    const server = await startTestServer({
      env: {
        ICE_SERVERS:
          'stun:stun.example.com:3478,turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
        TURN_SECRET: 'test-secret-not-real',
        ICE_TRANSPORT_POLICY: 'relay',
      },
    });
    try {
      const call = await admittedCall(server);
      const session = await call.customer.join();
      expect(session.iceTransportPolicy).toBe('relay');
      expect(session.iceServers[0]).toEqual({ urls: ['stun:stun.example.com:3478'] });
      const turn = session.iceServers[1];
      expect(turn?.urls).toEqual([
        'turn:turn.example.com:3478?transport=udp',
        'turns:turn.example.com:5349',
      ]);
      const stored = await server.deps.store.get(call.id);
      const expiry = Math.floor(Date.parse(stored!.expiresAt) / 1000);
      expect(turn?.username).toBe(`${expiry}:${call.id}`);
      expect(turn?.credential).toBe(
        createHmac('sha1', 'test-secret-not-real').update(`${expiry}:${call.id}`).digest('base64'),
      );
    } finally {
      await server.close();
    }
  });
});

/** Teams-mode tests name the agent in a header (a stand-in for Entra SSO, which has its own suite). */
class HeaderAuthenticator implements AgentAuthenticator {
  authenticate(request: AuthRequest): Promise<AgentPrincipal> {
    const name = request.headers['x-test-agent'];
    if (typeof name !== 'string') return Promise.reject(new AppError('unauthorized', 'no agent'));
    return Promise.resolve({ id: asAadObjectId(`agent-${name}`), name });
  }
}

describe('browser call signalling for team calls (Teams mode, MEETING_PROVIDER=browser)', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({
      env: {
        PUBLIC_BASE_URL: 'https://calls.example.com',
        SECURE_COOKIES: 'false',
        AAD_APP_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
        AAD_APP_TENANT_ID: '72f988bf-0000-4000-8000-000000000001',
        MEETING_PROVIDER: 'browser',
      },
      overrides: {
        notifier: false,
        cloud: {
          auth: new HeaderAuthenticator(),
          meetings: new BrowserMeetingProvider(new CryptoRandomSource()),
          teams: { isMember: (_agent, team) => Promise.resolve(team === 'team-1') },
        },
      },
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it('seats only the team member who admitted; the owner and others get 403, strangers 404', async () => {
    const call = await admittedCall(server, { owner: 'alice', admitter: 'bob', team: true });
    expect((await call.agent.join()).role).toBe('agent');
    const owner = agentSideFor(server, call.id, 'alice');
    const refused = await owner.request('POST', '/session', {});
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('forbidden');
    expect((await owner.send(OFFER, 1, call.agent.sessionId)).status).toBe(403);
    expect((await owner.poll(0, call.agent.sessionId)).status).toBe(403);
    const anonymous = agentSideFor(server, call.id);
    expect((await anonymous.request('POST', '/session', {})).status).toBe(401);
  });

  it('seats the owner of a personal call, and nobody else', async () => {
    const call = await admittedCall(server, { owner: 'alice' });
    await call.agent.join();
    const other = agentSideFor(server, call.id, 'mallory');
    expect((await other.request('POST', '/session', {})).status).toBe(404);
  });
});
