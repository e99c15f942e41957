import {
  CALL_SIGNAL_LIMITS,
  type SignalAccepted,
  type SignalRequest,
} from '../contracts/call-signal';
import { AppError } from '../errors';
import { isoPlus, type CallDeps } from './context';
import { requireTalking, roomOf, type CallSide } from './call-room';

/**
 * `POST …/call/signal`: stores one message of the side's current session and announces it. Refused,
 * storing nothing: `wrong-state`, `session-replaced` (a stale tab), `out-of-order` (`seq` not above
 * the session's last), `rate-limited` (over 120 messages in 10 s; `details.retryAfterSeconds`).
 */
export async function sendSignal(
  deps: CallDeps,
  side: CallSide,
  request: SignalRequest,
): Promise<SignalAccepted> {
  requireTalking(side);
  const room = roomOf(deps);
  const now = deps.clock.now().toISOString();
  const result = await room.signals.appendSignal({
    callId: side.call.id,
    from: side.role,
    sessionId: request.sessionId,
    seq: request.seq,
    message: request.message,
    at: now,
    rate: {
      max: CALL_SIGNAL_LIMITS.rateMessages,
      since: isoPlus(now, -CALL_SIGNAL_LIMITS.rateWindowSeconds),
    },
  });
  if (!result.ok) {
    switch (result.reason) {
      case 'session-replaced':
        throw new AppError('session-replaced', `Session is not the ${side.role}'s seat`);
      case 'out-of-order':
        throw new AppError('out-of-order', `seq ${request.seq} is not above the last`, {
          details: { seq: request.seq },
        });
      case 'rate-limited': {
        const seconds = Math.max(
          1,
          Math.ceil((Date.parse(result.retryAt) - Date.parse(now)) / 1000),
        );
        throw new AppError('rate-limited', 'Too many signalling messages', {
          details: { retryAfterSeconds: seconds },
        });
      }
    }
  }
  await deps.bus.announce({ callId: side.call.id, kind: 'signal' });
  return { id: result.signal.id };
}
