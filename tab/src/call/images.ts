import { CHUNK_BYTES, randomId, type ImageKind, type PeerMessage } from './protocol';

/** Keeps at most this much queued in the data channel before waiting for it to drain. */
const HIGH_WATER = 256 * 1024;

/** Waits until the channel's queue is below the low mark. */
function drained(channel: RTCDataChannel): Promise<void> {
  if (channel.bufferedAmount <= HIGH_WATER) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', fail);
      resolve();
    };
    const fail = () => {
      channel.removeEventListener('bufferedamountlow', done);
      reject(new Error('data channel closed'));
    };
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', fail);
  });
}

/** Sends an image as `image-begin`, binary chunks of at most 16 KiB, `image-end`. */
export async function sendImage(
  channel: RTCDataChannel,
  kind: ImageKind,
  blob: Blob,
  size: { readonly width: number; readonly height: number },
): Promise<void> {
  channel.bufferedAmountLowThreshold = 64 * 1024;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const id = randomId();
  const begin: PeerMessage = {
    t: 'image-begin',
    id,
    kind,
    mime: blob.type === 'image/png' ? 'image/png' : 'image/jpeg',
    size: bytes.byteLength,
    width: size.width,
    height: size.height,
  };
  channel.send(JSON.stringify(begin));
  for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) {
    await drained(channel);
    channel.send(bytes.slice(at, at + CHUNK_BYTES).buffer);
  }
  channel.send(JSON.stringify({ t: 'image-end', id } satisfies PeerMessage));
}

/** A received image. */
export type ReceivedImage = {
  readonly kind: ImageKind;
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
};

/** Reassembles images from the channel's messages; drops anything out of shape. */
export class ImageAssembler {
  private current:
    | { begin: Extract<PeerMessage, { t: 'image-begin' }>; parts: ArrayBuffer[]; bytes: number }
    | undefined;

  begin(message: Extract<PeerMessage, { t: 'image-begin' }>): void {
    this.current = { begin: message, parts: [], bytes: 0 };
  }

  /** A binary chunk; `false` when it does not belong to an image in progress or overflows it. */
  chunk(data: ArrayBuffer): boolean {
    const c = this.current;
    if (!c || data.byteLength > CHUNK_BYTES || c.bytes + data.byteLength > c.begin.size) {
      this.current = undefined;
      return false;
    }
    c.parts.push(data);
    c.bytes += data.byteLength;
    return true;
  }

  /** The finished image, or `undefined` when the end does not match what began. */
  end(id: string): ReceivedImage | undefined {
    const c = this.current;
    this.current = undefined;
    if (!c || c.begin.id !== id || c.bytes !== c.begin.size) return undefined;
    return {
      kind: c.begin.kind,
      blob: new Blob(c.parts, { type: c.begin.mime }),
      width: c.begin.width,
      height: c.begin.height,
    };
  }
}

/** A still at the track's full resolution: the local `<video>` drawn onto a canvas, as JPEG. */
export async function captureStill(
  track: MediaStreamTrack,
): Promise<{ blob: Blob; width: number; height: number }> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('playsinline', '');
  video.srcObject = new MediaStream([track]);
  try {
    await video.play();
    if (!video.videoWidth) {
      await new Promise<void>((resolve) => {
        video.onloadeddata = () => resolve();
        setTimeout(resolve, 1000);
      });
    }
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) throw new Error('no video frame');
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.drawImage(video, 0, 0, width, height);
    const blob = await canvasBlob(canvas, 'image/jpeg', 0.85);
    return { blob, width, height };
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

/** `canvas.toBlob` as a promise. */
export function canvasBlob(
  canvas: HTMLCanvasElement,
  type: string,
  quality?: number,
): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('toBlob failed'))),
      type,
      quality,
    ),
  );
}
