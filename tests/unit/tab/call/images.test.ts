import { ImageAssembler, canvasBlob, sendImage } from '../../../../tab/src/call/images';
import { CHUNK_BYTES, parsePeerMessage } from '../../../../tab/src/call/protocol';

/** A data channel whose queue the test fills and drains. */
class Channel {
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readonly sent: unknown[] = [];
  private readonly listeners = new Map<string, Set<() => void>>();
  send(data: unknown): void {
    this.sent.push(data);
  }
  addEventListener(type: string, fn: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(fn);
  }
  removeEventListener(type: string, fn: () => void): void {
    this.listeners.get(type)?.delete(fn);
  }
  fire(type: string): void {
    for (const fn of [...(this.listeners.get(type) ?? [])]) fn();
  }
}

const blobOf = (bytes: number, type = 'image/jpeg') => {
  const data = new Uint8Array(bytes).map((_, i) => i % 251);
  // jsdom's Blob has no arrayBuffer(): the part sendImage reads.
  return { type, arrayBuffer: () => Promise.resolve(data.buffer) } as unknown as Blob;
};
const asChannel = (c: Channel) => c as unknown as RTCDataChannel;
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('sendImage', () => {
  it('sends begin, chunks of at most 16 KiB that add up to the image, and end', async () => {
    const channel = new Channel();
    const size = 2 * CHUNK_BYTES + 100;
    await sendImage(asChannel(channel), 'drawing', blobOf(size, 'image/png'), {
      width: 640,
      height: 480,
    });
    const [first, ...rest] = channel.sent;
    const last = rest.pop();
    const begin = parsePeerMessage(first as string);
    expect(begin).toMatchObject({
      t: 'image-begin',
      kind: 'drawing',
      mime: 'image/png',
      size,
      width: 640,
      height: 480,
    });
    expect(rest.map((c) => (c as ArrayBuffer).byteLength)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 100]);
    expect(parsePeerMessage(last as string)).toEqual({
      t: 'image-end',
      id: begin?.t === 'image-begin' ? begin.id : 'missing',
    });
  });

  it('round-trips through the assembler byte for byte', async () => {
    const channel = new Channel();
    await sendImage(asChannel(channel), 'photo', blobOf(CHUNK_BYTES + 7), { width: 2, height: 1 });
    const assembler = new ImageAssembler();
    for (const message of channel.sent) {
      if (typeof message !== 'string') {
        expect(assembler.chunk(message as ArrayBuffer)).toBe(true);
        continue;
      }
      const m = parsePeerMessage(message);
      if (m?.t === 'image-begin') assembler.begin(m);
      if (m?.t === 'image-end') {
        const image = assembler.end(m.id);
        expect(image).toMatchObject({ kind: 'photo', width: 2, height: 1 });
        expect(image?.blob.size).toBe(CHUNK_BYTES + 7);
        expect(image?.blob.type).toBe('image/jpeg');
      }
    }
  });

  it('waits while the channel queue is full and goes on when it drains', async () => {
    const channel = new Channel();
    channel.bufferedAmount = 1024 * 1024;
    const done = sendImage(asChannel(channel), 'photo', blobOf(CHUNK_BYTES * 2), {
      width: 1,
      height: 1,
    });
    await flush();
    expect(channel.sent).toHaveLength(1); // only the begin: no chunk on a full queue
    channel.bufferedAmount = 0;
    channel.fire('bufferedamountlow');
    await done;
    expect(channel.sent).toHaveLength(4);
  });

  it('fails when the channel closes while it waits', async () => {
    const channel = new Channel();
    channel.bufferedAmount = 1024 * 1024;
    const done = sendImage(asChannel(channel), 'photo', blobOf(10), { width: 1, height: 1 });
    await flush();
    channel.fire('close');
    await expect(done).rejects.toThrow('data channel closed');
  });
});

describe('ImageAssembler', () => {
  const begin = {
    t: 'image-begin',
    id: 'i',
    kind: 'snapshot',
    mime: 'image/jpeg',
    size: 4,
    width: 1,
    height: 1,
  } as const;

  it('drops an image that overflows its announced size', () => {
    const a = new ImageAssembler();
    a.begin(begin);
    expect(a.chunk(new ArrayBuffer(3))).toBe(true);
    expect(a.chunk(new ArrayBuffer(3))).toBe(false);
    expect(a.end('i')).toBeUndefined();
  });

  it('drops a chunk bigger than a chunk may be, and chunks without a begin', () => {
    const a = new ImageAssembler();
    expect(a.chunk(new ArrayBuffer(1))).toBe(false);
    a.begin({ ...begin, size: CHUNK_BYTES * 2 });
    expect(a.chunk(new ArrayBuffer(CHUNK_BYTES + 1))).toBe(false);
  });

  it('drops an end with another id', () => {
    const a = new ImageAssembler();
    a.begin(begin);
    a.chunk(new ArrayBuffer(4));
    expect(a.end('other')).toBeUndefined();
  });
});

describe('canvasBlob', () => {
  it('resolves with the blob, and rejects when the canvas gives none', async () => {
    const blob = new Blob(['x']);
    const ok = { toBlob: (cb: (b: Blob | null) => void) => cb(blob) };
    const ko = { toBlob: (cb: (b: Blob | null) => void) => cb(null) };
    await expect(canvasBlob(ok as unknown as HTMLCanvasElement, 'image/png')).resolves.toBe(blob);
    await expect(canvasBlob(ko as unknown as HTMLCanvasElement, 'image/png')).rejects.toThrow(
      'toBlob failed',
    );
  });
});
