// The customer's call page: plain DOM over the call engine, no framework (old phones, 30 KB gzip).
// The server renders the markup and the texts (`#otc-config`); this script brings it to life.
import { CallEngine, type CallEvent, type CallPhase } from '../call-engine';
import { LocalMedia, MediaError, type MediaFailure } from '../media';
import type { Quality } from '../quality';
import { HttpSignalling, SignalError } from '../signalling';

/** What the server hands the script (`<script type="application/json" id="otc-config">`). */
export type CustomerCallConfig = {
  readonly base: string;
  readonly agentName: string;
  /** The call's live texts by key, formatted by the server (the agent's name is in them). */
  readonly texts: Readonly<Record<string, string>>;
};

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error('#' + id + ' missing');
  return el as T;
};
const show = (id: string, on: boolean) => {
  $(id).hidden = !on;
};

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

const IN_APP = /FBAN|FBAV|Instagram|Line\/|MicroMessenger|Snapchat|GSA\/|Twitter|; wv\)/i;
const IOS = /iPhone|iPad|iPod/i;

function main(): void {
  const config = JSON.parse($('otc-config').textContent ?? '{}') as CustomerCallConfig;
  // The server formats the texts (the agent's name is in): here they are only looked up.
  const t = (key: string): string => config.texts[key] ?? key;
  const ua = navigator.userAgent;
  const saved = storage();
  const resumed = !!saved?.getItem('otc.call:' + config.base);

  const webrtc =
    typeof RTCPeerConnection === 'function' &&
    !!navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === 'function';
  if (IN_APP.test(ua)) show('inapp', true);
  if (!webrtc) {
    show('start-box', false);
    show('unsupported', true);
    return;
  }

  const status = $('status');
  const say = (text: string) => {
    status.textContent = text;
  };

  async function begin(withMedia: boolean): Promise<void> {
    show('denied', false);
    show('media-error', false);
    let media: LocalMedia | undefined;
    if (withMedia) {
      $<HTMLButtonElement>('start').disabled = true;
      try {
        media = await LocalMedia.open('environment');
      } catch (error) {
        $<HTMLButtonElement>('start').disabled = false;
        const failure: MediaFailure = error instanceof MediaError ? error.failure : 'other';
        if (failure === 'denied') {
          show('denied', true);
          show(IOS.test(ua) ? 'help-ios' : 'help-android', true);
          $('denied').focus();
        } else {
          $('media-error').textContent = t('mediaError.' + failure);
          show('media-error', true);
        }
        show('no-media', true);
        return;
      }
    }
    startCall(media);
  }

  function startCall(media: LocalMedia | undefined): void {
    show('intro', false);
    show('call', true);
    const remote = $<HTMLVideoElement>('remote');
    const self = $<HTMLVideoElement>('self');
    if (media) {
      self.srcObject = media.stream;
      void self.play().catch(() => undefined);
    } else show('self', false);
    const engine = new CallEngine({
      signalling: new HttpSignalling({ base: config.base, storage: saved }),
      media,
      log: (message, detail) => console.debug('[call]', message, detail),
    });
    // The page's own handle: the end-to-end tests read the connection's stats through it.
    (window as unknown as { otcCall: CallEngine }).otcCall = engine;
    let lastDrawing: string | undefined;

    const playRemote = () =>
      remote.play().then(
        () => show('sound', false),
        () => show('sound', true),
      );
    $('sound').onclick = () => void playRemote();

    const mic = $<HTMLButtonElement>('mic');
    const cam = $<HTMLButtonElement>('cam');
    const toggle = (button: HTMLButtonElement, on: boolean, offKey: string, onKey: string) => {
      button.setAttribute('aria-pressed', on ? 'false' : 'true');
      button.textContent = t(on ? offKey : onKey);
    };
    mic.onclick = () => {
      const on = !(media?.micOn ?? false);
      engine.setMic(on);
      toggle(mic, on, 'mute', 'unmute');
    };
    cam.onclick = () => {
      const on = !(media?.camOn ?? false);
      engine.setCamera(on);
      toggle(cam, on, 'camOff', 'camOn');
      show('self', on);
    };
    if (!media?.audioTrack) mic.disabled = true;
    if (!media?.videoTrack) {
      cam.disabled = true;
      show('photo', false);
    }
    const flip = $<HTMLButtonElement>('switch');
    show('switch', false);
    if (media?.videoTrack) {
      void LocalMedia.cameras().then(
        (cams) => show('switch', cams.length > 1),
        () => undefined,
      );
    }
    flip.onclick = () => {
      flip.disabled = true;
      engine
        .switchCamera()
        .catch(() => say(t('switchFailed')))
        .then(() => {
          flip.disabled = false;
          self.srcObject = media?.stream ?? null;
        })
        .catch(() => undefined);
    };
    $('photo').onclick = () => {
      void engine.sendStill('photo').then((ok) => say(t(ok ? 'photoSent' : 'photoFailed')));
    };

    const drawing = $('drawing');
    const drawingImg = $<HTMLImageElement>('drawing-img');
    const showDrawing = () => {
      if (!lastDrawing) return;
      drawingImg.src = lastDrawing;
      drawing.hidden = false;
      show('show-drawing', false);
      $('drawing-close').focus();
    };
    $('drawing-close').onclick = () => {
      drawing.hidden = true;
      engine.dismissDrawing();
      show('show-drawing', !!lastDrawing);
      $('show-drawing').focus();
    };
    $('show-drawing').onclick = showDrawing;

    const log = $('chat-log');
    const chatText = $<HTMLInputElement>('chat-text');
    $<HTMLFormElement>('chat-form').onsubmit = (event) => {
      event.preventDefault();
      if (engine.sendChat(chatText.value)) chatText.value = '';
      else say(t('chatNotSent'));
    };

    const phaseText: Record<CallPhase, string> = {
      joining: t('connecting'),
      waiting: t('waitingAgent'),
      connecting: t('connecting'),
      connected: t('connected'),
      reconnecting: t('reconnecting'),
      ended: t('ended'),
      replaced: t('replaced'),
      refused: t('refused'),
    };

    const onEvent = (event: CallEvent) => {
      switch (event.type) {
        case 'phase':
          if (event.phase === 'ended' || event.phase === 'replaced' || event.phase === 'refused') {
            self.srcObject = null;
            remote.srcObject = null;
            show('call', false);
            show('over', true);
            $('over-title').textContent =
              event.phase === 'refused' && event.reason === 'call-busy'
                ? t('busy')
                : phaseText[event.phase];
            $('over-title').focus();
            return;
          }
          say(phaseText[event.phase]);
          return;
        case 'remote-stream':
          if (remote.srcObject !== event.stream) remote.srcObject = event.stream;
          void playRemote();
          return;
        case 'remote-media':
          show('remote-off', !event.cam);
          $('remote-muted').hidden = event.mic;
          return;
        case 'chat': {
          const item = document.createElement('li');
          const who = document.createElement('strong');
          who.textContent = (event.mine ? t('you') : config.agentName) + ': ';
          item.appendChild(who);
          item.appendChild(document.createTextNode(event.text));
          item.className = event.mine ? 'mine' : '';
          log.appendChild(item);
          show('chat-empty', false);
          log.scrollTop = log.scrollHeight;
          return;
        }
        case 'image':
          if (event.image.kind === 'drawing') {
            if (lastDrawing) URL.revokeObjectURL(lastDrawing);
            lastDrawing = URL.createObjectURL(event.image.blob);
            showDrawing();
            say(t('drawingArrived'));
          }
          return;
        case 'snapshot-request':
          say(t('snapshotTaken'));
          return;
        case 'quality':
          $('quality').textContent = qualityText(event.quality, t);
          $('quality').className = 'quality q-' + event.quality.level;
          return;
        case 'channel':
        case 'drawing-dismissed':
        case 'snapshot-failed':
          return;
      }
    };
    engine.on(onEvent);
    say(phaseText.joining);
    engine.start().catch((error: unknown) => {
      if (!(error instanceof SignalError)) say(t('refused'));
    });
  }

  $('start').onclick = () => void begin(true);
  $('no-media').onclick = () => void begin(false);
  $('retry').onclick = () => void begin(true);
  if (resumed) void begin(true);
}

/** "Connection: good · 40 ms · 0 % loss · 1.2 Mbit/s" */
export function qualityText(q: Quality, t: (key: string) => string): string {
  const parts = [t('quality.' + q.level)];
  if (q.rttMs !== undefined) parts.push(q.rttMs + ' ms');
  if (q.lossPercent !== undefined) parts.push(q.lossPercent + '% ' + t('loss'));
  if (q.inKbps !== undefined)
    parts.push(q.inKbps >= 1000 ? (q.inKbps / 1000).toFixed(1) + ' Mbit/s' : q.inKbps + ' kbit/s');
  return parts.join(' · ');
}

main();
