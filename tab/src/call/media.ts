/** Why the camera or microphone could not be opened. */
export type MediaFailure = 'denied' | 'not-found' | 'in-use' | 'insecure' | 'unsupported' | 'other';

/** A failure to open the camera or microphone, with its kind for the page to explain. */
export class MediaError extends Error {
  constructor(
    readonly failure: MediaFailure,
    options?: { cause?: unknown },
  ) {
    super(`media: ${failure}`, options);
    this.name = 'MediaError';
  }
}

/** Maps a `getUserMedia` rejection to what the user can do about it. */
export function mediaFailureOf(error: unknown): MediaFailure {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError' || name === 'SecurityError')
    return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'not-found';
  if (name === 'NotReadableError' || name === 'AbortError') return 'in-use';
  return 'other';
}

/** `facingMode` asked for first: the rear camera on phones for the customer (what they show). */
export type Facing = 'environment' | 'user';

/** The local camera and microphone. */
export class LocalMedia {
  readonly stream: MediaStream;
  private videoDeviceId: string | undefined;
  micOn = true;
  camOn = true;

  private constructor(stream: MediaStream) {
    this.stream = stream;
    this.videoDeviceId = stream.getVideoTracks()[0]?.getSettings().deviceId;
  }

  /** Opens camera and microphone; falls back to audio only, then video only. Rejects with `MediaError`. */
  static async open(facing: Facing): Promise<LocalMedia> {
    const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!md || typeof md.getUserMedia !== 'function') {
      throw new MediaError(
        typeof isSecureContext !== 'undefined' && !isSecureContext ? 'insecure' : 'unsupported',
      );
    }
    const video: MediaTrackConstraints = {
      facingMode: { ideal: facing },
      width: { ideal: 1280 },
      height: { ideal: 720 },
    };
    const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true };
    try {
      return new LocalMedia(await md.getUserMedia({ video, audio }));
    } catch (first) {
      const failure = mediaFailureOf(first);
      if (failure === 'denied') throw new MediaError('denied', { cause: first });
      // One of the two is missing or busy: take what there is.
      for (const only of [{ audio }, { video }]) {
        try {
          return new LocalMedia(await md.getUserMedia(only));
        } catch {
          // try the next
        }
      }
      throw new MediaError(failure, { cause: first });
    }
  }

  get videoTrack(): MediaStreamTrack | undefined {
    return this.stream.getVideoTracks()[0];
  }

  get audioTrack(): MediaStreamTrack | undefined {
    return this.stream.getAudioTracks()[0];
  }

  setMic(on: boolean): void {
    this.micOn = on;
    for (const t of this.stream.getAudioTracks()) t.enabled = on;
  }

  setCamera(on: boolean): void {
    this.camOn = on;
    for (const t of this.stream.getVideoTracks()) t.enabled = on;
  }

  /** The cameras there are (labels once permission is granted). */
  static async cameras(): Promise<MediaDeviceInfo[]> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((d) => d.kind === 'videoinput');
  }

  /**
   * Opens the next camera and swaps it into the stream; returns the new track (the caller hands it
   * to `replaceTrack`), or `undefined` when there is only one camera.
   */
  async switchCamera(): Promise<MediaStreamTrack | undefined> {
    const cameras = await LocalMedia.cameras();
    if (cameras.length < 2) return undefined;
    const at = cameras.findIndex((c) => c.deviceId === this.videoDeviceId);
    const next = cameras[(at + 1) % cameras.length];
    if (!next) return undefined;
    const old = this.videoTrack;
    // Phones often cannot open two cameras at once: release the old one first.
    old?.stop();
    const fresh = await navigator.mediaDevices.getUserMedia({
      video: { deviceId: { exact: next.deviceId }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    const track = fresh.getVideoTracks()[0];
    if (!track) return undefined;
    if (old) this.stream.removeTrack(old);
    this.stream.addTrack(track);
    track.enabled = this.camOn;
    this.videoDeviceId = next.deviceId;
    return track;
  }

  /** Stops every track: the camera light goes off. */
  stop(): void {
    for (const t of this.stream.getTracks()) t.stop();
  }
}
