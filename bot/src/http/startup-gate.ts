import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorBody } from '@shared';

/** Seconds a client is asked to wait (`Retry-After`) while the server starts or stops. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * Answers `503` with `Retry-After` until `open()` and again after `drain()`: a request that reaches
 * the server before every store is migrated and every handler attached, or while it shuts down,
 * gets a clear answer at once instead of hanging or meeting half a server.
 */
export class StartupGate {
  private phase: 'starting' | 'serving' | 'stopping' = 'starting';

  constructor(private readonly app: RequestListener) {}

  /** The `request` listener for `http.createServer`. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.phase === 'serving') {
      this.app(req, res);
      return;
    }
    const body: ErrorBody = {
      error: {
        code: 'upstream-unavailable',
        message:
          this.phase === 'starting'
            ? 'The server is starting. Please try again in a moment.'
            : 'The server is restarting. Please try again in a moment.',
      },
    };
    res.writeHead(503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(RETRY_AFTER_SECONDS),
      ...(this.phase === 'stopping' ? { Connection: 'close' } : {}),
    });
    res.end(JSON.stringify(body));
  };

  /** Everything is built: pass requests on to the app. */
  open(): void {
    if (this.phase === 'starting') this.phase = 'serving';
  }

  /** Shutting down: refuse new requests (`Connection: close`), finish none of them. */
  drain(): void {
    this.phase = 'stopping';
  }
}
