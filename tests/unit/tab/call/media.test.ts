import { LocalMedia, MediaError, mediaFailureOf } from '../../../../tab/src/call/media';

// jsdom has no camera: tracks and a `navigator.mediaDevices` the test scripts.

type FakeTrack = { kind: string; enabled: boolean; stopped: boolean; id: string; stop(): void };
const track = (kind: 'audio' | 'video', id: string): FakeTrack => ({
  kind,
  id,
  enabled: true,
  stopped: false,
  stop() {
    this.stopped = true;
  },
});

function stream(tracks: FakeTrack[], deviceId = 'cam-a') {
  const list = [...tracks];
  return {
    getTracks: () => list,
    getAudioTracks: () => list.filter((t) => t.kind === 'audio'),
    getVideoTracks: () =>
      list
        .filter((t) => t.kind === 'video')
        .map((t) => Object.assign(t, { getSettings: () => ({ deviceId }) })),
    addTrack: (t: FakeTrack) => list.push(t),
    removeTrack: (t: FakeTrack) => list.splice(list.indexOf(t), 1),
  };
}

const namedError = (name: string) => Object.assign(new Error(name), { name });

function devices(
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<unknown>,
  cameras: string[] = ['cam-a'],
) {
  const md = {
    getUserMedia: jest.fn(getUserMedia),
    enumerateDevices: () =>
      Promise.resolve([
        { kind: 'audioinput', deviceId: 'mic' },
        ...cameras.map((deviceId) => ({ kind: 'videoinput', deviceId })),
      ]),
  };
  Object.defineProperty(navigator, 'mediaDevices', { value: md, configurable: true });
  return md;
}

afterEach(() => {
  Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
});

describe('mediaFailureOf', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['PermissionDeniedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'not-found'],
    ['OverconstrainedError', 'not-found'],
    ['NotReadableError', 'in-use'],
    ['AbortError', 'in-use'],
    ['TypeError', 'other'],
  ])('maps %s to %s', (name, failure) => {
    expect(mediaFailureOf(namedError(name))).toBe(failure);
  });

  it('is other for something that is not an error', () => {
    expect(mediaFailureOf(null)).toBe('other');
  });
});

describe('LocalMedia.open', () => {
  it('asks for the wanted camera and the microphone with echo cancellation', async () => {
    const md = devices(() => Promise.resolve(stream([track('audio', 'a'), track('video', 'v')])));
    const media = await LocalMedia.open('environment');
    expect(md.getUserMedia).toHaveBeenCalledTimes(1);
    const asked = md.getUserMedia.mock.calls[0]?.[0];
    expect(asked?.video).toMatchObject({ facingMode: { ideal: 'environment' } });
    expect(asked?.audio).toMatchObject({ echoCancellation: true });
    expect(media.audioTrack?.id).toBe('a');
    expect(media.videoTrack?.id).toBe('v');
  });

  it('falls back to the microphone alone when there is no camera', async () => {
    devices((c) =>
      c.video && c.audio
        ? Promise.reject(namedError('NotFoundError'))
        : c.audio
          ? Promise.resolve(stream([track('audio', 'a')]))
          : Promise.reject(namedError('NotFoundError')),
    );
    const media = await LocalMedia.open('user');
    expect(media.audioTrack?.id).toBe('a');
    expect(media.videoTrack).toBeUndefined();
  });

  it('does not retry when the user refused: the page explains how to allow it', async () => {
    const md = devices(() => Promise.reject(namedError('NotAllowedError')));
    await expect(LocalMedia.open('user')).rejects.toMatchObject({ failure: 'denied' });
    expect(md.getUserMedia).toHaveBeenCalledTimes(1);
  });

  it('reports the first failure when nothing at all can be opened', async () => {
    devices(() => Promise.reject(namedError('NotReadableError')));
    const error: unknown = await LocalMedia.open('user').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).failure).toBe('in-use');
  });

  it('is unsupported without mediaDevices', async () => {
    await expect(LocalMedia.open('user')).rejects.toMatchObject({ failure: 'unsupported' });
  });
});

describe('LocalMedia controls', () => {
  async function opened(cameras?: string[]) {
    const audio = track('audio', 'a');
    const video = track('video', 'v');
    const md = devices((c) => {
      if (c.audio) return Promise.resolve(stream([audio, video]));
      const id = (c.video as { deviceId: { exact: string } }).deviceId.exact;
      return Promise.resolve(stream([track('video', id)], id));
    }, cameras);
    return { media: await LocalMedia.open('user'), audio, video, md };
  }

  it('mutes and unmutes by disabling the tracks, and remembers the choice', async () => {
    const { media, audio, video } = await opened();
    media.setMic(false);
    media.setCamera(false);
    expect(audio.enabled).toBe(false);
    expect(video.enabled).toBe(false);
    expect([media.micOn, media.camOn]).toEqual([false, false]);
    media.setMic(true);
    expect(audio.enabled).toBe(true);
  });

  it('switches to the next camera, releasing the old one and keeping the camera off if it was', async () => {
    const { media, video } = await opened(['cam-a', 'cam-b']);
    media.setCamera(false);
    const fresh = await media.switchCamera();
    expect(video.stopped).toBe(true);
    expect(fresh?.id).toBe('cam-b');
    expect(fresh?.enabled).toBe(false);
    expect(media.videoTrack?.id).toBe('cam-b');
    expect(media.stream.getTracks()).not.toContain(video);
  });

  it('does not switch with one camera', async () => {
    const { media, video } = await opened(['cam-a']);
    expect(await media.switchCamera()).toBeUndefined();
    expect(video.stopped).toBe(false);
  });

  it('stops every track (the camera light goes off)', async () => {
    const { media, audio, video } = await opened();
    media.stop();
    expect([audio.stopped, video.stopped]).toEqual([true, true]);
  });
});
