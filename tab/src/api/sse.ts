/** One server-sent event. */
export type SseMessage = { readonly event: string; readonly data: string };

/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2.6, minus `id`/`retry`): feed it chunks,
 * it returns the complete events. Comments (`: ping`) are dropped.
 */
export function createSseParser(): (chunk: string) => SseMessage[] {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    const out: SseMessage[] = [];
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      const sepLength = buffer.startsWith('\r\n', newline) ? 2 : 1;
      // A lone '\r' at the very end may be the first half of '\r\n': wait for more.
      if (buffer[newline] === '\r' && newline + 1 === buffer.length) break;
      buffer = buffer.slice(newline + sepLength);
      if (line === '') {
        if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n') });
        event = '';
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
    }
    return out;
  };
}
