import { createEventStreamParser } from '../call/sse';

/** One server-sent event. */
export type SseMessage = { readonly event: string; readonly data: string };

/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it chunks, it returns the
 * complete events. Comments (`: ping`) are dropped. The call's parser (framework-free, in the
 * customer call bundle) without the `id`, which the tab's call list does not use.
 */
export function createSseParser(): (chunk: string) => SseMessage[] {
  const parse = createEventStreamParser();
  return (chunk) => parse(chunk).map(({ event, data }) => ({ event, data }));
}
