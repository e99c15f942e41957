import { z } from 'zod';
import {
  ACTIVE_STATES,
  AppError,
  callPhase,
  followCall,
  type CallDeps,
  type CallRecord,
  type CallState,
  type CallStore,
  type MeetingRef,
} from '@shared';

/** Teams event activity names (`activity.type === 'event'`, channel `msteams`). */
export const MEETING_EVENT_NAMES = {
  start: 'application/vnd.microsoft.meetingStart',
  end: 'application/vnd.microsoft.meetingEnd',
  join: 'application/vnd.microsoft.meetingParticipantJoin',
  leave: 'application/vnd.microsoft.meetingParticipantLeave',
} as const;

/** What identifies the meeting an event is about; any one may be missing. */
export type MeetingKey = {
  /** `channelData.meeting.id` (or the start/end value's `Id`). */
  readonly meetingId: string | undefined;
  readonly joinUrl: string | undefined;
  /** The meeting chat thread `19:meeting_…@thread.v2`: the one id every source shares. */
  readonly threadId: string | undefined;
};

/** Someone in a participant event. `aadObjectId` is absent for anonymous joiners (the customer). */
export type MeetingParticipant = {
  readonly id: string;
  readonly aadObjectId: string | undefined;
  readonly role: string | undefined;
};

/** A parsed meeting event. */
export type MeetingEvent =
  | {
      readonly kind: 'start' | 'end';
      readonly meeting: MeetingKey;
      readonly at: string | undefined;
    }
  | {
      readonly kind: 'participant-join' | 'participant-leave';
      readonly meeting: MeetingKey;
      readonly participants: readonly MeetingParticipant[];
    };

/** The parts of a Bot Framework activity the parser reads (kept SDK-free). */
export type MeetingActivity = {
  readonly name?: string | undefined;
  readonly value?: unknown;
  readonly channelData?: unknown;
  readonly conversation?: { readonly id?: string | undefined } | undefined;
};

const StartEndSchema = z.object({
  id: z.string().optional(),
  joinUrl: z.string().optional(),
  title: z.string().optional(),
  meetingType: z.string().optional(),
  startTime: z.string().optional(),
  endTime: z.string().optional(),
});
const MembersSchema = z.object({
  members: z.array(
    z.object({
      user: z.object({
        id: z.string().min(1),
        aadObjectId: z.string().nullish(),
        name: z.string().nullish(),
        userRole: z.string().nullish(),
      }),
      meeting: z
        .object({ inMeeting: z.boolean().optional(), role: z.string().optional() })
        .optional(),
    }),
  ),
});
const ChannelDataSchema = z
  .object({ meeting: z.object({ id: z.string().optional() }).optional() })
  .optional();

/**
 * Reads a meeting event activity. Teams has sent both `PascalCase` (`Id`, `JoinUrl`, `Members`,
 * `EndTime`) and `camelCase` keys, so keys are compared with a lower-case first letter.
 * `undefined` for other event names; `invalid-input` for a malformed value.
 */
export function parseMeetingEvent(activity: MeetingActivity): MeetingEvent | undefined {
  const value = camelKeys(activity.value);
  const channelData = ChannelDataSchema.safeParse(camelKeys(activity.channelData));
  const channelMeetingId = channelData.success ? channelData.data?.meeting?.id : undefined;
  const conversationId = activity.conversation?.id;
  switch (activity.name) {
    case MEETING_EVENT_NAMES.start:
    case MEETING_EVENT_NAMES.end: {
      const parsed = StartEndSchema.safeParse(value ?? {});
      if (!parsed.success)
        throw new AppError('invalid-input', 'Malformed meeting start/end event', {
          cause: parsed.error,
        });
      const v = parsed.data;
      const meetingId = channelMeetingId ?? v.id;
      const start = activity.name === MEETING_EVENT_NAMES.start;
      return {
        kind: start ? 'start' : 'end',
        meeting: {
          meetingId,
          joinUrl: v.joinUrl,
          threadId: threadIdOf(v.joinUrl) ?? threadIdOf(conversationId) ?? threadIdOf(meetingId),
        },
        at: start ? v.startTime : v.endTime,
      };
    }
    case MEETING_EVENT_NAMES.join:
    case MEETING_EVENT_NAMES.leave: {
      const parsed = MembersSchema.safeParse(value);
      if (!parsed.success)
        throw new AppError('invalid-input', 'Malformed meeting participant event', {
          cause: parsed.error,
        });
      return {
        kind: activity.name === MEETING_EVENT_NAMES.join ? 'participant-join' : 'participant-leave',
        meeting: {
          meetingId: channelMeetingId,
          joinUrl: undefined,
          threadId: threadIdOf(conversationId) ?? threadIdOf(channelMeetingId),
        },
        participants: parsed.data.members.map((m) => ({
          id: m.user.id,
          aadObjectId: m.user.aadObjectId ?? undefined,
          role: m.meeting?.role ?? m.user.userRole ?? undefined,
        })),
      };
    }
    case undefined:
    default:
      return undefined;
  }
}

const THREAD = /19:meeting_[A-Za-z0-9_\-=+/]+@thread\.v2/;

/**
 * The meeting chat thread id inside a join URL (`/meetup-join/19%3ameeting_…%40thread.v2/0`), a
 * conversation id, a Teams meeting id (base64 of `0#19:meeting_…@thread.v2#0`) or a Graph
 * onlineMeeting id (base64 of `1*<organizer>*0**19:meeting_…@thread.v2`).
 */
export function threadIdOf(source: string | undefined): string | undefined {
  if (!source) return undefined;
  let decodedUrl = source;
  try {
    decodedUrl = decodeURIComponent(source);
  } catch {
    // Not URL-encoded text: look at it as it is.
  }
  const direct = THREAD.exec(decodedUrl)?.[0];
  if (direct) return direct;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(source)) return undefined;
  return THREAD.exec(Buffer.from(source, 'base64').toString('utf8'))?.[0];
}

/** True when the call's Teams meeting is the one an event is about. */
export function isCallMeeting(meeting: MeetingRef, key: MeetingKey): boolean {
  if (meeting.provider !== 'teams') return false;
  if (key.joinUrl && meeting.joinUrl === key.joinUrl) return true;
  const thread = threadIdOf(meeting.joinUrl) ?? threadIdOf(meeting.onlineMeetingId);
  return thread !== undefined && thread === key.threadId;
}

/** Finds the call behind a meeting event. */
export interface MeetingCallLookup {
  findByMeeting(key: MeetingKey): Promise<CallRecord | undefined>;
}

/**
 * A lookup over `CallStore.list` (active calls, filtered in memory). Fine for hundreds of open
 * calls; a store index on the meeting thread would replace it at scale.
 */
export class StoreScanMeetingLookup implements MeetingCallLookup {
  constructor(
    private readonly store: CallStore,
    private readonly limit = 1000,
  ) {}

  async findByMeeting(key: MeetingKey): Promise<CallRecord | undefined> {
    if (!key.threadId && !key.joinUrl) return undefined;
    const calls = await this.store.list({ states: ACTIVE_STATES, limit: this.limit });
    return calls.find((call) => isCallMeeting(call.meeting, key));
  }
}

/**
 * Who is in each call's meeting besides the organizer (in this process). Anonymous ids change on
 * rejoin, so a leave must be seen to forget someone; a restart forgets everyone.
 */
export class MeetingPresence {
  private readonly present = new Map<string, Set<string>>();

  join(callId: string, participantId: string): number {
    const set = this.present.get(callId) ?? new Set<string>();
    set.add(participantId);
    this.present.set(callId, set);
    return set.size;
  }

  leave(callId: string, participantId: string): void {
    this.present.get(callId)?.delete(participantId);
  }

  forget(callId: string): void {
    this.present.delete(callId);
  }
}

/** Something the agent should be told. */
export type MeetingWarning =
  | { readonly kind: 'third-person'; readonly callId: string; readonly othersPresent: number }
  | {
      readonly kind: 'joined-before-admission';
      readonly callId: string;
      readonly state: CallState;
    };

/** What a meeting event did. */
export type MeetingEventOutcome = {
  /** The call the event belongs to (after any change); `undefined` when none matched. */
  readonly call: CallRecord | undefined;
  /** The state the call moved to, if it moved. */
  readonly changed: CallState | undefined;
  readonly warnings: readonly MeetingWarning[];
  /** The lobby lock or meeting close failed after the call moved (report it; the call moved anyway). */
  readonly meetingError?: unknown;
};

/**
 * Applies a meeting event to its call:
 * - a participant other than the organizer joins an `admitted` call → `in_call`, then the Teams lobby
 *   is locked again (`lockLobby`);
 * - a second person besides the organizer present → warning `third-person` (a one-time call is two
 *   people); someone present before admission → warning `joined-before-admission`;
 * - meeting end while `admitted`/`in_call` → `ended`, then the meeting is closed.
 * Start events and unknown meetings change nothing.
 */
export async function handleMeetingEvent(
  deps: CallDeps,
  event: MeetingEvent,
  lookup: MeetingCallLookup,
  presence: MeetingPresence = new MeetingPresence(),
): Promise<MeetingEventOutcome> {
  const call = await lookup.findByMeeting(event.meeting);
  if (!call) return { call: undefined, changed: undefined, warnings: [] };
  switch (event.kind) {
    case 'start':
      return { call, changed: undefined, warnings: [] };
    case 'end':
      return endCall(deps, call, presence);
    case 'participant-leave':
      for (const p of event.participants) presence.leave(call.id, p.id);
      return { call, changed: undefined, warnings: [] };
    case 'participant-join':
      return participantsJoined(deps, call, event.participants, presence);
  }
}

async function participantsJoined(
  deps: CallDeps,
  call: CallRecord,
  participants: readonly MeetingParticipant[],
  presence: MeetingPresence,
): Promise<MeetingEventOutcome> {
  const others = participants.filter((p) => !p.aadObjectId || p.aadObjectId !== call.agent.id);
  if (others.length === 0) return { call, changed: undefined, warnings: [] };
  let present = 0;
  for (const p of others) present = presence.join(call.id, p.id);

  const warnings: MeetingWarning[] = [];
  if (present > 1) warnings.push({ kind: 'third-person', callId: call.id, othersPresent: present });
  const phase = callPhase(call.state);
  if (phase === 'open' || phase === 'lobby') {
    warnings.push({ kind: 'joined-before-admission', callId: call.id, state: call.state });
  }
  const outcome = await followCall(deps, call, 'join', { kind: 'system' }, { source: 'teams' });
  return {
    call: outcome.call,
    changed: outcome.moved ? outcome.call.state : undefined,
    warnings,
    ...(outcome.meetingError !== undefined ? { meetingError: outcome.meetingError } : {}),
  };
}

async function endCall(
  deps: CallDeps,
  call: CallRecord,
  presence: MeetingPresence,
): Promise<MeetingEventOutcome> {
  presence.forget(call.id);
  // A customer still waiting in our own lobby keeps waiting: the agent may start the meeting again.
  // (The table lets the system end only calls that were let in.)
  const outcome = await followCall(deps, call, 'end', { kind: 'system' }, { source: 'teams' });
  return {
    call: outcome.call,
    changed: outcome.moved ? outcome.call.state : undefined,
    warnings: [],
    ...(outcome.meetingError !== undefined ? { meetingError: outcome.meetingError } : {}),
  };
}

/** Lower-cases the first letter of every object key, recursively (`JoinUrl` → `joinUrl`). */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key.charAt(0).toLowerCase() + key.slice(1)] = camelKeys(v);
  return out;
}

/** Turns a meeting event activity into its effect; `undefined` for events that are not about meetings. */
export type MeetingEventHandler = (
  activity: MeetingActivity,
) => Promise<MeetingEventOutcome | undefined>;

/**
 * The bot's one call for meeting events: parse, find the call, apply, with the presence of this
 * process remembered between events. Throws `invalid-input` for a malformed meeting payload.
 */
export function createMeetingEventHandler(
  deps: CallDeps,
  lookup: MeetingCallLookup = new StoreScanMeetingLookup(deps.store),
): MeetingEventHandler {
  const presence = new MeetingPresence();
  return async (activity) => {
    const event = parseMeetingEvent(activity);
    return event ? handleMeetingEvent(deps, event, lookup, presence) : undefined;
  };
}

/** What the agent is told about a warning, in their language. No customer names. */
export function describeMeetingWarning(
  warning: MeetingWarning,
  callTitle: string,
  locale: 'en' | 'de',
): string {
  switch (warning.kind) {
    case 'third-person':
      return locale === 'de'
        ? `Im Einmal-Anruf „${callTitle}“ sind jetzt ${warning.othersPresent} Personen außer Ihnen. Ein Einmal-Anruf ist für Sie und einen Kunden gedacht – prüfen Sie, wer teilnimmt.`
        : `${warning.othersPresent} people besides you are now in the one-time call "${callTitle}". A one-time call is for you and one customer: check who joined.`;
    case 'joined-before-admission':
      return locale === 'de'
        ? `Jemand ist dem Teams-Meeting von „${callTitle}“ beigetreten, bevor Sie einen Kunden hereingelassen haben.`
        : `Someone joined the Teams meeting of "${callTitle}" before you admitted a customer.`;
  }
}
