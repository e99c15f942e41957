import {
  parseEnvelope,
  type PeerPresence,
  type SessionGrant,
  type SignalEnvelope,
  type SignalMessage,
} from './protocol';
import { createEventStreamParser } from './sse';

/** What the engine hears from the signalling server. */
export type SignalHandlers = {
  readonly signal: (envelope: SignalEnvelope) => void;
  readonly peer: (presence: PeerPresence) => void;
  readonly state: (state: string) => void;
  /** Another window took this seat: stop. */
  readonly replaced: () => void;
  /** The signalling link is down (`true`) or back (`false`). */
  readonly offline: (offline: boolean) => void;
};

/** Why the server refused, from its error `code` (`call-busy`, `forbidden`, `wrong-state`…). */
export class SignalError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly state?: string,
  ) {
    super(`signalling failed: ${status} ${code}`);
    this.name = 'SignalError';
  }
}

/** The signalling port of the engine: the HTTP server in real life, an in-memory pair in tests. */
export interface Signalling {
  /** Takes (or resumes) this side's seat. Rejects with `SignalError`. */
  join(): Promise<SessionGrant>;
  /** Sends one message to the other side, in order. */
  send(message: SignalMessage): Promise<void>;
  /** Starts delivering events (catch-up first). */
  listen(handlers: SignalHandlers): void;
  /** Stops listening and heartbeats. */
  close(): void;
}

export type HttpSignallingOptions = {
  /** `/j/<code>/call` (customer) or `/api/calls/<id>/call` (agent). */
  readonly base: string;
  /** Extra headers for every request (the agent's bearer token). */
  readonly headers?: (() => Promise<Record<string, string>>) | undefined;
  /** Where the session, its sequence number and the last event id survive a reload. */
  readonly storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Forces polling instead of a streamed response (browsers without fetch streams). */
  readonly poll?: boolean | undefined;
};

type Saved = { sessionId?: string; seq: number; after: number };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function errorOf(response: Response): Promise<SignalError> {
  let code = 'http-' + response.status;
  let state: string | undefined;
  try {
    const body = (await response.json()) as {
      error?: { code?: string; details?: { state?: string } };
    };
    if (body.error?.code) code = body.error.code;
    state = body.error?.details?.state;
  } catch {
    // not JSON: keep the status code
  }
  return new SignalError(code, response.status, state);
}

/**
 * Signalling over our server: `POST session|signal|heartbeat`, events as a fetch-streamed
 * `text/event-stream` resumed with `Last-Event-ID`, or polling where streams are missing.
 */
export class HttpSignalling implements Signalling {
  private readonly key: string;
  private saved: Saved;
  private grant: SessionGrant | undefined;
  private handlers: SignalHandlers | undefined;
  private closed = false;
  private sending: Promise<void> = Promise.resolve();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private abort: AbortController | undefined;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: HttpSignallingOptions) {
    this.key = 'otc.call:' + options.base;
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    let saved: Saved = { seq: 0, after: 0 };
    try {
      const raw = options.storage?.getItem(this.key);
      if (raw) saved = { ...saved, ...(JSON.parse(raw) as Partial<Saved>) };
    } catch {
      // storage unavailable or corrupt: start afresh
    }
    this.saved = saved;
  }

  private save(): void {
    try {
      this.options.storage?.setItem(this.key, JSON.stringify(this.saved));
    } catch {
      // private mode: a reload then takes a fresh seat once the old one goes stale
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(await this.options.headers?.()),
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return this.doFetch(this.options.base + path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  async join(): Promise<SessionGrant> {
    const response = await this.request(
      'POST',
      '/session',
      this.saved.sessionId ? { sessionId: this.saved.sessionId } : {},
    );
    if (!response.ok) throw await errorOf(response);
    const grant = (await response.json()) as SessionGrant;
    if (grant.sessionId !== this.saved.sessionId)
      this.saved = { sessionId: grant.sessionId, seq: 0, after: 0 };
    this.save();
    this.grant = grant;
    return grant;
  }

  send(message: SignalMessage): Promise<void> {
    const next = this.sending.then(() => this.sendNow(message));
    this.sending = next.catch(() => undefined);
    return next;
  }

  private async sendNow(message: SignalMessage): Promise<void> {
    for (let attempt = 0; attempt < 8 && !this.closed; attempt++) {
      this.saved.seq += 1;
      this.save();
      let response: Response;
      try {
        response = await this.request('POST', '/signal', {
          sessionId: this.saved.sessionId,
          seq: this.saved.seq,
          message,
        });
      } catch {
        await wait(500 * (attempt + 1));
        continue;
      }
      if (response.ok) return;
      const error = await errorOf(response);
      if (error.code === 'out-of-order') {
        // This tab lost count (storage cleared): jump ahead and try again.
        this.saved.seq += 1000;
        continue;
      }
      if (error.code === 'rate-limited') {
        const after = Number(response.headers.get('Retry-After')) || 1;
        await wait(after * 1000);
        this.saved.seq -= 1;
        continue;
      }
      if (error.code === 'session-replaced') this.handlers?.replaced();
      else if (error.code === 'wrong-state' && error.state) this.handlers?.state(error.state);
      throw error;
    }
  }

  listen(handlers: SignalHandlers): void {
    this.handlers = handlers;
    const seconds = this.grant?.heartbeatSeconds ?? 10;
    this.heartbeat = setInterval(() => void this.beat(), seconds * 1000);
    const streams =
      !this.options.poll &&
      typeof ReadableStream !== 'undefined' &&
      typeof TextDecoder !== 'undefined' &&
      typeof AbortController !== 'undefined';
    void (streams ? this.stream() : this.pollLoop());
  }

  private async beat(): Promise<void> {
    try {
      const response = await this.request('POST', '/heartbeat', {
        sessionId: this.saved.sessionId,
      });
      if (!response.ok) {
        const error = await errorOf(response);
        if (error.code === 'session-replaced') this.handlers?.replaced();
        else if (error.state) this.handlers?.state(error.state);
      }
    } catch {
      // the event stream reports the network
    }
  }

  private query(): string {
    return `?sessionId=${encodeURIComponent(this.saved.sessionId ?? '')}&after=${this.saved.after}`;
  }

  private deliver(event: string, data: string, id: string | undefined): void {
    const h = this.handlers;
    if (!h) return;
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      return;
    }
    if (event === 'signal') {
      const envelope = parseEnvelope(body);
      const seen = Number(id ?? envelope?.id);
      if (!envelope || envelope.id <= this.saved.after) return;
      this.saved.after = isFinite(seen) ? Math.max(seen, envelope.id) : envelope.id;
      this.save();
      h.signal(envelope);
    } else if (event === 'peer') h.peer(body as PeerPresence);
    else if (event === 'state') h.state((body as { state: string }).state);
    else if (event === 'replaced') h.replaced();
  }

  /** Handles a refused stream or poll; `true` when it is worth trying again. */
  private async refused(response: Response): Promise<boolean> {
    const error = await errorOf(response);
    if (error.code === 'session-replaced') {
      this.handlers?.replaced();
      return false;
    }
    if (error.state) {
      this.handlers?.state(error.state);
      return false;
    }
    if (response.status === 410) {
      this.handlers?.state('ended');
      return false;
    }
    return response.status >= 500 || response.status === 429;
  }

  private async stream(): Promise<void> {
    let delay = 500;
    while (!this.closed) {
      this.abort = new AbortController();
      try {
        const headers: Record<string, string> = {
          Accept: 'text/event-stream',
          ...(await this.options.headers?.()),
        };
        if (this.saved.after > 0) headers['Last-Event-ID'] = String(this.saved.after);
        const response = await this.doFetch(this.options.base + '/events' + this.query(), {
          headers,
          credentials: 'same-origin',
          cache: 'no-store',
          signal: this.abort.signal,
        });
        if (!response.ok) {
          if (!(await this.refused(response))) return;
          throw new Error('retry');
        }
        if (!response.body) {
          void this.pollLoop();
          return;
        }
        this.handlers?.offline(false);
        delay = 500;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const parse = createEventStreamParser();
        for (;;) {
          const read = await reader.read();
          if (read.done) break;
          for (const e of parse(decoder.decode(read.value, { stream: true })))
            this.deliver(e.event, e.data, e.id);
        }
      } catch {
        // dropped: retry below
      }
      if (this.closed) return;
      this.handlers?.offline(true);
      await wait(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }

  private async pollLoop(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        const response = await this.request('GET', '/signal' + this.query());
        if (!response.ok) {
          if (!(await this.refused(response))) return;
          throw new Error('retry');
        }
        const body = (await response.json()) as {
          messages: unknown[];
          peer: PeerPresence;
          state: string;
        };
        if (failures > 0) this.handlers?.offline(false);
        failures = 0;
        this.handlers?.state(body.state);
        this.handlers?.peer(body.peer);
        for (const m of body.messages) this.deliver('signal', JSON.stringify(m), undefined);
      } catch {
        failures += 1;
        if (failures === 2) this.handlers?.offline(true);
      }
      await wait(1000);
    }
  }

  close(): void {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.abort?.abort();
  }
}
