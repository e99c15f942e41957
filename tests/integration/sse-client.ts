/** Reads server-sent events from a real HTTP response; `next` waits for the next matching event. */
export class SseClient {
  private buffer = '';
  private readonly queue: Array<{ event: string; data: unknown }> = [];
  private waiters: Array<() => void> = [];
  private readonly controller = new AbortController();
  status = 0;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: client.controller.signal,
    });
    client.status = response.status;
    if (response.body) void client.pump(response.body);
    return client;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) this.queue.push({ event, data: JSON.parse(data) });
        }
        for (const w of this.waiters.splice(0)) w();
      }
    } catch {
      // aborted
    }
  }

  /** The next event named `event` whose data passes `match`; the events before it are dropped. */
  async next<T>(
    event: string,
    match: (data: T) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex((e) => e.event === event && match(e.data as T));
      if (index >= 0) {
        const skipped = this.queue.splice(0, index + 1);
        return skipped[skipped.length - 1]!.data as T;
      }
      if (Date.now() > deadline) throw new Error(`no ${event} event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}
