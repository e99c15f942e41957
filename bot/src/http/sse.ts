import type { Request, Response } from 'express';

/** One open server-sent-events response. */
export type EventStream = {
  /** Sends one event; `id` becomes the client's `Last-Event-ID` when it reconnects. */
  send(event: string, data: unknown, id?: string): void;
  close(): void;
  onClose(listener: () => void): void;
};

/** Every open stream of one server, so shutdown can end them (they would hold `server.close` open). */
export class EventStreams {
  private readonly streams = new Set<EventStream>();

  /** Starts an SSE response: headers, a retry hint, and a heartbeat that keeps proxies from timing out. */
  open(req: Request, res: Response, heartbeatMs = 20_000): EventStream {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const listeners: Array<() => void> = [];
    let closed = false;
    const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
    heartbeat.unref();
    const stream: EventStream = {
      send: (event, data, id) => {
        if (closed) return;
        const idLine = id === undefined ? '' : `id: ${id.replace(/[\r\n]/g, '')}\n`;
        res.write(`event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`);
      },
      close: () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        this.streams.delete(stream);
        for (const listener of listeners) listener();
        res.end();
      },
      onClose: (listener) => listeners.push(listener),
    };
    this.streams.add(stream);
    req.on('close', () => stream.close());
    return stream;
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.close();
  }

  get size(): number {
    return this.streams.size;
  }
}
