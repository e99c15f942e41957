import { fromStates } from '../domain/state-machine';
import { isoPlus, type CallDeps } from './context';
import { overdueAction } from './customer-actions';
import { moveCall } from './move-call';

/** What one sweep did. */
export type SweepResult = {
  readonly expired: number;
  readonly abandoned: number;
  readonly ended: number;
  /** Teams lobbies locked again after their admission window. */
  readonly relocked: number;
};

const COUNTED = { expire: 'expired', abandon: 'abandoned', end: 'ended' } as const;

/**
 * Moves past-due calls on (`overdueAction`): unclaimed links past expiry → `expired`, customers
 * waiting past the lobby timeout → `abandoned`, admitted calls past the meeting's end and grace →
 * `ended`. Then locks the Teams lobby of admitted calls whose admission window is over. Safe to run
 * in every instance at once: each move is a compare-and-set, decided again on a lost race.
 */
export async function sweepDueCalls(deps: CallDeps, limit = 200): Promise<SweepResult> {
  const now = deps.clock.now().toISOString();
  const due = await deps.store.due(now, isoPlus(now, -deps.settings.lobbyTimeoutSeconds), limit);
  const counts = { expired: 0, abandoned: 0, ended: 0, relocked: 0 };
  for (const call of due) {
    const outcome = await moveCall(deps, call, {
      actor: { kind: 'system' },
      action: (current) => overdueAction(current, now, deps.settings),
    });
    if (outcome.ok && outcome.action in COUNTED)
      counts[COUNTED[outcome.action as keyof typeof COUNTED]] += 1;
  }
  counts.relocked = await relockLobbies(deps, now, limit);
  return counts;
}

/**
 * Admit opens the Teams lobby for `lobbyOpenSeconds`; the provider closes it on a timer in the
 * process that opened it. A restart loses that timer, and an open lobby lets anyone holding the raw
 * meeting link in, so the sweeper closes every window that is over and records that it did.
 */
async function relockLobbies(deps: CallDeps, now: string, limit: number): Promise<number> {
  const admitted = await deps.store.list({ states: fromStates('lock-lobby'), limit });
  let relocked = 0;
  for (const call of admitted) {
    if (call.meeting.provider !== 'teams' || call.meeting.lobbyLockedAt || !call.admittedAt)
      continue;
    if (isoPlus(call.admittedAt, deps.settings.lobbyOpenSeconds) > now) continue;
    try {
      await deps.meetings.lockLobby(call.meeting, { organizer: call.agent });
    } catch {
      continue; // Graph did not answer: the next sweep tries again.
    }
    const outcome = await moveCall(deps, call, {
      actor: { kind: 'system' },
      action: 'lock-lobby',
      patch: (_action, at, current) => ({ meeting: { ...current.meeting, lobbyLockedAt: at } }),
      meetingFollows: false,
    });
    if (outcome.ok) relocked += 1;
  }
  return relocked;
}
