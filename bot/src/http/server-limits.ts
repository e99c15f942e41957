import http from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from './rate-limit';

/** How long a client may hold the server's resources. Every value has a production default. */
export type ServerLimits = {
  /** Whole request (headers and body) must arrive within this; a trickled body gets 408. @default 30000 */
  readonly requestTimeoutMs: number;
  /** Request headers must arrive within this. @default 15000 */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. @default 5000 */
  readonly keepAliveTimeoutMs: number;
  /** Requests served on one keep-alive connection before it is closed. @default 1000 */
  readonly maxRequestsPerSocket: number;
  /**
   * Open connections from one address (IPv6: one /64); more are answered 503. Not applied behind a
   * reverse proxy (`TRUST_PROXY`), where every connection comes from the proxy. @default 256
   */
  readonly maxConnectionsPerAddress: number;
  /** Open connections in all. @default 10000 */
  readonly maxConnections: number;
};

/** The production limits. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1000,
  maxConnectionsPerAddress: 256,
  maxConnections: 10_000,
};

const REFUSED_BODY = JSON.stringify({
  error: { code: 'rate-limited', message: 'Too many open connections from your address.' },
});
const REFUSED =
  'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\nConnection: close\r\n' +
  `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(REFUSED_BODY)}\r\n\r\n` +
  REFUSED_BODY;

/**
 * The HTTP server with timeouts and caps wherever a client can hold a resource. Request and header
 * timeouts apply only while a request is being received, so long-lived event streams are not cut
 * (they also turn the socket's idle timeout off, see `sse.ts`).
 */
export function createHttpServer(
  handler: http.RequestListener,
  options: {
    readonly limits?: Partial<ServerLimits> | undefined;
    /** Reverse-proxy hops in front (`TRUST_PROXY`). @default 0 */
    readonly trustProxy?: number | undefined;
  } = {},
): http.Server {
  const limits = {
    ...DEFAULT_SERVER_LIMITS,
    ...((options.trustProxy ?? 0) > 0 ? { maxConnectionsPerAddress: Infinity } : {}),
    ...options.limits,
  };
  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would double them).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(5_000, Math.floor(limits.requestTimeoutMs / 4)),
      ),
    },
    handler,
  );
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxConnections = limits.maxConnections;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = addressKey(socket.remoteAddress ?? 'unknown');
    const count = open.get(key) ?? 0;
    if (count >= limits.maxConnectionsPerAddress) {
      socket.end(REFUSED);
      socket.destroySoon();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
  return server;
}
