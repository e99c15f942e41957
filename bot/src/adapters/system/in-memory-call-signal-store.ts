import type {
  AppendSignalResult,
  CallRole,
  CallSeat,
  CallSignalStore,
  NewSignal,
  SeatClaim,
  SeatClaimResult,
  StoredSignal,
} from '@shared';

const key = (callId: string, role: CallRole) => `${callId}\u0000${role}`;
const iso = (value: string) => new Date(value).toISOString();

/**
 * Seats and signalling rows in this process's memory: for tests and for a server whose call store
 * was replaced by a fake. Every method finishes synchronously, so each step is atomic.
 */
export class InMemoryCallSignalStore implements CallSignalStore {
  private readonly seatsByKey = new Map<string, CallSeat>();
  private signals: StoredSignal[] = [];
  private nextId = 1;

  migrate(): Promise<void> {
    return Promise.resolve();
  }

  claimSeat(claim: SeatClaim): Promise<SeatClaimResult> {
    const k = key(claim.callId, claim.role);
    const current = this.seatsByKey.get(k);
    if (
      current &&
      current.sessionId !== claim.resumeSessionId &&
      current.heartbeatAt >= iso(claim.staleBefore)
    ) {
      return Promise.resolve({ ok: false, current });
    }
    const seat: CallSeat = {
      callId: claim.callId,
      role: claim.role,
      sessionId: claim.sessionId,
      joinedAt: iso(claim.at),
      heartbeatAt: iso(claim.at),
      lastSeq: 0,
      absentSince: undefined,
    };
    this.seatsByKey.set(k, seat);
    if (current) {
      this.signals = this.signals.filter(
        (s) => !(s.callId === claim.callId && s.from === claim.role),
      );
    }
    return Promise.resolve({ ok: true, seat, replaced: current?.sessionId });
  }

  seats(callId: string): Promise<CallSeat[]> {
    return Promise.resolve([...this.seatsByKey.values()].filter((s) => s.callId === callId));
  }

  heartbeat(
    callId: string,
    role: CallRole,
    sessionId: string,
    at: string,
  ): Promise<CallSeat | undefined> {
    const k = key(callId, role);
    const seat = this.seatsByKey.get(k);
    if (!seat || seat.sessionId !== sessionId) return Promise.resolve(undefined);
    this.seatsByKey.set(k, { ...seat, heartbeatAt: iso(at), absentSince: undefined });
    return Promise.resolve(seat);
  }

  markAbsent(
    callId: string,
    role: CallRole,
    sessionId: string,
    staleBefore: string,
    at: string,
  ): Promise<boolean> {
    const k = key(callId, role);
    const seat = this.seatsByKey.get(k);
    if (
      !seat ||
      seat.sessionId !== sessionId ||
      seat.absentSince !== undefined ||
      seat.heartbeatAt >= iso(staleBefore)
    ) {
      return Promise.resolve(false);
    }
    this.seatsByKey.set(k, { ...seat, absentSince: iso(at) });
    return Promise.resolve(true);
  }

  staleSeats(before: string, limit: number): Promise<CallSeat[]> {
    const cutoff = iso(before);
    return Promise.resolve(
      [...this.seatsByKey.values()]
        .filter((s) => s.heartbeatAt < cutoff)
        .sort((a, b) => (a.heartbeatAt < b.heartbeatAt ? -1 : 1))
        .slice(0, limit),
    );
  }

  appendSignal(signal: NewSignal): Promise<AppendSignalResult> {
    const k = key(signal.callId, signal.from);
    const seat = this.seatsByKey.get(k);
    if (!seat || seat.sessionId !== signal.sessionId) {
      return Promise.resolve({ ok: false, reason: 'session-replaced' });
    }
    if (signal.seq <= seat.lastSeq) return Promise.resolve({ ok: false, reason: 'out-of-order' });
    const since = iso(signal.rate.since);
    const recent = this.signals.filter((s) => s.sessionId === signal.sessionId && s.at >= since);
    if (recent.length >= signal.rate.max) {
      const oldest = recent[recent.length - signal.rate.max];
      const windowMs = Date.parse(signal.at) - Date.parse(since);
      const retryAt = new Date(Date.parse(oldest?.at ?? signal.at) + windowMs).toISOString();
      return Promise.resolve({ ok: false, reason: 'rate-limited', retryAt });
    }
    const stored: StoredSignal = {
      id: this.nextId++,
      callId: signal.callId,
      from: signal.from,
      sessionId: signal.sessionId,
      seq: signal.seq,
      message: signal.message,
      at: iso(signal.at),
    };
    this.signals.push(stored);
    this.seatsByKey.set(k, { ...seat, lastSeq: signal.seq });
    return Promise.resolve({ ok: true, signal: stored });
  }

  signalsAfter(
    callId: string,
    from: CallRole,
    sessionId: string,
    afterId: number,
    limit: number,
  ): Promise<StoredSignal[]> {
    return Promise.resolve(
      this.signals
        .filter(
          (s) =>
            s.callId === callId && s.from === from && s.sessionId === sessionId && s.id > afterId,
        )
        .slice(0, limit),
    );
  }

  deleteCall(callId: string): Promise<void> {
    this.seatsByKey.delete(key(callId, 'customer'));
    this.seatsByKey.delete(key(callId, 'agent'));
    this.signals = this.signals.filter((s) => s.callId !== callId);
    return Promise.resolve();
  }

  callsWithRows(limit: number): Promise<string[]> {
    const ids = new Set<string>();
    for (const seat of this.seatsByKey.values()) ids.add(seat.callId);
    for (const s of this.signals) ids.add(s.callId);
    return Promise.resolve([...ids].slice(0, limit));
  }

  purgeSignals(before: string): Promise<number> {
    const cutoff = iso(before);
    const kept = this.signals.filter((s) => s.at >= cutoff);
    const removed = this.signals.length - kept.length;
    this.signals = kept;
    return Promise.resolve(removed);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
