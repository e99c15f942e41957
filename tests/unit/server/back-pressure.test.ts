import { Writable } from 'node:stream';
import { drainedOrClosed } from '../../../bot/src/http/back-pressure';

/** A stream that takes nothing until `flush`: every write past the mark asks the writer to wait. */
function slowSink() {
  const pending: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark: 4,
    write(_chunk, _encoding, callback) {
      pending.push(callback);
    },
  });
  const flush = () => pending.splice(0).forEach((callback) => callback());
  return { stream, flush };
}

describe('drainedOrClosed', () => {
  it('ends the wait on drain and leaves no listener behind, however many pages wait', async () => {
    const { stream, flush } = slowSink();
    const before = { drain: stream.listenerCount('drain'), close: stream.listenerCount('close') };
    for (let page = 0; page < 50; page += 1) {
      expect(stream.write('a page of rows')).toBe(false);
      const waiting = drainedOrClosed(stream);
      flush();
      await waiting;
    }
    expect(stream.listenerCount('drain')).toBe(before.drain);
    expect(stream.listenerCount('close')).toBe(before.close);
    expect(stream.listenerCount('error')).toBe(0);
  });

  it('ends the wait when the client goes away instead of draining', async () => {
    const { stream } = slowSink();
    stream.write('a page of rows');
    const waiting = drainedOrClosed(stream);
    stream.destroy();
    await expect(waiting).resolves.toBeUndefined();
    expect(stream.listenerCount('drain')).toBe(0);
  });

  it('does not wait on a stream that is already gone', async () => {
    const { stream } = slowSink();
    stream.destroy();
    await expect(drainedOrClosed(stream)).resolves.toBeUndefined();
  });
});
