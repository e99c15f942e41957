// jsdom has no WebRTC: a scripted peer connection with the signalling-state machine of the spec
// (offer/answer/rollback), a data channel the test opens, and stats the test hands in.

export const sdp = (session: string) => `v=0\r\no=- ${session} 2 IN IP4 127.0.0.1\r\ns=-\r\n`;

export class FakeChannel {
  readyState: RTCDataChannelState = 'connecting';
  binaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly label: string) {}
  send(data: unknown): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    this.sent.push(data);
  }
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.onclose?.();
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  open(): void {
    this.readyState = 'open';
    this.onopen?.();
  }
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
  /** The JSON messages sent, parsed. */
  json(): Record<string, unknown>[] {
    return this.sent
      .filter((d): d is string => typeof d === 'string')
      .map((d) => JSON.parse(d) as Record<string, unknown>);
  }
}

export class FakePc {
  static all: FakePc[] = [];
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  closed = false;
  readonly tracks: unknown[] = [];
  readonly transceivers: { kind: string; direction: string }[] = [];
  readonly candidates: unknown[] = [];
  readonly channels: FakeChannel[] = [];
  stats: RTCStatsReport = new Map();
  ontrack: ((e: { track: unknown }) => void) | null = null;
  onicecandidate: ((e: { candidate: unknown }) => void) | null = null;
  onnegotiationneeded: (() => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  ondatachannel: ((e: { channel: FakeChannel }) => void) | null = null;
  private sessionNo = String(100 + FakePc.all.length);
  constructor(readonly config: RTCConfiguration) {
    FakePc.all.push(this);
  }
  addTrack(track: unknown): void {
    this.tracks.push(track);
  }
  addTransceiver(kind: string, init: { direction: string }): void {
    this.transceivers.push({ kind, direction: init.direction });
  }
  createDataChannel(label: string): FakeChannel {
    const channel = new FakeChannel(label);
    this.channels.push(channel);
    return channel;
  }
  getSenders(): unknown[] {
    return [];
  }
  getTransceivers(): unknown[] {
    return [];
  }
  setLocalDescription(d?: { type: string }): Promise<void> {
    if (d?.type === 'rollback') {
      this.signalingState = 'stable';
      this.localDescription = null;
      return Promise.resolve();
    }
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.localDescription = { type, sdp: sdp(this.sessionNo) };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    return Promise.resolve();
  }
  setRemoteDescription(d: { type: string; sdp: string }): Promise<void> {
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
    return Promise.resolve();
  }
  addIceCandidate(c: unknown): Promise<void> {
    this.candidates.push(c);
    return Promise.resolve();
  }
  getStats(): Promise<RTCStatsReport> {
    return Promise.resolve(this.stats);
  }
  restartIce(): void {}
  close(): void {
    this.closed = true;
  }
  connect(): void {
    this.connectionState = 'connected';
    this.iceConnectionState = 'connected';
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
  }
}

export class FakeStream {
  private readonly tracks: unknown[] = [];
  getTracks(): unknown[] {
    return this.tracks;
  }
  addTrack(t: unknown): void {
    this.tracks.push(t);
  }
}

/** Installs the fakes as the browser's `RTCPeerConnection` and `MediaStream`. */
export function installWebRtc(): void {
  Object.assign(globalThis, { RTCPeerConnection: FakePc, MediaStream: FakeStream });
}
