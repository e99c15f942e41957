import { CALL_SIGNAL_LIMITS, type CallSessionResponse } from '../contracts/call-signal';
import { base64Url } from '../domain/link-code';
import { nextState } from '../domain/state-machine';
import { AppError } from '../errors';
import type { CallDeps } from './context';
import { peerPresence, requireTalking, roomOf, staleBefore, type CallSide } from './call-room';
import { followCall } from './follow-call';

/**
 * `POST …/call/session`: takes the side's seat for a fresh session. Granted when the seat is empty,
 * stale (no heartbeat for 30 s), or held by `resumeSessionId` (this tab before a reload); otherwise
 * `call-busy` and nothing changes. The customer taking the seat of an `admitted` call moves it to
 * `in_call`. Every grant is announced, so the other side builds a new peer connection.
 */
export async function openCallSession(
  deps: CallDeps,
  side: CallSide,
  resumeSessionId: string | undefined,
): Promise<CallSessionResponse> {
  requireTalking(side);
  const room = roomOf(deps);
  const now = deps.clock.now();
  const claim = await room.signals.claimSeat({
    callId: side.call.id,
    role: side.role,
    sessionId: base64Url(deps.random.bytes(18)),
    resumeSessionId,
    at: now.toISOString(),
    staleBefore: staleBefore(now),
  });
  if (!claim.ok) {
    throw new AppError('call-busy', `The ${side.role} seat of call ${side.call.id} is taken`);
  }
  let state = side.state;
  if (side.role === 'customer' && nextState(side.call.state, 'join')) {
    state = (await followCall(deps, side.call, 'join', { kind: 'customer' })).call.state;
  }
  await deps.bus.announce({ callId: side.call.id, kind: 'seat' });
  const seats = await room.signals.seats(side.call.id);
  return {
    sessionId: claim.seat.sessionId,
    role: side.role,
    polite: side.role === 'customer',
    iceServers: room.ice.forCall(side.call, now),
    iceTransportPolicy: room.settings.iceTransportPolicy,
    peer: peerPresence(seats, side.role, now),
    heartbeatSeconds: CALL_SIGNAL_LIMITS.heartbeatSeconds,
    reconnectSeconds: room.settings.reconnectSeconds,
    state,
  };
}
