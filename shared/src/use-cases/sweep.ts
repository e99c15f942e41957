import { CALL_SIGNAL_LIMITS } from '../contracts/call-signal';
import { isTerminal } from '../domain/call';
import { callPhase, fromStates } from '../domain/state-machine';
import { isoPlus, type CallDeps } from './context';
import { staleBefore } from './call-room';
import { overdueAction } from './customer-actions';
import { followCall } from './follow-call';
import { moveCall } from './move-call';

/** What one sweep did. */
export type SweepResult = {
  readonly expired: number;
  /** Kept for log and dashboard compatibility: the sweeper no longer abandons (it times out). */
  readonly abandoned: number;
  /** Waiting customers whose wait ran out. */
  readonly timedOut: number;
  readonly ended: number;
  /** Teams lobbies locked again after their admission window. */
  readonly relocked: number;
  /** Browser-call seats newly announced absent (no heartbeat for 30 s). */
  readonly seatsAbsent: number;
  /** Browser calls ended because a side stayed away longer than the reconnect limit. */
  readonly peerGone: number;
  /** Calls whose leftover seats and signalling rows were deleted. */
  readonly roomsCleared: number;
};

const COUNTED = {
  expire: 'expired',
  abandon: 'abandoned',
  'time-out': 'timedOut',
  end: 'ended',
} as const;

/**
 * Moves past-due calls on (`overdueAction`): unclaimed links past expiry → `expired`, customers
 * waiting past the lobby timeout (or the link's expiry) → `timed_out`, admitted calls past the meeting's end and grace →
 * `ended`. Then locks the Teams lobby of admitted calls whose admission window is over. Safe to run
 * in every instance at once: each move is a compare-and-set, decided again on a lost race.
 */
export async function sweepDueCalls(deps: CallDeps, limit = 200): Promise<SweepResult> {
  const now = deps.clock.now().toISOString();
  const due = await deps.store.due(now, isoPlus(now, -deps.settings.lobbyTimeoutSeconds), limit);
  const counts = {
    expired: 0,
    abandoned: 0,
    timedOut: 0,
    ended: 0,
    relocked: 0,
    seatsAbsent: 0,
    peerGone: 0,
    roomsCleared: 0,
  };
  for (const call of due) {
    const outcome = await moveCall(deps, call, {
      actor: { kind: 'system' },
      action: (current) => overdueAction(current, now, deps.settings),
    });
    if (outcome.ok && outcome.action in COUNTED)
      counts[COUNTED[outcome.action as keyof typeof COUNTED]] += 1;
  }
  counts.relocked = await relockLobbies(deps, now, limit);
  Object.assign(counts, await sweepCallRooms(deps, limit));
  return counts;
}

/**
 * The browser calls' presence: a seat without a heartbeat for 30 s is announced absent once (the
 * other side shows "reconnecting…"); a call whose customer or agent has been away longer than
 * `reconnectSeconds`, after both had joined, is ended (system actor). Seats and rows of finished
 * calls, and messages older than an hour, are deleted. Safe in every instance at once.
 */
export async function sweepCallRooms(
  deps: CallDeps,
  limit = 200,
): Promise<Pick<SweepResult, 'seatsAbsent' | 'peerGone' | 'roomsCleared'>> {
  const counts = { seatsAbsent: 0, peerGone: 0, roomsCleared: 0 };
  const room = deps.room;
  if (!room) return counts;
  const now = deps.clock.now();
  const at = now.toISOString();
  const stale = await room.signals.staleSeats(staleBefore(now), limit);
  for (const seat of stale) {
    if (
      await room.signals.markAbsent(seat.callId, seat.role, seat.sessionId, staleBefore(now), at)
    ) {
      counts.seatsAbsent += 1;
      await deps.bus.announce({ callId: seat.callId, kind: 'seat' });
    }
  }
  const giveUp = isoPlus(at, -room.settings.reconnectSeconds);
  const ending = new Set(stale.filter((s) => s.heartbeatAt < giveUp).map((s) => s.callId));
  for (const callId of ending) {
    if ((await room.signals.seats(callId)).length < 2) continue; // never both joined
    const call = await deps.store.get(callId);
    if (!call || callPhase(call.state) !== 'live') continue;
    const gone = stale.find((s) => s.callId === callId)?.role ?? 'customer';
    const { moved } = await followCall(deps, call, 'end', { kind: 'system' }, { absent: gone });
    if (moved) counts.peerGone += 1;
  }
  for (const callId of await room.signals.callsWithRows(limit)) {
    const call = await deps.store.get(callId);
    if (call && !isTerminal(call.state)) continue;
    await room.signals.deleteCall(callId);
    counts.roomsCleared += 1;
  }
  await room.signals.purgeSignals(isoPlus(at, -CALL_SIGNAL_LIMITS.leftoverSeconds));
  return counts;
}

/**
 * Admit opens the Teams lobby for `lobbyOpenSeconds`; the provider closes it on a timer in the
 * process that opened it. A restart loses that timer, and an open lobby lets anyone holding the raw
 * meeting link in, so the sweeper closes every window that is over and records that it did.
 */
async function relockLobbies(deps: CallDeps, now: string, limit: number): Promise<number> {
  // With the meeting-sync outbox the relock is a step due at the window's end (meetingStepsFor).
  if (deps.settings.meetingSync === 'outbox') return 0;
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
