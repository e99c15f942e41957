import {
  CallSessionResponseSchema,
  SignalPollResponseSchema,
  type CallSessionResponse,
  type SignalMessage,
} from '@shared';
import type { TestServer } from './harness';
import { AgentApi, Browser } from './http-client';
import { SseClient } from './sse-client';

// One side of a browser call over real HTTP, and a call admitted for the signalling tests.

export const OFFER: SignalMessage = {
  type: 'description',
  description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
};
export const ANSWER: SignalMessage = {
  type: 'description',
  description: { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n' },
};
export const candidate = (n: number): SignalMessage => ({
  type: 'candidate',
  candidate: {
    candidate: `candidate:${n} 1 udp 2122260223 192.168.1.2 ${50000 + n} typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
});

export type Reply = {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
};

export async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: Reply['json'];
  try {
    json = text ? (JSON.parse(text) as Reply['json']) : {};
  } catch {
    json = {}; // not JSON: the test asserts on the status
  }
  return { status: response.status, headers: response.headers, json };
}

/** One side of a call, over HTTP: the customer's browser (cookie) or the agent's tab (headers). */
export class Side {
  seq = 0;
  session: CallSessionResponse | undefined;

  constructor(
    private readonly base: string,
    readonly prefix: string,
    private readonly headers: () => Record<string, string>,
  ) {}

  async request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
    return reply(
      await fetch(`${this.base}${this.prefix}${path}`, {
        method,
        headers: {
          ...this.headers(),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...extra,
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      }),
    );
  }

  async join(resume?: string): Promise<CallSessionResponse> {
    const r = await this.request('POST', '/session', resume ? { sessionId: resume } : {});
    if (r.status !== 200) throw new Error(`session: ${r.status} ${JSON.stringify(r.json)}`);
    this.session = CallSessionResponseSchema.parse(r.json);
    this.seq = 0;
    return this.session;
  }

  get sessionId(): string {
    if (!this.session) throw new Error('no session');
    return this.session.sessionId;
  }

  send(message: SignalMessage, seq = ++this.seq, sessionId = this.sessionId) {
    return this.request('POST', '/signal', { sessionId, seq, message });
  }

  heartbeat(sessionId = this.sessionId) {
    return this.request('POST', '/heartbeat', { sessionId });
  }

  async poll(after = 0, sessionId = this.sessionId) {
    const r = await this.request('GET', `/signal?sessionId=${sessionId}&after=${after}`);
    return { ...r, body: r.status === 200 ? SignalPollResponseSchema.parse(r.json) : undefined };
  }

  events(after = 0, extra: Record<string, string> = {}, sessionId = this.sessionId) {
    return SseClient.open(
      `${this.base}${this.prefix}/events?sessionId=${sessionId}&after=${after}`,
      { ...this.headers(), ...extra },
    );
  }
}

/** An agent API client that names the agent (teams-mode tests authenticate by a test header). */
export const agentApi = (base: string, agent?: string) => {
  const api = new AgentApi(base);
  const headers: Record<string, string> = agent ? { 'x-test-agent': agent } : {};
  return {
    headers,
    create: async (body: Record<string, unknown> = {}) => {
      const r = await api.call('POST', '/api/calls', body, headers);
      if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
      const link = (r.json as { link: string }).link;
      return { id: (r.json['call'] as { id: string }).id, path: new URL(link).pathname };
    },
    call: (method: string, path: string, body?: unknown) => api.call(method, path, body, headers),
  };
};

export type Admitted = {
  readonly id: string;
  readonly path: string;
  readonly browser: Browser;
  readonly customer: Side;
  readonly agent: Side;
};

/** A link claimed by a customer and admitted by `agent` (default: the embedded local agent). */
export async function admittedCall(
  server: TestServer,
  options: { owner?: string; admitter?: string; team?: boolean } = {},
): Promise<Admitted> {
  const owner = agentApi(server.url, options.owner);
  const { id, path } = await owner.create(
    options.team ? { team: { id: 'team-1', name: 'Support' } } : {},
  );
  const browser = new Browser(server.url);
  const claimed = await browser.postForm(path, { name: 'Anna' });
  if (claimed.status !== 303) throw new Error(`claim: ${claimed.status}`);
  const admitter = agentApi(server.url, options.admitter ?? options.owner);
  const admitted = await admitter.call('POST', `/api/calls/${id}/admit`);
  if (admitted.status !== 200) throw new Error(`admit: ${admitted.status} ${admitted.text}`);
  return {
    id,
    path,
    browser,
    customer: customerSide(server, path, browser),
    agent: agentSideFor(server, id, options.admitter ?? options.owner),
  };
}

export const customerSide = (server: TestServer, path: string, browser: Browser) =>
  new Side(server.url, `${path}/call`, () => ({ cookie: browser.cookieFor(`${path}/call`) }));

export const agentSideFor = (server: TestServer, id: string, agent?: string) =>
  new Side(server.url, `/api/calls/${id}/call`, (): Record<string, string> =>
    agent ? { 'x-test-agent': agent } : {},
  );
