import type { Writable } from 'node:stream';

/**
 * Waits until `stream` drains or closes, whichever comes first, and then takes both listeners off
 * again. A long download waits once per page: `Promise.race` over two `events.once` left the losing
 * listener (and `once`'s own `error` listener) on the response each time, so a slow client piled up
 * listeners for the whole export.
 */
export function drainedOrClosed(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
