import type { PeerPresence, SignalEnvelope } from '../contracts/call-signal';
import type { CallState } from '../domain/call';
import { callPhase } from '../domain/state-machine';
import type { CallDeps } from './context';
import { otherRole, peerPresence, roomOf, type CallSide } from './call-room';

/** What one side may read now. `replaced`: its session no longer holds the seat (stop). */
export type RoomSnapshot = {
  readonly state: CallState;
  readonly peer: PeerPresence;
  readonly messages: SignalEnvelope[];
  readonly replaced: boolean;
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
    messages: rows.map((r) => ({
      id: r.id,
      from: r.from,
      seq: r.seq,
      message: r.message,
      at: r.at,
    })),
  };
}
