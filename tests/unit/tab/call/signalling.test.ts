import { HttpSignalling, SignalError } from '../../../../tab/src/call/signalling';

type Call = { url: string; init: RequestInit | undefined };

function fakeServer(answers: ((call: Call) => Response)[]) {
  const calls: Call[] = [];
  const fetch = (url: string, init?: RequestInit): Promise<Response> => {
    const call = { url, init };
    // Polls (GET) see an empty call; the test scripts the answers to its POSTs.
    if (!init?.method || init.method === 'GET') {
      const poll = { messages: [], peer: { present: false, sessionId: null }, state: 'admitted' };
      return Promise.resolve(json(200, poll));
    }
    calls.push(call);
    const answer = answers.shift();
    if (!answer) return Promise.reject(new Error('no answer left'));
    return Promise.resolve(answer(call));
  };
  return { calls, fetch: fetch as unknown as typeof globalThis.fetch };
}

// jsdom has no `Response`: the part of it the client reads.
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (name: string) => headers[name] ?? null },
    json: () => Promise.resolve(body),
  }) as unknown as Response;

const grant = {
  sessionId: 'sessionsessionA1',
  role: 'customer',
  polite: true,
  iceServers: [],
  iceTransportPolicy: 'all',
  peer: { present: false, sessionId: null },
  heartbeatSeconds: 10,
  reconnectSeconds: 120,
  state: 'admitted',
};
const candidate = {
  type: 'candidate',
  candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' },
} as const;
const bodyOf = (call: Call | undefined): unknown => JSON.parse(call?.init?.body as string);

describe('HTTP signalling', () => {
  it('resumes the stored session after a reload and continues its sequence', async () => {
    const storage = window.sessionStorage;
    storage.clear();
    const first = fakeServer([
      () => json(200, grant),
      () => json(202, { id: 1 }),
      () => json(202, { id: 2 }),
    ]);
    const a = new HttpSignalling({ base: '/j/abc/call', storage, fetch: first.fetch });
    await a.join();
    await a.send(candidate);
    await a.send(candidate);
    expect(bodyOf(first.calls[2])).toMatchObject({ sessionId: grant.sessionId, seq: 2 });

    const second = fakeServer([() => json(200, grant), () => json(202, { id: 3 })]);
    const b = new HttpSignalling({ base: '/j/abc/call', storage, fetch: second.fetch });
    await b.join();
    expect(bodyOf(second.calls[0])).toEqual({ sessionId: grant.sessionId });
    await b.send(candidate);
    expect(bodyOf(second.calls[1])).toMatchObject({ seq: 3 });
  });

  it('jumps ahead after out-of-order, and reports a replaced session', async () => {
    window.sessionStorage.clear();
    const replaced = jest.fn();
    const server = fakeServer([
      () => json(200, grant),
      () => json(409, { error: { code: 'out-of-order', message: 'x' } }),
      () => json(202, { id: 9 }),
      () => json(409, { error: { code: 'session-replaced', message: 'x' } }),
    ]);
    const s = new HttpSignalling({
      base: '/j/x/call',
      storage: window.sessionStorage,
      fetch: server.fetch,
      poll: true,
    });
    await s.join();
    s.listen({
      signal: jest.fn(),
      peer: jest.fn(),
      state: jest.fn(),
      replaced,
      offline: jest.fn(),
    });
    await s.send(candidate);
    expect((bodyOf(server.calls[2]) as { seq: number }).seq).toBeGreaterThan(1000);
    await expect(s.send(candidate)).rejects.toBeInstanceOf(SignalError);
    expect(replaced).toHaveBeenCalled();
    s.close();
  });

  it('refuses a busy seat with the server code', async () => {
    const server = fakeServer([() => json(409, { error: { code: 'call-busy', message: 'x' } })]);
    const s = new HttpSignalling({ base: '/j/y/call', fetch: server.fetch });
    await expect(s.join()).rejects.toMatchObject({ code: 'call-busy', status: 409 });
  });
});
