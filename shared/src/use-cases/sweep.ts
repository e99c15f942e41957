import type { CallRecord, CallState, CallEventType } from '../domain/call';
import { isoPlus, type CallDeps } from './context';

/** What one sweep did. */
export type SweepResult = {
  readonly expired: number;
  readonly abandoned: number;
  readonly ended: number;
};

/**
 * Moves past-due calls on: unclaimed links past expiry → `expired`, customers waiting past the lobby
 * timeout → `abandoned`, admitted calls past the meeting's end and grace → `ended`. Safe to run in
 * every instance at once: each move is a compare-and-set.
 */
export async function sweepDueCalls(deps: CallDeps, limit = 200): Promise<SweepResult> {
  const now = deps.clock.now().toISOString();
  const due = await deps.store.due(now, isoPlus(now, -deps.settings.lobbyTimeoutSeconds), limit);
  const counts = { expired: 0, abandoned: 0, ended: 0 };
  for (const call of due) {
    const move = moveFor(call);
    if (!move) continue;
    const result = await deps.store.transition({
      id: call.id,
      expected: [call.state],
      to: move.to,
      patch: move.to === 'ended' ? { endedAt: now } : {},
      event: {
        type: move.type,
        at: now,
        actor: { kind: 'system' },
        fromState: call.state,
        toState: move.to,
      },
      at: now,
    });
    if (!result.ok) continue;
    counts[move.key] += 1;
    await deps.bus.publish({ call: result.call, event: result.event });
    await deps.meetings
      .close(result.call.meeting, { organizer: result.call.agent })
      .catch(() => undefined);
  }
  return counts;
}

function moveFor(
  call: CallRecord,
): { to: CallState; type: CallEventType; key: keyof SweepResult } | undefined {
  switch (call.state) {
    case 'scheduled':
      return { to: 'expired', type: 'expired', key: 'expired' };
    case 'waiting':
      return { to: 'abandoned', type: 'abandoned', key: 'abandoned' };
    case 'admitted':
    case 'in_call':
      return { to: 'ended', type: 'ended', key: 'ended' };
    case 'ended':
    case 'declined':
    case 'revoked':
    case 'expired':
    case 'abandoned':
      return undefined;
  }
}
