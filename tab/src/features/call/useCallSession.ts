import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CallEngine,
  HttpSignalling,
  LocalMedia,
  MediaError,
  SignalError,
  type CallPhase,
  type Quality,
  type ReceivedImage,
} from '../../call';

/** Where the agent's camera and microphone are. */
export type MediaStatus = 'asking' | 'ready' | 'denied' | 'missing' | 'none';

/** One chat line of this call (kept in memory only). */
export type ChatLine = { readonly id: string; readonly mine: boolean; readonly text: string };

/** A picture from the customer (snapshot or photo), shown to draw on. */
export type Picture = {
  readonly kind: ReceivedImage['kind'];
  readonly url: string;
  readonly width: number;
  readonly height: number;
};

export type CallSessionState = {
  readonly media: MediaStatus;
  readonly phase: CallPhase;
  readonly refusal: string | undefined;
  readonly local: MediaStream | undefined;
  readonly remote: MediaStream | undefined;
  readonly remoteMedia: { readonly mic: boolean; readonly cam: boolean };
  readonly mic: boolean;
  readonly cam: boolean;
  readonly canSwitch: boolean;
  readonly quality: Quality | undefined;
  readonly chat: readonly ChatLine[];
  readonly picture: Picture | undefined;
  readonly snapshotPending: boolean;
  readonly snapshotFailed: boolean;
  readonly drawingDismissed: boolean;
  readonly channelOpen: boolean;
};

const INITIAL: CallSessionState = {
  media: 'asking',
  phase: 'joining',
  refusal: undefined,
  local: undefined,
  remote: undefined,
  remoteMedia: { mic: true, cam: true },
  mic: true,
  cam: true,
  canSwitch: false,
  quality: undefined,
  chat: [],
  picture: undefined,
  snapshotPending: false,
  snapshotFailed: false,
  drawingDismissed: false,
  channelOpen: false,
};

export type CallSessionOptions = {
  readonly callId: string;
  /** The API's origin prefix (`''` for the tab's own origin). */
  readonly apiBaseUrl: string;
  readonly headers: () => Promise<Record<string, string>>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
};

/**
 * The agent's side of the call: opens the camera (or not), runs the call engine and mirrors its
 * events into React state. Media, pictures and chat stay in this tab's memory.
 */
export function useCallSession(options: CallSessionOptions) {
  const { callId, apiBaseUrl, headers, storage } = options;
  const [state, setState] = useState<CallSessionState>(INITIAL);
  const [attempt, setAttempt] = useState<{ n: number; withMedia: boolean }>({
    n: 0,
    withMedia: true,
  });
  const engineRef = useRef<CallEngine | undefined>(undefined);
  const mediaRef = useRef<LocalMedia | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    let engine: CallEngine | undefined;
    let pictureUrl: string | undefined;
    const patch = (
      next: Partial<CallSessionState> | ((s: CallSessionState) => Partial<CallSessionState>),
    ) => setState((s) => ({ ...s, ...(typeof next === 'function' ? next(s) : next) }));

    void (async () => {
      setState({ ...INITIAL, media: attempt.withMedia ? 'asking' : 'none' });
      let media: LocalMedia | undefined;
      if (attempt.withMedia) {
        try {
          media = await LocalMedia.open('user');
        } catch (error) {
          if (cancelled) return;
          const failure = error instanceof MediaError ? error.failure : 'other';
          patch({ media: failure === 'denied' || failure === 'insecure' ? 'denied' : 'missing' });
          return;
        }
      }
      if (cancelled) {
        media?.stop();
        return;
      }
      mediaRef.current = media;
      patch({
        media: media ? 'ready' : 'none',
        local: media?.stream,
        mic: !!media?.audioTrack,
        cam: !!media?.videoTrack,
      });
      if (media?.videoTrack) {
        LocalMedia.cameras().then(
          (cams) => !cancelled && patch({ canSwitch: cams.length > 1 }),
          () => undefined,
        );
      }
      engine = new CallEngine({
        signalling: new HttpSignalling({
          base: `${apiBaseUrl}/api/calls/${encodeURIComponent(callId)}/call`,
          headers,
          storage,
        }),
        media,
        log: (message, detail) => console.debug('[call]', message, detail),
      });
      engineRef.current = engine;
      // The tab's own handle: the end-to-end tests read the connection's stats through it.
      (window as unknown as { otcCall?: CallEngine }).otcCall = engine;
      engine.on((event) => {
        if (cancelled) return;
        switch (event.type) {
          case 'phase':
            patch({
              phase: event.phase,
              refusal: event.phase === 'refused' ? event.reason : undefined,
            });
            if (event.phase === 'ended' || event.phase === 'replaced' || event.phase === 'refused')
              patch({ local: undefined, remote: undefined });
            return;
          case 'remote-stream':
            patch({ remote: event.stream });
            return;
          case 'remote-media':
            patch({ remoteMedia: { mic: event.mic, cam: event.cam } });
            return;
          case 'chat':
            patch((s) => ({
              chat: [...s.chat, { id: event.id, mine: event.mine, text: event.text }],
            }));
            return;
          case 'image': {
            if (pictureUrl) URL.revokeObjectURL(pictureUrl);
            pictureUrl = URL.createObjectURL(event.image.blob);
            patch({
              picture: {
                kind: event.image.kind,
                url: pictureUrl,
                width: event.image.width,
                height: event.image.height,
              },
              snapshotPending: false,
              drawingDismissed: false,
            });
            return;
          }
          case 'snapshot-failed':
            patch({ snapshotPending: false, snapshotFailed: true });
            return;
          case 'drawing-dismissed':
            patch({ drawingDismissed: true });
            return;
          case 'channel':
            patch({ channelOpen: event.open });
            return;
          case 'quality':
            patch({ quality: event.quality });
            return;
          case 'snapshot-request':
            return;
        }
      });
      engine.start().catch((error: unknown) => {
        if (!cancelled && !(error instanceof SignalError))
          patch({ phase: 'refused', refusal: 'network' });
      });
    })();

    return () => {
      cancelled = true;
      engine?.hangUp();
      if (!engine) mediaRef.current?.stop();
      engineRef.current = undefined;
      mediaRef.current = undefined;
      if (pictureUrl) URL.revokeObjectURL(pictureUrl);
    };
  }, [callId, apiBaseUrl, headers, storage, attempt]);

  const setMic = useCallback((on: boolean) => {
    engineRef.current?.setMic(on);
    setState((s) => ({ ...s, mic: on }));
  }, []);
  const setCam = useCallback((on: boolean) => {
    engineRef.current?.setCamera(on);
    setState((s) => ({ ...s, cam: on }));
  }, []);
  const switchCamera = useCallback(async () => {
    await engineRef.current?.switchCamera();
    setState((s) => ({ ...s, local: mediaRef.current?.stream }));
  }, []);
  const requestSnapshot = useCallback(() => {
    if (engineRef.current?.requestSnapshot())
      setState((s) => ({ ...s, snapshotPending: true, snapshotFailed: false }));
  }, []);
  const sendChat = useCallback((text: string) => engineRef.current?.sendChat(text) ?? false, []);
  const sendDrawing = useCallback(
    (blob: Blob, size: { width: number; height: number }) =>
      engineRef.current?.sendImage('drawing', blob, size) ?? Promise.resolve(false),
    [],
  );
  const closePicture = useCallback(() => setState((s) => ({ ...s, picture: undefined })), []);
  const hangUp = useCallback(() => engineRef.current?.hangUp(), []);
  const retryMedia = useCallback(
    (withMedia: boolean) => setAttempt((a) => ({ n: a.n + 1, withMedia })),
    [],
  );

  return {
    state,
    setMic,
    setCam,
    switchCamera,
    requestSnapshot,
    sendChat,
    sendDrawing,
    closePicture,
    hangUp,
    retryMedia,
  };
}
