import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AppError,
  resolveTemplates,
  type Admission,
  type CallChange,
  type CallDeps,
  type CallEventBus,
  type CallRoomNote,
  type MeetingActor,
  type MeetingProvider,
  type MeetingProviderKind,
  type MeetingRef,
  type NewMeeting,
  type TeamDirectory,
} from '@shared';
import { FakeCallStore } from './fake-call-store';
import { FakeClock } from './fake-clock';

/** Records what was asked of the meeting; `failWith` makes every call reject. */
export class FakeMeetingProvider implements MeetingProvider {
  readonly kind = 'browser' as const;
  readonly calls: Array<{ op: string; meetingId?: string; actor: MeetingActor }> = [];
  failWith: Error | undefined;
  joinUrl: string | undefined;
  /** The kind of meeting `create` makes (a Teams meeting has a lobby to lock). */
  makes: MeetingProviderKind = 'browser';

  private async record(op: string, actor: MeetingActor, meetingId?: string): Promise<void> {
    this.calls.push({ op, actor, ...(meetingId ? { meetingId } : {}) });
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
  }
  async create(_m: NewMeeting, actor: MeetingActor): Promise<MeetingRef> {
    await this.record('create', actor);
    return {
      provider: this.makes,
      meetingId: `room-${randomUUID()}`,
      ...(this.joinUrl ? { joinUrl: this.joinUrl } : {}),
    };
  }
  async admit(meeting: MeetingRef, actor: MeetingActor): Promise<Admission> {
    await this.record('admit', actor, meeting.meetingId);
    return { joinUrl: this.joinUrl, lobbyOpenUntil: undefined };
  }
  async lockLobby(meeting: MeetingRef, actor: MeetingActor): Promise<void> {
    await this.record('lockLobby', actor, meeting.meetingId);
  }
  async close(meeting: MeetingRef, actor: MeetingActor): Promise<void> {
    await this.record('close', actor, meeting.meetingId);
  }
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
}

/** Records every published change. */
export class FakeCallEventBus implements CallEventBus {
  readonly published: CallChange[] = [];
  private readonly listeners = new Set<(c: CallChange) => void>();
  publish(change: CallChange): Promise<void> {
    this.published.push(change);
    for (const l of this.listeners) l(change);
    return Promise.resolve();
  }
  subscribe(listener: (c: CallChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  readonly announced: CallRoomNote[] = [];
  private readonly roomListeners = new Set<(n: CallRoomNote) => void>();
  announce(note: CallRoomNote): Promise<void> {
    this.announced.push(note);
    for (const l of this.roomListeners) l(note);
    return Promise.resolve();
  }
  subscribeRoom(listener: (n: CallRoomNote) => void): () => void {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Team membership from a table: `members[teamId]` lists agent ids. */
export class FakeTeamDirectory implements TeamDirectory {
  constructor(readonly members: Record<string, string[]> = {}) {}
  unavailable = false;
  isMember(agentId: string, teamId: string): Promise<boolean> {
    if (this.unavailable)
      return Promise.reject(new AppError('upstream-unavailable', 'directory down'));
    return Promise.resolve(this.members[teamId]?.includes(agentId) ?? false);
  }
}

/** Every dependency of the use-cases, faked, with handles to steer and inspect them. */
export function fakeDeps(overrides: Partial<CallDeps> = {}) {
  const store = new FakeCallStore();
  const clock = new FakeClock();
  const meetings = new FakeMeetingProvider();
  const bus = new FakeCallEventBus();
  const teams = new FakeTeamDirectory();
  const deps: CallDeps = {
    store,
    clock,
    meetings,
    bus,
    teams,
    random: { bytes: (n) => new Uint8Array(randomBytes(n)), uuid: () => randomUUID() },
    hasher: { sha256Hex: (s) => createHash('sha256').update(s, 'utf8').digest('hex') },
    settings: {
      publicBaseUrl: 'https://calls.example.com',
      linkGraceMinutes: 60,
      lobbyTimeoutSeconds: 900,
      lobbyWarningSeconds: 120,
      earlyJoinMinutes: 30,
      lobbyOpenSeconds: 120,
      defaultTimeZone: 'Europe/Berlin',
      templates: resolveTemplates(),
    },
    ...overrides,
  };
  return { deps, store, clock, meetings, bus, teams };
}
