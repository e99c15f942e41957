import {
  CALL_SIGNAL_LIMITS,
  type PeerPresence,
  type SignalEnvelope,
} from '../contracts/call-signal';
import type { CallState } from '../domain/call';
import { callPhase } from '../domain/state-machine';
import { isoPlus, type CallDeps } from './context';
import { otherRole, peerPresence, roomOf, type CallSide } from './call-room';

/** What one side may read now. `replaced`: its session no longer holds the seat (stop). */
export type RoomSnapshot = {
  readonly state: CallState;
  readonly peer: PeerPresence;
  readonly messages: SignalEnvelope[];
  readonly replaced: boolean;
  /**
   * When a present peer turns absent unless it sends a heartbeat first (ISO-8601): a live stream
   * reads again then, so "reconnecting…" shows 30 s after the last sign of life, not a sweep later.
   */
  readonly peerStaleAt?: string | undefined;
};

/** Most messages one read returns; the reader asks again from the last id. */
const PAGE = 200;

/**
 * The other side's messages after `afterId` (only its current session's, in id order), its
 * presence, and the call's state. A finished call reads as its terminal state with no messages.
 * Backs both the event stream (`GET …/call/events`) and the poll fallback (`GET …/call/signal`).
 */
export async function readSignals(
  deps: CallDeps,
  side: CallSide,
  sessionId: string,
  afterId: number,
): Promise<RoomSnapshot> {
  const room = roomOf(deps);
  const gone: PeerPresence = { present: false, sessionId: null };
  if (callPhase(side.state) !== 'live') {
    return { state: side.state, peer: gone, messages: [], replaced: false };
  }
  const now = deps.clock.now();
  const seats = await room.signals.seats(side.call.id);
  const own = seats.find((s) => s.role === side.role);
  if (own?.sessionId !== sessionId) {
    return { state: side.state, peer: gone, messages: [], replaced: true };
  }
  const peer = peerPresence(seats, side.role, now);
  const peerSeat = seats.find((s) => s.role === otherRole(side.role));
  const peerStaleAt =
    peer.present && peerSeat
      ? isoPlus(peerSeat.heartbeatAt, CALL_SIGNAL_LIMITS.staleSeconds)
      : undefined;
  const rows = peer.sessionId
    ? await room.signals.signalsAfter(
        side.call.id,
        otherRole(side.role),
        peer.sessionId,
        afterId,
        PAGE,
      )
    : [];
  return {
    state: side.state,
    peer,
    replaced: false,
    peerStaleAt,
    messages: rows.map((r) => ({
      id: r.id,
      from: r.from,
      seq: r.seq,
      message: r.message,
      at: r.at,
    })),
  };
}
