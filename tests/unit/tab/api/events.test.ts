/**
 * @jest-environment node
 */
// Node has the WHATWG streams and fetch Response that jsdom lacks.
import { createSseParser, followCallStream, type StreamStatus } from '../../../../tab/src/api';
import type { CallDto } from '@shared';
import { aCall } from '../builders';

describe('createSseParser', () => {
  it('parses events split across chunks and drops comments', () => {
    const parse = createSseParser();

    const first = parse('retry: 3000\n\n: ping\n\nevent: call\nda');
    const second = parse('ta: {"a":1}\r\n\r\nevent: other\ndata: x\ndata: y\n\n');

    expect(first).toEqual([]);
    expect(second).toEqual([
      { event: 'call', data: '{"a":1}' },
      { event: 'other', data: 'x\ny' },
    ]);
  });
});

type FakeResponse = { push(text: string): void; end(): void; response: Response };

function streamingResponse(): FakeResponse {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  const encoder = new TextEncoder();
  return {
    push: (text) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('followCallStream', () => {
  it('delivers calls, reconnects after a drop with backoff and asks for a reload', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'] });
    const connections: FakeResponse[] = [];
    const requests: Array<Record<string, string>> = [];
    const fakeFetch = (_url: RequestInfo | URL, init?: RequestInit) => {
      requests.push(init?.headers as Record<string, string>);
      const next = streamingResponse();
      connections.push(next);
      return Promise.resolve(next.response);
    };
    const calls: CallDto[] = [];
    const statuses: StreamStatus[] = [];
    let reloads = 0;

    const stop = followCallStream(
      {
        url: '/api/events',
        headers: () => Promise.resolve({ Authorization: 'Bearer t' }),
        fetch: fakeFetch,
        initialDelayMs: 1000,
      },
      {
        onCall: (c) => calls.push(c),
        onStatus: (s) => statuses.push(s),
        onReconnected: () => (reloads += 1),
      },
    );
    await flush();
    const call = aCall({ id: 'c1', state: 'waiting' });
    connections[0]?.push(`event: call\ndata: ${JSON.stringify({ call })}\n\n`);
    await flush();
    connections[0]?.end();
    await flush();

    expect(calls.map((c) => c.id)).toEqual(['c1']);
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting']);
    expect(connections).toHaveLength(1);

    jest.advanceTimersByTime(1000);
    await flush();

    expect(connections).toHaveLength(2);
    expect(reloads).toBe(1);
    expect(requests[1]).toMatchObject({ Authorization: 'Bearer t', Accept: 'text/event-stream' });
    stop();
    jest.useRealTimers();
  });

  it('ignores events that do not match the contract', async () => {
    const only = streamingResponse();
    const calls: CallDto[] = [];
    const stop = followCallStream(
      {
        url: '/api/events',
        headers: () => Promise.resolve({}),
        fetch: () => Promise.resolve(only.response),
      },
      { onCall: (c) => calls.push(c) },
    );
    await flush();
    only.push('event: call\ndata: {"call":{"id":1}}\n\nevent: call\ndata: not json\n\n');
    await flush();

    expect(calls).toEqual([]);
    stop();
  });
});
