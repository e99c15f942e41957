import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { HttpSignalling, type SignalHandlers } from '../../../../tab/src/call/signalling';

// jsdom has no fetch streams; browsers do (the client picks the stream when it finds them).
if (!('ReadableStream' in globalThis))
  Object.assign(globalThis, { ReadableStream: NodeReadableStream });

// What the engine hears: the event stream (fetch-streamed text/event-stream) and the polling
// fallback, with their duplicates, refusals and the stored resume point.

const base = '/api/calls/c1/call';
const grant = {
  sessionId: 'sessionsessionA1',
  role: 'agent',
  polite: false,
  iceServers: [],
  iceTransportPolicy: 'all',
  peer: { present: false, sessionId: null },
  heartbeatSeconds: 10,
  reconnectSeconds: 120,
  state: 'in_call',
};
const envelope = (id: number) => ({
  id,
  from: 'customer',
  seq: id,
  message: { type: 'candidate', candidate: { candidate: `candidate:${id}` } },
});

const response = (status: number, body: unknown, stream?: ReadableStream<Uint8Array>) =>
  ({
    ok: status >= 200 && status < 300,
    status,
    headers: { get: () => null },
    json: () => Promise.resolve(body),
    body: stream ?? null,
  }) as unknown as Response;

function recorder() {
  const seen: string[] = [];
  const handlers: SignalHandlers = {
    signal: (e) => seen.push(`signal ${e.id}`),
    peer: (p) => seen.push(`peer ${String(p.present)}`),
    state: (s) => seen.push(`state ${s}`),
    replaced: () => seen.push('replaced'),
    offline: (o) => seen.push(`offline ${String(o)}`),
  };
  return { seen, handlers };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

let signalling: HttpSignalling | undefined;
afterEach(() => {
  signalling?.close();
  window.sessionStorage.clear();
});

describe('HTTP signalling events', () => {
  it('delivers streamed events once each, across chunk boundaries, and keeps the resume point', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
    const requests: { url: string; headers: Record<string, string> }[] = [];
    const fetch = (url: string, init?: RequestInit) => {
      requests.push({ url, headers: (init?.headers ?? {}) as Record<string, string> });
      if (url.endsWith('/session')) return Promise.resolve(response(200, grant));
      return Promise.resolve(response(200, {}, body));
    };
    signalling = new HttpSignalling({
      base,
      fetch: fetch as unknown as typeof globalThis.fetch,
      storage: window.sessionStorage,
    });
    await signalling.join();
    const { seen, handlers } = recorder();
    signalling.listen(handlers);
    const text = new TextEncoder();
    const e3 = `id: 3\nevent: signal\ndata: ${JSON.stringify(envelope(3))}\n\n`;
    controller.enqueue(text.encode('event: peer\ndata: {"present":true,"sessionId":"s2"}\n\n'));
    controller.enqueue(text.encode(e3.slice(0, 20)));
    controller.enqueue(text.encode(e3.slice(20) + ': ping\n\n' + e3)); // the same event again
    controller.enqueue(text.encode('event: state\ndata: {"state":"ended"}\n\n'));
    await until(() => seen.includes('state ended'));
    expect(seen).toEqual(['offline false', 'peer true', 'signal 3', 'state ended']);
    expect(requests[1]?.url).toBe(`${base}/events?sessionId=sessionsessionA1&after=0`);
    expect(requests[1]?.headers['Accept']).toBe('text/event-stream');
    // A reload resumes after event 3.
    const stored = window.sessionStorage.getItem(`otc.call:${base}`);
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ sessionId: 'sessionsessionA1', after: 3 });
  });

  it.each([
    [410, {}, 'state ended'],
    [409, { error: { code: 'wrong-state', details: { state: 'expired' } } }, 'state expired'],
    [409, { error: { code: 'session-replaced' } }, 'replaced'],
  ])('stops listening when the stream is refused with %i (%j)', async (status, body, heard) => {
    let streams = 0;
    const fetch = (url: string) => {
      if (url.endsWith('/session')) return Promise.resolve(response(200, grant));
      streams += 1;
      return Promise.resolve(response(status, body));
    };
    signalling = new HttpSignalling({ base, fetch: fetch as unknown as typeof globalThis.fetch });
    await signalling.join();
    const { seen, handlers } = recorder();
    signalling.listen(handlers);
    await until(() => seen.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([heard]);
    expect(streams).toBe(1); // no retry loop against a call that is over
  });

  it('polls where streams are missing: state, peer, then the new messages', async () => {
    const urls: string[] = [];
    const fetch = (url: string, init?: RequestInit) => {
      if (url.endsWith('/session')) return Promise.resolve(response(200, grant));
      urls.push(`${init?.method ?? 'GET'} ${url}`);
      return Promise.resolve(
        response(200, {
          messages: [envelope(1), envelope(2), { nonsense: true }],
          peer: { present: true, sessionId: 's2' },
          state: 'in_call',
        }),
      );
    };
    signalling = new HttpSignalling({
      base,
      fetch: fetch as unknown as typeof globalThis.fetch,
      poll: true,
    });
    await signalling.join();
    const { seen, handlers } = recorder();
    signalling.listen(handlers);
    await until(() => seen.includes('signal 2'));
    expect(seen).toEqual(['state in_call', 'peer true', 'signal 1', 'signal 2']);
    expect(urls[0]).toBe(`GET ${base}/signal?sessionId=sessionsessionA1&after=0`);
  });
});
