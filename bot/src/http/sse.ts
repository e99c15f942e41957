import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '@shared';
import { addressKey } from './rate-limit';

/** One open server-sent-events response. */
export type EventStream = {
  /** Sends one event; `id` becomes the client's `Last-Event-ID` when it reconnects. */
  send(event: string, data: unknown, id?: string): void;
  /**
   * {@link send} with `data` already serialised (`JSON.stringify`, one line): one change fanned
   * out to many streams is serialised once, not once per stream.
   */
  sendJson(event: string, json: string, id?: string): void;
  close(): void;
  onClose(listener: () => void): void;
};

/** Open streams allowed at once. A refusal is `429` with `Retry-After`; the pages fall back to polling. */
export type StreamLimits = {
  /** From one client address (IPv6: one /64). @default 100 */
  readonly perAddress: number;
  /** For one claimed link (the customer's browser). @default 5 */
  readonly perClaim: number;
  /** For one agent (several tabs and devices). @default 10 */
  readonly perAgent: number;
};

/** The production stream caps. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = { perAddress: 100, perClaim: 5, perAgent: 10 };

/** Whose stream it is, for the per-owner cap. */
export type StreamOwner = { readonly kind: 'claim' | 'agent'; readonly id: string };

const RETRY_AFTER_SECONDS = 30;

/** Every open stream of one server, so shutdown can end them (they would hold `server.close` open). */
export class EventStreams {
  private readonly streams = new Set<EventStream>();
  private readonly counts = new Map<string, number>();
  private readonly limits: StreamLimits;

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...limits };
  }

  /**
   * Starts an SSE response: headers, a retry hint, and a heartbeat that keeps proxies from timing out.
   * Throws `rate-limited` (before anything is sent) when the address or `owner` holds too many.
   */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    options: {
      /** The client's address (`req.ip` behind proxies). @default Express's `req.ip`, or the socket's */
      readonly address?: string | undefined;
      readonly owner?: StreamOwner | undefined;
      readonly heartbeatMs?: number;
    } = {},
  ): EventStream {
    const address =
      options.address ?? (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? 'unknown';
    const keys = [`address:${addressKey(address)}`];
    const caps = [this.limits.perAddress];
    if (options.owner) {
      keys.push(`${options.owner.kind}:${options.owner.id}`);
      caps.push(options.owner.kind === 'claim' ? this.limits.perClaim : this.limits.perAgent);
    }
    if (keys.some((key, i) => (this.counts.get(key) ?? 0) >= caps[i]!)) {
      throw new AppError('rate-limited', 'Too many open event streams', {
        details: { retryAfterSeconds: RETRY_AFTER_SECONDS },
      });
    }
    for (const key of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const heartbeatMs = options.heartbeatMs ?? 20_000;
    // A stream is idle between events by design: no socket idle timeout for this response only.
    req.socket.setTimeout(0);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const listeners: Array<() => void> = [];
    let closed = false;
    const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
    heartbeat.unref();
    const sendJson = (event: string, json: string, id?: string) => {
      if (closed) return;
      const idLine = id === undefined ? '' : `id: ${id.replace(/[\r\n]/g, '')}\n`;
      res.write(`event: ${event}\n${idLine}data: ${json}\n\n`);
    };
    const stream: EventStream = {
      send: (event, data, id) => {
        if (!closed) sendJson(event, JSON.stringify(data), id);
      },
      sendJson,
      close: () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        this.streams.delete(stream);
        for (const key of keys) {
          const left = (this.counts.get(key) ?? 1) - 1;
          if (left <= 0) this.counts.delete(key);
          else this.counts.set(key, left);
        }
        for (const listener of listeners) listener();
        res.end();
      },
      onClose: (listener) => listeners.push(listener),
    };
    this.streams.add(stream);
    req.on('close', () => stream.close());
    return stream;
  }

  /** True while this server holds an open stream of `owner` (an agent's tab, a customer's lobby). */
  isOpen(owner: StreamOwner): boolean {
    return (this.counts.get(`${owner.kind}:${owner.id}`) ?? 0) > 0;
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.close();
  }

  get size(): number {
    return this.streams.size;
  }
}
