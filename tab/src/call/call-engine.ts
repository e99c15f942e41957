import { ImageAssembler, captureStill, sendImage, type ReceivedImage } from './images';
import type { LocalMedia } from './media';
import {
  MAX_CHAT_LENGTH,
  TERMINAL_STATES,
  parsePeerMessage,
  randomId,
  type CallRole,
  type CandidateInit,
  type ImageKind,
  type PeerMessage,
  type PeerPresence,
  type SessionGrant,
  type SignalEnvelope,
} from './protocol';
import {
  VIDEO_LADDER,
  VideoAdapter,
  applyProfile,
  readStats,
  type Quality,
  type StatsTotals,
} from './quality';
import { SignalError, type Signalling } from './signalling';

/** Where the call is, for the page to show. */
export type CallPhase =
  | 'joining'
  | 'waiting'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'ended'
  | 'replaced'
  | 'refused';

/** What the engine tells its page. */
export type CallEvent =
  | { readonly type: 'phase'; readonly phase: CallPhase; readonly reason?: string | undefined }
  | { readonly type: 'remote-stream'; readonly stream: MediaStream }
  | { readonly type: 'remote-media'; readonly mic: boolean; readonly cam: boolean }
  | {
      readonly type: 'chat';
      readonly mine: boolean;
      readonly id: string;
      readonly text: string;
      readonly at: number;
    }
  | { readonly type: 'image'; readonly image: ReceivedImage }
  | { readonly type: 'snapshot-request' }
  | { readonly type: 'snapshot-failed'; readonly reason: string }
  | { readonly type: 'drawing-dismissed' }
  | { readonly type: 'channel'; readonly open: boolean }
  | { readonly type: 'quality'; readonly quality: Quality };

export type CallEngineOptions = {
  readonly signalling: Signalling;
  /** The camera and microphone, opened by the page after it explained why; `undefined` = receive only. */
  readonly media: LocalMedia | undefined;
  readonly statsIntervalMs?: number | undefined;
  /** Rebuilds the connection when it has not connected this long after the peer was there. */
  readonly connectTimeoutMs?: number | undefined;
  readonly log?: ((message: string, detail?: unknown) => void) | undefined;
};

/** How long the polite side waits for the impolite side's offer before it offers itself. */
const HELD_OFFER_MS = 1500;

/** The `o=` session id of an SDP: it changes with every new RTCPeerConnection of the peer. */
export function sdpSessionOf(sdp: string): string | undefined {
  return /^o=\S+ (\d+) /m.exec(sdp)?.[1];
}

/** `setLocalDescription()` without arguments, or the explicit form on browsers without it (Safari 14.0). */
async function setLocal(pc: RTCPeerConnection): Promise<void> {
  try {
    await pc.setLocalDescription();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const description =
      pc.signalingState === 'have-remote-offer' ? await pc.createAnswer() : await pc.createOffer();
    await pc.setLocalDescription(description);
  }
}

/**
 * One side of a 1:1 browser call: perfect negotiation over our signalling server (the customer is
 * polite), the camera and microphone, the data channel `otc` (chat, media state, snapshots and
 * drawings) and the connection's quality. Framework-free: the agent's tab and the customer's page
 * both drive it.
 */
export class CallEngine {
  private readonly listeners = new Set<(event: CallEvent) => void>();
  private grant: SessionGrant | undefined;
  private pcValue: RTCPeerConnection | undefined;
  private channelValue: RTCDataChannel | undefined;
  private remote: MediaStream | undefined;
  private makingOffer = false;
  private ignoreOffer = false;
  private remoteSdpSession: string | undefined;
  private pending: CandidateInit[] = [];
  private chain: Promise<void> = Promise.resolve();
  private peerSession: string | null = null;
  private peerPresent = false;
  private everConnected = false;
  private signallingDown = false;
  private phaseValue: CallPhase = 'joining';
  private timers: ReturnType<typeof setInterval>[] = [];
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private builtAt = 0;
  private totals: StatsTotals | undefined;
  private qualityValue: Quality | undefined;
  private readonly adapter = new VideoAdapter();
  private readonly assembler = new ImageAssembler();
  private remoteMedia = { mic: true, cam: true };
  private stopped = false;
  private holdOffer = false;
  private heldOfferTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: CallEngineOptions) {}

  get role(): CallRole | undefined {
    return this.grant?.role;
  }
  get phase(): CallPhase {
    return this.phaseValue;
  }
  /** The current peer connection (tests read its stats). */
  get pc(): RTCPeerConnection | undefined {
    return this.pcValue;
  }
  /** This side's camera and microphone (`undefined`: receive only). */
  get localStream(): MediaStream | undefined {
    return this.options.media?.stream;
  }
  get remoteStream(): MediaStream | undefined {
    return this.remote;
  }
  get quality(): Quality | undefined {
    return this.qualityValue;
  }
  get remoteMediaState(): { readonly mic: boolean; readonly cam: boolean } {
    return this.remoteMedia;
  }
  get channelOpen(): boolean {
    return this.channelValue?.readyState === 'open';
  }

  on(listener: (event: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: CallEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (error) {
        this.log('listener failed', error);
      }
    }
  }

  private log(message: string, detail?: unknown): void {
    this.options.log?.(message, detail);
  }

  private setPhase(phase: CallPhase, reason?: string): void {
    if (this.phaseValue === phase) return;
    this.log(`phase ${phase}`, reason);
    if (
      this.phaseValue === 'ended' ||
      this.phaseValue === 'replaced' ||
      this.phaseValue === 'refused'
    )
      return;
    this.phaseValue = phase;
    this.emit({ type: 'phase', phase, reason });
  }

  /** The phase from what is known now. */
  private updatePhase(): void {
    const pc = this.pcValue;
    if (!pc || this.stopped) return;
    const ice = pc.iceConnectionState;
    const connected =
      pc.connectionState === 'connected' ||
      (pc.connectionState === undefined && (ice === 'connected' || ice === 'completed'));
    if (connected) {
      this.everConnected = true;
      this.setPhase('connected');
    } else if (!this.peerPresent) this.setPhase(this.everConnected ? 'reconnecting' : 'waiting');
    else if (this.everConnected || this.signallingDown) this.setPhase('reconnecting');
    else this.setPhase('connecting');
  }

  /** Takes the seat, builds the connection and starts listening. */
  async start(): Promise<void> {
    let grant: SessionGrant;
    try {
      grant = await this.options.signalling.join();
    } catch (error) {
      const code = error instanceof SignalError ? error.code : 'network';
      if (error instanceof SignalError && error.state && TERMINAL_STATES.includes(error.state)) {
        this.finish('ended', error.state);
      } else {
        this.stopMedia();
        this.setPhase('refused', code);
      }
      throw error;
    }
    this.grant = grant;
    this.peerSession = grant.peer.sessionId;
    this.peerPresent = grant.peer.present;
    if (TERMINAL_STATES.includes(grant.state)) {
      this.finish('ended', grant.state);
      return;
    }
    this.build();
    this.options.signalling.listen({
      signal: (envelope) => this.enqueue(envelope),
      peer: (presence) => this.onPeer(presence),
      state: (state) => {
        if (TERMINAL_STATES.includes(state)) this.finish('ended', state);
      },
      replaced: () => this.finish('replaced'),
      offline: (offline) => {
        this.signallingDown = offline;
        this.updatePhase();
      },
    });
    this.timers.push(setInterval(() => void this.sample(), this.options.statsIntervalMs ?? 2000));
    this.timers.push(setInterval(() => this.watchdog(), 2500));
    this.updatePhase();
  }

  private onPeer(presence: PeerPresence): void {
    const changed =
      presence.sessionId !== null &&
      this.peerSession !== null &&
      presence.sessionId !== this.peerSession;
    if (presence.sessionId !== null) this.peerSession = presence.sessionId;
    this.peerPresent = presence.present;
    if (changed) this.rebuild('peer session changed');
    else if (presence.present && this.holdOffer && this.pcValue)
      this.scheduleHeldOffer(this.pcValue);
    this.updatePhase();
  }

  /** A new peer connection (the peer reloaded, or this one never connected). */
  private rebuild(why: string): void {
    this.log('rebuilding the peer connection', why);
    this.pcValue?.close();
    this.channelValue?.close();
    this.channelValue = undefined;
    this.build();
  }

  private build(): void {
    const grant = this.grant;
    if (!grant) return;
    const pc = new RTCPeerConnection({
      iceServers: grant.iceServers,
      iceTransportPolicy: grant.iceTransportPolicy,
    });
    this.pcValue = pc;
    this.builtAt = Date.now();
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.remoteSdpSession = undefined;
    this.pending = [];
    this.totals = undefined;
    const remote = new MediaStream();
    this.remote = remote;
    this.emit({ type: 'remote-stream', stream: remote });

    const media = this.options.media;
    for (const kind of ['audio', 'video'] as const) {
      const track = kind === 'audio' ? media?.audioTrack : media?.videoTrack;
      if (track && media) pc.addTrack(track, media.stream);
      else pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    pc.ontrack = (event) => {
      if (pc !== this.pcValue) return;
      if (!remote.getTracks().includes(event.track)) remote.addTrack(event.track);
      this.emit({ type: 'remote-stream', stream: remote });
    };
    pc.onicecandidate = (event) => {
      if (pc !== this.pcValue) return;
      const c = event.candidate;
      // The end-of-candidates marker is left out: old browsers reject it and ICE does not need it.
      if (!c || !c.candidate) return;
      this.send({
        type: 'candidate',
        candidate: {
          candidate: c.candidate,
          sdpMid: c.sdpMid,
          sdpMLineIndex: c.sdpMLineIndex,
          usernameFragment: c.usernameFragment,
        },
      });
    };
    // The polite side holds its first offer: the impolite side offers as soon as both are there.
    // Glare on the very first offer cost Chromium its ICE candidates now and then (seen in the bench:
    // a 15 s stall until the watchdog). It offers itself only when the peer stays quiet (the peer's
    // old connection does not know this one: a reload).
    this.holdOffer = grant.polite;
    pc.onnegotiationneeded = () => {
      if (pc !== this.pcValue) return;
      if (this.holdOffer) this.scheduleHeldOffer(pc);
      else void this.offer(pc);
    };
    pc.oniceconnectionstatechange = () => {
      if (pc !== this.pcValue) return;
      const state = pc.iceConnectionState;
      if (state === 'failed') this.restartIce(pc);
      else if (state === 'disconnected') {
        clearTimeout(this.disconnectedTimer);
        this.disconnectedTimer = setTimeout(() => {
          if (pc === this.pcValue && pc.iceConnectionState === 'disconnected') this.restartIce(pc);
        }, 3000);
      }
      this.updatePhase();
    };
    pc.onconnectionstatechange = () => {
      if (pc === this.pcValue) this.updatePhase();
    };
    if (grant.role === 'agent') this.wire(pc.createDataChannel('otc', { ordered: true }), pc);
    else
      pc.ondatachannel = (event) => {
        if (pc === this.pcValue && event.channel.label === 'otc') this.wire(event.channel, pc);
      };
  }

  private async offer(pc: RTCPeerConnection): Promise<void> {
    try {
      this.makingOffer = true;
      await setLocal(pc);
      this.sendDescription(pc);
    } catch (error) {
      this.log('offer failed', error);
    } finally {
      this.makingOffer = false;
    }
  }

  private scheduleHeldOffer(pc: RTCPeerConnection): void {
    clearTimeout(this.heldOfferTimer);
    this.heldOfferTimer = setTimeout(() => {
      if (pc !== this.pcValue || !this.holdOffer || this.stopped) return;
      if (!this.peerPresent || pc.remoteDescription || pc.signalingState !== 'stable') return;
      this.holdOffer = false;
      void this.offer(pc);
    }, HELD_OFFER_MS);
  }

  private restartIce(pc: RTCPeerConnection): void {
    this.log('ICE restart');
    if (typeof pc.restartIce === 'function') {
      pc.restartIce();
      return;
    }
    if (this.grant?.polite) return;
    void (async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
        this.sendDescription(pc);
      } catch (error) {
        this.log('ICE restart failed', error);
      } finally {
        this.makingOffer = false;
      }
    })();
  }

  /** Not connected long after the peer came: the impolite side starts over with a fresh connection. */
  private watchdog(): void {
    const pc = this.pcValue;
    if (!pc || this.stopped || !this.peerPresent || this.grant?.polite) return;
    if (pc.connectionState === 'connected' || pc.iceConnectionState === 'connected') return;
    if (pc.iceConnectionState === 'completed') return;
    if (Date.now() - this.builtAt < (this.options.connectTimeoutMs ?? 10_000)) return;
    this.rebuild('no connection in time');
  }

  private sendDescription(pc: RTCPeerConnection): void {
    const d = pc.localDescription;
    if (!d || (d.type !== 'offer' && d.type !== 'answer')) return;
    this.send({ type: 'description', description: { type: d.type, sdp: d.sdp } });
  }

  private send(message: Parameters<Signalling['send']>[0]): void {
    this.options.signalling.send(message).catch((error: unknown) => this.log('send failed', error));
  }

  private enqueue(envelope: SignalEnvelope): void {
    this.chain = this.chain
      .then(() => this.handle(envelope))
      .catch((error: unknown) => this.log('signal failed', error));
  }

  private async handle(envelope: SignalEnvelope): Promise<void> {
    const message = envelope.message;
    this.log(
      `got ${message.type === 'description' ? message.description.type : 'candidate'} #${envelope.id}`,
      this.pcValue?.signalingState,
    );
    if (this.stopped) return;
    if (message.type === 'description') {
      const description = message.description;
      const session = sdpSessionOf(description.sdp);
      if (
        description.type === 'offer' &&
        session &&
        this.remoteSdpSession &&
        session !== this.remoteSdpSession
      ) {
        this.rebuild('the peer has a new connection');
      }
      const pc = this.pcValue;
      if (!pc) return;
      const polite = this.grant?.polite ?? false;
      const collision =
        description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      this.ignoreOffer = !polite && collision;
      if (this.ignoreOffer) return;
      if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') return;
      if (collision && pc.signalingState === 'have-local-offer') {
        await pc.setLocalDescription({ type: 'rollback' });
      }
      await pc.setRemoteDescription(description);
      this.holdOffer = false;
      clearTimeout(this.heldOfferTimer);
      this.remoteSdpSession = session;
      for (const c of this.pending.splice(0)) await this.addCandidate(pc, c);
      if (description.type === 'offer') {
        await setLocal(pc);
        this.sendDescription(pc);
      }
      return;
    }
    const candidate = message.candidate;
    const pc = this.pcValue;
    if (!candidate || !pc) return;
    if (!pc.remoteDescription) this.pending.push(candidate);
    else await this.addCandidate(pc, candidate);
  }

  private async addCandidate(pc: RTCPeerConnection, candidate: CandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer this side ignored fail on purpose.
      if (!this.ignoreOffer) this.log('candidate refused', error);
    }
  }

  // ---- data channel ----------------------------------------------------------------------------

  private wire(channel: RTCDataChannel, pc: RTCPeerConnection): void {
    channel.binaryType = 'arraybuffer';
    this.channelValue = channel;
    channel.onopen = () => {
      if (pc !== this.pcValue) return;
      this.emit({ type: 'channel', open: true });
      this.sendMediaState();
    };
    channel.onclose = () => {
      if (pc === this.pcValue) this.emit({ type: 'channel', open: false });
    };
    channel.onmessage = (event: MessageEvent) => {
      if (pc !== this.pcValue) return;
      const data: unknown = event.data;
      if (typeof data === 'string') {
        const message = parsePeerMessage(data);
        if (message) this.onPeerMessage(message);
      } else if (data instanceof ArrayBuffer) this.assembler.chunk(data);
    };
  }

  private onPeerMessage(message: PeerMessage): void {
    switch (message.t) {
      case 'media-state':
        this.remoteMedia = { mic: message.mic, cam: message.cam };
        this.emit({ type: 'remote-media', mic: message.mic, cam: message.cam });
        return;
      case 'chat':
        this.emit({
          type: 'chat',
          mine: false,
          id: message.id,
          text: message.text,
          at: message.at,
        });
        return;
      case 'snapshot-request':
        if (this.grant?.role === 'customer') {
          this.emit({ type: 'snapshot-request' });
          void this.sendStill('snapshot');
        }
        return;
      case 'image-begin':
        this.assembler.begin(message);
        return;
      case 'image-end': {
        const image = this.assembler.end(message.id);
        if (image) this.emit({ type: 'image', image });
        return;
      }
      case 'drawing-dismissed':
        this.emit({ type: 'drawing-dismissed' });
        return;
      case 'error':
        this.emit({ type: 'snapshot-failed', reason: message.reason });
        return;
      case 'ping':
        return;
    }
  }

  private post(message: PeerMessage): boolean {
    const channel = this.channelValue;
    if (!channel || channel.readyState !== 'open') return false;
    channel.send(JSON.stringify(message));
    return true;
  }

  private sendMediaState(): void {
    const media = this.options.media;
    this.post({
      t: 'media-state',
      mic: !!media?.audioTrack && media.micOn,
      cam: !!media?.videoTrack && media.camOn,
    });
  }

  /** Sends a chat line; `false` when the channel is not open (nothing is sent through the server). */
  sendChat(text: string): boolean {
    const trimmed = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!trimmed) return false;
    const message = { t: 'chat', id: randomId(), text: trimmed, at: Date.now() } as const;
    if (!this.post(message)) return false;
    this.emit({ type: 'chat', mine: true, id: message.id, text: trimmed, at: message.at });
    return true;
  }

  /** The agent asks the customer's browser for a full-resolution still. */
  requestSnapshot(): boolean {
    return this.post({ t: 'snapshot-request', id: randomId() });
  }

  /** Captures a still of the local camera and sends it (`snapshot` on request, `photo` by the customer). */
  async sendStill(kind: 'snapshot' | 'photo'): Promise<boolean> {
    const track = this.options.media?.videoTrack;
    const channel = this.channelValue;
    if (!channel || channel.readyState !== 'open') return false;
    if (!track || track.readyState !== 'live' || !this.options.media?.camOn) {
      this.post({ t: 'error', about: 'snapshot', reason: 'camera-off' });
      return false;
    }
    try {
      const still = await captureStill(track);
      await sendImage(channel, kind, still.blob, still);
      return true;
    } catch (error) {
      this.log('still failed', error);
      this.post({ t: 'error', about: 'snapshot', reason: 'capture-failed' });
      return false;
    }
  }

  /** Sends an image (the agent's drawing). */
  async sendImage(
    kind: ImageKind,
    blob: Blob,
    size: { width: number; height: number },
  ): Promise<boolean> {
    const channel = this.channelValue;
    if (!channel || channel.readyState !== 'open') return false;
    await sendImage(channel, kind, blob, size);
    return true;
  }

  /** The customer closed the drawing. */
  dismissDrawing(): void {
    this.post({ t: 'drawing-dismissed' });
  }

  // ---- media controls --------------------------------------------------------------------------

  setMic(on: boolean): void {
    this.options.media?.setMic(on);
    this.sendMediaState();
  }

  setCamera(on: boolean): void {
    this.options.media?.setCamera(on);
    this.sendMediaState();
  }

  /** Switches to the next camera without renegotiating; `false` when there is only one. */
  async switchCamera(): Promise<boolean> {
    const media = this.options.media;
    if (!media) return false;
    const track = await media.switchCamera();
    if (!track) return false;
    const sender = this.pcValue
      ?.getSenders()
      .find((s) => s.track?.kind === 'video' || (!s.track && s === this.videoSender()));
    await sender?.replaceTrack(track);
    return true;
  }

  private videoSender(): RTCRtpSender | undefined {
    return this.pcValue
      ?.getTransceivers()
      .find((t) => t.receiver.track.kind === 'video' && t.direction !== 'recvonly')?.sender;
  }

  // ---- quality ---------------------------------------------------------------------------------

  private async sample(): Promise<void> {
    const pc = this.pcValue;
    if (!pc || this.stopped) return;
    try {
      const read = readStats(await pc.getStats(), this.totals, Date.now());
      const quality = read.quality;
      const totals = read.totals;
      if (pc !== this.pcValue) return;
      this.totals = totals;
      this.qualityValue = quality;
      this.emit({ type: 'quality', quality });
      const step = this.adapter.next(quality);
      const sender = this.videoSender();
      const profile = step === undefined ? undefined : VIDEO_LADDER[step];
      if (sender && profile) await applyProfile(sender, profile);
    } catch (error) {
      this.log('stats failed', error);
    }
  }

  // ---- the end ---------------------------------------------------------------------------------

  private stopMedia(): void {
    this.options.media?.stop();
  }

  private finish(phase: 'ended' | 'replaced', reason?: string): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.disconnectedTimer);
    clearTimeout(this.heldOfferTimer);
    this.options.signalling.close();
    this.stopMedia();
    for (const t of this.remote?.getTracks() ?? []) t.stop();
    this.channelValue?.close();
    this.pcValue?.close();
    this.setPhase(phase, reason);
  }

  /** Leaves: stops every track and the signalling (the page tells the server the call ended). */
  hangUp(): void {
    this.finish('ended', 'ended');
  }
}
