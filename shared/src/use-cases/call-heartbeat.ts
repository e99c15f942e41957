import { AppError } from '../errors';
import type { CallDeps } from './context';
import { requireTalking, roomOf, type CallSide } from './call-room';

/**
 * `POST …/call/heartbeat`: the session is alive. A session that no longer holds the seat gets
 * `session-replaced`. A side that had been announced absent is announced present again.
 */
export async function callHeartbeat(
  deps: CallDeps,
  side: CallSide,
  sessionId: string,
): Promise<void> {
  requireTalking(side);
  const room = roomOf(deps);
  const before = await room.signals.heartbeat(
    side.call.id,
    side.role,
    sessionId,
    deps.clock.now().toISOString(),
  );
  if (!before) throw new AppError('session-replaced', `Session is not the ${side.role}'s seat`);
  if (before.absentSince !== undefined) {
    await deps.bus.announce({ callId: side.call.id, kind: 'seat' });
  }
}
