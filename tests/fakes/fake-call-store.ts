import {
  AppError,
  isCallMeeting,
  isTerminal,
  type MeetingKey,
  type CallEvent,
  type CallPatch,
  type CallQuery,
  type CallRecord,
  type CallState,
  type CallStore,
  type NewCallEvent,
  type TransitionInput,
  type TransitionResult,
} from '@shared';

/** The data behind one or more {@link FakeCallStore} handles (like a database behind connections). */
export class FakeCallDatabase {
  readonly calls = new Map<string, CallRecord>();
  readonly events: CallEvent[] = [];
  /** Participants present in each call's meeting. */
  readonly presence = new Map<string, Set<string>>();
  seq = 0;
}

type PatchField = keyof CallPatch;

const REQUIRED: ReadonlySet<PatchField> = new Set<PatchField>([
  'title',
  'startsAt',
  'durationMinutes',
  'expiresAt',
  'customerLocale',
  'timeZone',
  'agent',
  'meeting',
]);
const TIMES: ReadonlySet<string> = new Set([
  'startsAt',
  'expiresAt',
  'claimedAt',
  'admittedAt',
  'decidedAt',
  'endedAt',
  'createdAt',
  'updatedAt',
]);

/**
 * An in-memory {@link CallStore} with the same semantics as the SQL adapters (it passes the same
 * contract): atomic compare-and-set, an append-only log with a global `seq`, canonical ISO times,
 * copies in and out (callers cannot mutate what is stored).
 */
export class FakeCallStore implements CallStore {
  private closed = false;
  private failure: Error | undefined;

  constructor(readonly database: FakeCallDatabase = new FakeCallDatabase()) {}

  /** Another handle on the same data, like a second connection to one database. */
  connect(): FakeCallStore {
    return new FakeCallStore(this.database);
  }

  /** From now on every call rejects with `error` (e.g. an `upstream-unavailable` AppError); `undefined` heals. */
  breakWith(error: Error | undefined): void {
    this.failure = error;
  }

  async migrate(): Promise<void> {
    await this.ready();
  }

  async insert(call: CallRecord, event: NewCallEvent): Promise<CallEvent> {
    await this.ready();
    const db = this.database;
    if (db.calls.has(call.id) || [...db.calls.values()].some((c) => c.codeHash === call.codeHash)) {
      throw new AppError('state-conflict', 'A call with this id or code already exists');
    }
    const stored = canonical(call);
    db.calls.set(call.id, stored);
    return copy(this.append(call.id, event, undefined, stored.state));
  }

  async get(id: string): Promise<CallRecord | undefined> {
    await this.ready();
    const call = this.database.calls.get(id);
    return call && copy(call);
  }

  async getByCodeHash(codeHash: string): Promise<CallRecord | undefined> {
    await this.ready();
    const call = [...this.database.calls.values()].find((c) => c.codeHash === codeHash);
    return call && copy(call);
  }

  async findByMeeting(key: MeetingKey): Promise<CallRecord | undefined> {
    await this.ready();
    const call = [...this.database.calls.values()]
      .filter((c) => isCallMeeting(c.meeting, key))
      .sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id))[0];
    return call && copy(call);
  }

  async joinMeeting(callId: string, participantId: string, at: string): Promise<number> {
    await this.ready();
    canonicalTime(at);
    const present = this.database.presence.get(callId) ?? new Set<string>();
    present.add(participantId);
    this.database.presence.set(callId, present);
    return present.size;
  }

  async leaveMeeting(callId: string, participantId: string | undefined): Promise<void> {
    await this.ready();
    if (participantId === undefined) this.database.presence.delete(callId);
    else this.database.presence.get(callId)?.delete(participantId);
  }

  async list(query: CallQuery): Promise<CallRecord[]> {
    await this.ready();
    return [...this.database.calls.values()]
      .filter(
        (c) =>
          (query.agentId === undefined || c.agent.id === query.agentId) &&
          (query.teamId === undefined || c.team?.id === query.teamId) &&
          (query.states === undefined || query.states.includes(c.state)),
      )
      .sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id))
      .slice(0, checkLimit(query.limit ?? 100))
      .map(copy);
  }

  async transition(input: TransitionInput): Promise<TransitionResult> {
    await this.ready();
    checkPatch(input.patch);
    const current = this.database.calls.get(input.id);
    if (
      !current ||
      !input.expected.includes(current.state) ||
      (input.expectedVersion !== undefined && current.version !== input.expectedVersion)
    ) {
      return { ok: false, current: current && copy(current) };
    }
    const call: CallRecord = {
      ...applyPatch(current, input.patch),
      state: input.to ?? current.state,
      version: current.version + 1,
      updatedAt: canonicalTime(input.at),
    };
    this.database.calls.set(call.id, call);
    const event = this.append(call.id, input.event, current.state, call.state);
    return { ok: true, call: copy(call), event: copy(event) };
  }

  async events(callId: string): Promise<CallEvent[]> {
    await this.ready();
    return this.database.events.filter((e) => e.callId === callId).map(copy);
  }

  async eventsSince(afterSeq: number, limit: number): Promise<CallEvent[]> {
    await this.ready();
    return this.database.events
      .filter((e) => e.seq > afterSeq)
      .slice(0, checkLimit(limit))
      .map(copy);
  }

  async due(now: string, waitingClaimedBefore: string, limit: number): Promise<CallRecord[]> {
    await this.ready();
    const cutoff = canonicalTime(now);
    const waitingCutoff = canonicalTime(waitingClaimedBefore);
    return [...this.database.calls.values()]
      .filter((c) => {
        switch (c.state) {
          case 'scheduled':
          case 'admitted':
          case 'in_call':
            return c.expiresAt <= cutoff;
          case 'waiting':
            return (
              c.expiresAt <= cutoff ||
              (c.lobbyExtendedAt ?? c.claimedAt ?? c.updatedAt) <= waitingCutoff
            );
          case 'ended':
          case 'declined':
          case 'revoked':
          case 'expired':
          case 'abandoned':
          case 'timed_out':
            return false;
        }
      })
      .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id))
      .slice(0, checkLimit(limit))
      .map(copy);
  }

  async purge(before: string): Promise<number> {
    await this.ready();
    const cutoff = canonicalTime(before);
    const db = this.database;
    const doomed = [...db.calls.values()].filter(
      (c) => isTerminal(c.state) && c.updatedAt < cutoff,
    );
    const ids = new Set(doomed.map((c) => c.id));
    for (const id of ids) {
      db.calls.delete(id);
      db.presence.delete(id);
    }
    const kept = db.events.filter((e) => !ids.has(e.callId));
    db.events.splice(0, db.events.length, ...kept);
    return ids.size;
  }

  ping(): Promise<boolean> {
    return Promise.resolve(!this.closed && !this.failure);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Yields once, like a driver round trip, so concurrent callers really interleave. */
  private async ready(): Promise<void> {
    await Promise.resolve();
    if (this.failure) throw this.failure;
    if (this.closed) throw new AppError('upstream-unavailable', 'The fake store is closed');
  }

  private append(
    callId: string,
    event: NewCallEvent,
    fromState: CallState | undefined,
    toState: CallState,
  ): CallEvent {
    const db = this.database;
    db.seq += 1;
    const stored: CallEvent = {
      seq: db.seq,
      callId,
      type: event.type,
      at: canonicalTime(event.at),
      actor: copy(event.actor),
      ...(fromState === undefined ? {} : { fromState }),
      toState,
      ...(event.data === undefined ? {} : { data: copy(event.data) }),
    };
    db.events.push(stored);
    return stored;
  }
}

function checkPatch(patch: CallPatch | undefined): void {
  for (const [field, value] of Object.entries(patch ?? {}) as Array<[PatchField, unknown]>) {
    if (value === null && REQUIRED.has(field)) {
      throw new AppError('internal', `A call's ${field} cannot be cleared`);
    }
  }
}

function applyPatch(call: CallRecord, patch: CallPatch | undefined): CallRecord {
  const next: Record<string, unknown> = { ...call };
  for (const [field, value] of Object.entries(patch ?? {}) as Array<[PatchField, unknown]>) {
    if (value === undefined) continue;
    if (value === null) {
      delete next[field];
    } else {
      next[field] = TIMES.has(field) ? canonicalTime(value as string) : copy(value);
    }
  }
  return next as CallRecord;
}

function canonical(call: CallRecord): CallRecord {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(call)) {
    if (value === undefined) continue;
    out[field] = TIMES.has(field) ? canonicalTime(value as string) : copy(value);
  }
  return out as CallRecord;
}

function canonicalTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError('internal', `Not an ISO time: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new AppError('internal', `Bad limit ${limit}`);
  return limit;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Copies like a JSON column does: `undefined` members disappear. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
