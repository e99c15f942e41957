import { z } from 'zod';
import { CallStateSchema } from './calls';

// The browser call's signalling protocol v1 (docs/call-protocol.md). The server parses every
// request with these schemas; the customer's call page and the agent's call pane build their
// requests and read the answers with them.

/** Limits of the signalling protocol. */
export const CALL_SIGNAL_LIMITS = {
  /** Largest request body in bytes (64 KiB). */
  bodyBytes: 64 * 1024,
  /** Longest SDP of an offer or answer, in characters. */
  sdpChars: 60_000,
  /** Longest ICE candidate line, in characters. */
  candidateChars: 1_000,
  /** Messages one session may send per {@link CALL_SIGNAL_LIMITS.rateWindowSeconds}. */
  rateMessages: 120,
  /** The window of the rate cap, in seconds. */
  rateWindowSeconds: 10,
  /** How often a client sends a heartbeat, in seconds. */
  heartbeatSeconds: 10,
  /** A seat whose last heartbeat is older than this (seconds) is stale: absent, and free to take. */
  staleSeconds: 30,
  /** Signal rows older than this (seconds) are leftovers the sweeper deletes. */
  leftoverSeconds: 3600,
} as const;

/** Who sits on a seat. The customer is the polite peer, the agent the impolite one. */
export const CallRoleSchema = z.enum(['customer', 'agent']);
/** `customer` or `agent`. */
export type CallRole = z.infer<typeof CallRoleSchema>;

/** A browser tab's session id: chosen by the server, kept by the client in `sessionStorage`. */
export const CallSessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'must be a session id the server handed out' });

/** `POST …/call/session`: take (or resume, with the old `sessionId`) this role's seat. */
export const CallSessionRequestSchema = z.strictObject({
  /** The session this tab had before a reload; `undefined` for a new tab. */
  sessionId: CallSessionIdSchema.optional(),
});
/** Body of `POST …/call/session`. */
export type CallSessionRequest = z.infer<typeof CallSessionRequestSchema>;

/** One entry of `RTCConfiguration.iceServers`. `username`/`credential` only for TURN with a secret. */
export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
/** An `RTCIceServer` as the server hands it out. */
export type IceServer = z.infer<typeof IceServerSchema>;

/** Whether the other side's seat is held by a live tab, and by which session. */
export const PeerPresenceSchema = z.object({
  present: z.boolean(),
  /** The peer's current session; `null` when the seat is empty. A change means: a new peer connection. */
  sessionId: z.string().nullable(),
});
/** The other side's presence. */
export type PeerPresence = z.infer<typeof PeerPresenceSchema>;

/** Answer to `POST …/call/session`. */
export const CallSessionResponseSchema = z.object({
  sessionId: z.string(),
  role: CallRoleSchema,
  /** `true` for the customer: it rolls back its own offer on a collision. */
  polite: z.boolean(),
  iceServers: z.array(IceServerSchema),
  iceTransportPolicy: z.enum(['all', 'relay']),
  peer: PeerPresenceSchema,
  /** How often to send `POST …/call/heartbeat`. @default 10 */
  heartbeatSeconds: z.number().int().positive(),
  /** How long a vanished side may take to come back before the call ends. @default 120 */
  reconnectSeconds: z.number().int().positive(),
  state: CallStateSchema,
});
/** Answer to `POST …/call/session`. */
export type CallSessionResponse = z.infer<typeof CallSessionResponseSchema>;

/** An offer or an answer (`RTCSessionDescriptionInit` without rollback, which never travels). */
export const SessionDescriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(CALL_SIGNAL_LIMITS.sdpChars),
});

/** `RTCIceCandidateInit`. */
export const IceCandidateSchema = z.strictObject({
  candidate: z.string().max(CALL_SIGNAL_LIMITS.candidateChars),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1023).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/** What one peer tells the other: a description, a candidate, or `candidate: null` (end of candidates). */
export const SignalMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('description'), description: SessionDescriptionSchema }),
  z.strictObject({ type: z.literal('candidate'), candidate: IceCandidateSchema.nullable() }),
]);
/** A signalling message. */
export type SignalMessage = z.infer<typeof SignalMessageSchema>;

/** `POST …/call/signal`. `seq` grows strictly per session; the client sends one at a time. */
export const SignalRequestSchema = z.strictObject({
  sessionId: CallSessionIdSchema,
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  message: SignalMessageSchema,
});
/** Body of `POST …/call/signal`. */
export type SignalRequest = z.infer<typeof SignalRequestSchema>;

/** Answer `202` to `POST …/call/signal`: the stored row's id (ids grow). */
export const SignalAcceptedSchema = z.object({ id: z.number().int().positive() });
/** Answer to `POST …/call/signal`. */
export type SignalAccepted = z.infer<typeof SignalAcceptedSchema>;

/** A message of the other side, as the receiving side reads it (SSE `signal` event or poll). */
export const SignalEnvelopeSchema = z.object({
  id: z.number().int().positive(),
  from: CallRoleSchema,
  seq: z.number().int().positive(),
  message: SignalMessageSchema,
  /** ISO-8601 time the server stored it. */
  at: z.string(),
});
/** A received signalling message. */
export type SignalEnvelope = z.infer<typeof SignalEnvelopeSchema>;

/** Query of `GET …/call/events` and `GET …/call/signal`: this session, and the last row id seen. */
export const SignalCursorQuerySchema = z.strictObject({
  sessionId: CallSessionIdSchema,
  /** Only rows with a greater id. @default 0 */
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});
/** Query of the events stream and the poll fallback. */
export type SignalCursorQuery = z.infer<typeof SignalCursorQuerySchema>;

/** Answer to `GET …/call/signal` (the fallback without server-sent events; poll every second). */
export const SignalPollResponseSchema = z.object({
  messages: z.array(SignalEnvelopeSchema),
  peer: PeerPresenceSchema,
  state: CallStateSchema,
});
/** Answer to the poll fallback. */
export type SignalPollResponse = z.infer<typeof SignalPollResponseSchema>;

/** `POST …/call/heartbeat`. */
export const HeartbeatRequestSchema = z.strictObject({ sessionId: CallSessionIdSchema });
/** Body of `POST …/call/heartbeat`. */
export type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;

/** The server-sent events of `GET …/call/events`, by event name. */
export const SignalStreamEventSchemas = {
  signal: SignalEnvelopeSchema,
  peer: PeerPresenceSchema,
  state: z.object({ state: CallStateSchema }),
  replaced: z.object({}),
} as const;
/** The name of a server-sent event of the call stream. */
export type SignalStreamEventName = keyof typeof SignalStreamEventSchemas;
