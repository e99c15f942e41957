/** One server-sent event with its `id` (when the server gave one). */
export type EventStreamMessage = {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
};

/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it decoded chunks, it returns
 * the complete events. Comments (`: ping`) are dropped.
 */
export function createEventStreamParser(): (chunk: string) => EventStreamMessage[] {
  let buffer = '';
  let event = '';
  let id: string | undefined;
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    const out: EventStreamMessage[] = [];
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone '\r' at the very end may be the first half of '\r\n': wait for more.
      if (buffer[newline] === '\r' && newline + 1 === buffer.length) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n'), id });
        event = '';
        id = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    return out;
  };
}
