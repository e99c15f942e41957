// The browser call's wire types: signalling (server protocol v1, docs/call-protocol.md) and the peer's
// data channel `otc`. Hand-written checks instead of zod: this file ships in the customer's page,
// which must stay under 30 KB gzip on old phones.

/** Which side of the call a browser is. The customer is the polite peer. */
export type CallRole = 'customer' | 'agent';

/** A description or ICE candidate, as sent through our server. */
export type SignalMessage =
  | {
      readonly type: 'description';
      readonly description: { readonly type: 'offer' | 'answer'; readonly sdp: string };
    }
  | { readonly type: 'candidate'; readonly candidate: CandidateInit | null };

/** `RTCIceCandidateInit` as JSON. */
export type CandidateInit = {
  readonly candidate: string;
  readonly sdpMid?: string | null;
  readonly sdpMLineIndex?: number | null;
  readonly usernameFragment?: string | null;
};

/** One message of the other side, as the server delivers it. */
export type SignalEnvelope = {
  readonly id: number;
  readonly from: CallRole;
  readonly seq: number;
  readonly message: SignalMessage;
};

/** Whether the other side holds its seat, and with which session. */
export type PeerPresence = { readonly present: boolean; readonly sessionId: string | null };

/** `POST …/session` answer. */
export type SessionGrant = {
  readonly sessionId: string;
  readonly role: CallRole;
  readonly polite: boolean;
  readonly iceServers: RTCIceServer[];
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly peer: PeerPresence;
  readonly heartbeatSeconds: number;
  readonly reconnectSeconds: number;
  readonly state: string;
};

/** The call states after which nothing comes back. */
export const TERMINAL_STATES: readonly string[] = [
  'ended',
  'declined',
  'revoked',
  'expired',
  'abandoned',
  'timed_out',
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The envelope of a server event, or `undefined` when it is not one. */
export function parseEnvelope(raw: unknown): SignalEnvelope | undefined {
  if (!isObject(raw) || typeof raw['id'] !== 'number' || typeof raw['seq'] !== 'number')
    return undefined;
  const from = raw['from'];
  if (from !== 'customer' && from !== 'agent') return undefined;
  const message = parseSignalMessage(raw['message']);
  return message ? { id: raw['id'], from, seq: raw['seq'], message } : undefined;
}

function parseSignalMessage(raw: unknown): SignalMessage | undefined {
  if (!isObject(raw)) return undefined;
  if (raw['type'] === 'description') {
    const d = raw['description'];
    if (!isObject(d) || (d['type'] !== 'offer' && d['type'] !== 'answer')) return undefined;
    if (typeof d['sdp'] !== 'string') return undefined;
    return { type: 'description', description: { type: d['type'], sdp: d['sdp'] } };
  }
  if (raw['type'] === 'candidate') {
    const c = raw['candidate'];
    if (c === null) return { type: 'candidate', candidate: null };
    if (!isObject(c) || typeof c['candidate'] !== 'string') return undefined;
    return { type: 'candidate', candidate: c as CandidateInit };
  }
  return undefined;
}

// ---- data channel ------------------------------------------------------------------------------

/** What an image on the data channel is. */
export type ImageKind = 'snapshot' | 'drawing' | 'photo';

/** JSON messages on the data channel (binary messages are image chunks). */
export type PeerMessage =
  | { readonly t: 'media-state'; readonly mic: boolean; readonly cam: boolean }
  | { readonly t: 'chat'; readonly id: string; readonly text: string; readonly at: number }
  | { readonly t: 'snapshot-request'; readonly id: string }
  | {
      readonly t: 'image-begin';
      readonly id: string;
      readonly kind: ImageKind;
      readonly mime: string;
      readonly size: number;
      readonly width: number;
      readonly height: number;
    }
  | { readonly t: 'image-end'; readonly id: string }
  | { readonly t: 'drawing-dismissed' }
  | { readonly t: 'error'; readonly about: 'snapshot'; readonly reason: string }
  | { readonly t: 'ping' };

/** The longest chat message, in characters. */
export const MAX_CHAT_LENGTH = 1000;
/** The largest image accepted over the data channel. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
/** The size of one binary chunk: 16 KiB works across browsers. */
export const CHUNK_BYTES = 16 * 1024;

const IMAGE_KINDS: readonly string[] = ['snapshot', 'drawing', 'photo'];
const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png'];
const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const num = (v: unknown): v is number => typeof v === 'number' && isFinite(v) && v >= 0;

/** Parses one JSON message of the peer; anything unknown or malformed is `undefined`. */
export function parsePeerMessage(text: string): PeerMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(raw)) return undefined;
  switch (raw['t']) {
    case 'media-state':
      return typeof raw['mic'] === 'boolean' && typeof raw['cam'] === 'boolean'
        ? { t: 'media-state', mic: raw['mic'], cam: raw['cam'] }
        : undefined;
    case 'chat':
      return str(raw['id'], 64) && str(raw['text'], MAX_CHAT_LENGTH) && num(raw['at'])
        ? { t: 'chat', id: raw['id'], text: raw['text'], at: raw['at'] }
        : undefined;
    case 'snapshot-request':
      return str(raw['id'], 64) ? { t: 'snapshot-request', id: raw['id'] } : undefined;
    case 'image-begin': {
      const id = raw['id'];
      const kind = raw['kind'];
      const mime = raw['mime'];
      const size = raw['size'];
      const width = raw['width'];
      const height = raw['height'];
      if (!str(id, 64) || typeof kind !== 'string' || !IMAGE_KINDS.includes(kind)) return undefined;
      if (typeof mime !== 'string' || !IMAGE_TYPES.includes(mime)) return undefined;
      if (!num(size) || size > MAX_IMAGE_BYTES || !num(width) || !num(height)) return undefined;
      return { t: 'image-begin', id, kind: kind as ImageKind, mime, size, width, height };
    }
    case 'image-end':
      return str(raw['id'], 64) ? { t: 'image-end', id: raw['id'] } : undefined;
    case 'drawing-dismissed':
      return { t: 'drawing-dismissed' };
    case 'error':
      return str(raw['reason'], 200)
        ? { t: 'error', about: 'snapshot', reason: raw['reason'] }
        : undefined;
    case 'ping':
      return { t: 'ping' };
    default:
      return undefined;
  }
}

/** A short random id (not a secret). */
export function randomId(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
}
