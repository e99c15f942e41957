import type { CallRecord } from '../domain/call';
import { isoPlus, type CallDeps } from './context';
import { followCall } from './follow-call';

/** What one sweep did. */
export type SweepResult = {
  readonly expired: number;
  readonly abandoned: number;
  readonly ended: number;
};

const MOVE = {
  scheduled: { action: 'expire', key: 'expired' },
  waiting: { action: 'abandon', key: 'abandoned' },
  admitted: { action: 'end', key: 'ended' },
  in_call: { action: 'end', key: 'ended' },
} as const;

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
    const { moved } = await followCall(deps, call, move.action, { kind: 'system' });
    if (moved) counts[move.key] += 1;
  }
  return counts;
}

function moveFor(call: CallRecord): (typeof MOVE)[keyof typeof MOVE] | undefined {
  switch (call.state) {
    case 'scheduled':
    case 'waiting':
    case 'admitted':
    case 'in_call':
      return MOVE[call.state];
    case 'ended':
    case 'declined':
    case 'revoked':
    case 'expired':
    case 'abandoned':
      return undefined;
  }
}
