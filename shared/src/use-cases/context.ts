import type { AgentRef, CallRecord, Locale } from '../domain/call';
import { AppError } from '../errors';
import type { CallEventBus } from '../ports/call-event-bus';
import type { CallStore } from '../ports/call-store';
import type { Clock } from '../ports/clock';
import type { CallSignalStore } from '../ports/call-signal-store';
import type { Hasher } from '../ports/hasher';
import type { IceServerSource } from '../ports/ice-server-source';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { RandomSource } from '../ports/random-source';
import type { TeamDirectory } from '../ports/team-directory';
import type { MessageTemplates } from '../templates/templates';

/** Settings the use-cases need (validated by the server's config). */
export type CallSettings = {
  /** Origin of the short links, `https://host` (no trailing slash). */
  readonly publicBaseUrl: string;
  /** How long after the meeting's end a link stays usable. @default 60 */
  readonly linkGraceMinutes: number;
  /**
   * A customer waiting longer (since the claim, or since the wait was last extended) is
   * `timed_out`. @default 900
   */
  readonly lobbyTimeoutSeconds: number;
  /**
   * How long before the time-out the waiting customer is asked "Are you still there?" (and can
   * extend the wait). @default 120
   */
  readonly lobbyWarningSeconds: number;
  /** How early before the start a customer may claim. @default 30 */
  readonly earlyJoinMinutes: number;
  /** Longest the Teams lobby stays open after an admission (teams meetings); closed earlier once the customer is seen. @default 600 */
  readonly lobbyOpenSeconds: number;
  /** Zone of the invitation's times when the agent gave none. @default "UTC" */
  readonly defaultTimeZone: string;
  /**
   * `inline`: a move waits for its meeting step (embedded meetings, no network). `outbox`: the
   * meeting step runs later from the persisted meeting-sync outbox, fed by the event log, so a
   * move answers at once and a failed step is retried across restarts (teams meetings).
   * @default "inline"
   */
  readonly meetingSync?: 'inline' | 'outbox' | undefined;
  readonly templates: Readonly<Record<Locale, MessageTemplates>>;
};

/** Settings of the browser call (validated by the server's config). */
export type CallRoomSettings = {
  /** A side absent longer than this, after both had joined, ends the call. @default 120 */
  readonly reconnectSeconds: number;
  /** `relay` forces TURN (tests, locked-down networks). @default "all" */
  readonly iceTransportPolicy: 'all' | 'relay';
};

/** What the browser call's signalling needs: seats and messages, ICE servers, settings. */
export type CallRoom = {
  readonly signals: CallSignalStore;
  readonly ice: IceServerSource;
  readonly settings: CallRoomSettings;
};

/** Everything a use-case may touch. Built once in `bot/src/main.ts`. */
export type CallDeps = {
  readonly store: CallStore;
  readonly meetings: MeetingProvider;
  readonly bus: CallEventBus;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly hasher: Hasher;
  readonly teams: TeamDirectory;
  readonly settings: CallSettings;
  /** The browser call's signalling; `undefined` where nothing serves it (some unit tests). */
  readonly room?: CallRoom | undefined;
};

/** The authenticated agent behind a request or a card click. */
export type AgentPrincipal = AgentRef & {
  readonly tenantId?: string | undefined;
  /** The SSO token, for on-behalf-of calls to Graph. `undefined` from cards and embedded mode. */
  readonly userAssertion?: string | undefined;
};

/** The principal as a plain reference (what is stored and shown). */
export const agentRef = (p: AgentPrincipal): AgentRef => ({ id: p.id, name: p.name });

/** The log's actor for an agent. */
export const agentActor = (p: AgentPrincipal) =>
  ({ kind: 'agent', id: p.id, name: p.name }) as const;

/** Loads a call the agent may act on: its owner, or a member of its team. */
export async function loadForAgent(
  deps: CallDeps,
  principal: AgentPrincipal,
  id: string,
): Promise<CallRecord> {
  const call = await deps.store.get(id);
  if (!call) throw new AppError('not-found', `No call ${id}`);
  if (call.agent.id === principal.id) return call;
  if (call.team && (await deps.teams.isMember(principal.id, call.team.id))) return call;
  // Same answer as an unknown id: agents do not learn which ids exist.
  throw new AppError('not-found', `Call ${id} is not visible to agent ${principal.id}`);
}

/** ISO time of the clock plus `seconds`. */
export const isoPlus = (iso: string, seconds: number): string =>
  new Date(new Date(iso).getTime() + seconds * 1000).toISOString();
