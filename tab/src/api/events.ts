import { CallStreamEventSchema, type CallDto } from '@shared';
import { createSseParser } from './sse';

/** The stream's state, for a small "live / reconnecting" indicator. */
export type StreamStatus = 'connecting' | 'open' | 'reconnecting';

export type CallStreamHandlers = {
  readonly onCall: (call: CallDto) => void;
  readonly onStatus?: ((status: StreamStatus) => void) | undefined;
  /** After the stream came back: events may have been missed, so the caller refetches. */
  readonly onReconnected?: (() => void) | undefined;
};

export type CallStreamOptions = {
  readonly url: string;
  readonly headers: () => Promise<Record<string, string>>;
  readonly fetch?: typeof fetch | undefined;
  /** @default 1000 */
  readonly initialDelayMs?: number | undefined;
  /** @default 30000 */
  readonly maxDelayMs?: number | undefined;
};

/**
 * Follows `GET /api/events` and reconnects with exponential backoff. It reads the stream with
 * `fetch` rather than `EventSource` because Teams mode needs an `Authorization` header.
 * Returns the function that stops it.
 */
export function followCallStream(
  options: CallStreamOptions,
  handlers: CallStreamHandlers,
): () => void {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let stopped = false;
  let delay = initialDelay;
  let opened = false;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const scheduleRetry = () => {
    if (stopped) return;
    handlers.onStatus?.('reconnecting');
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, maxDelay);
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    controller = new AbortController();
    try {
      const response = await doFetch(options.url, {
        headers: { Accept: 'text/event-stream', ...(await options.headers()) },
        credentials: 'same-origin',
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
      handlers.onStatus?.('open');
      delay = initialDelay;
      if (opened) handlers.onReconnected?.();
      opened = true;
      const parse = createSseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const message of parse(value)) {
          if (message.event !== 'call') continue;
          const parsed = CallStreamEventSchema.safeParse(safeJson(message.data));
          if (parsed.success) handlers.onCall(parsed.data.call);
        }
      }
    } catch {
      // Network drop, server restart or abort: retried below unless stopped.
    }
    scheduleRetry();
  }

  handlers.onStatus?.('connecting');
  void connect();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    controller?.abort();
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
