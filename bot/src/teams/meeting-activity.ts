import { z } from 'zod';
import {
  CARD_MESSAGES,
  formatMessage,
  AppError,
  handleMeetingEvent,
  threadIdOf,
  type CallDeps,
  type MeetingEvent,
  type MeetingEventOutcome,
  type MeetingWarning,
  type ParticipantOrigin,
} from '@shared';

// Teams meeting events as the Bot Framework delivers them: the wire format is read here, at the
// edge; what an event does to a call is the core's `handleMeetingEvent`.

/** Teams event activity names (`activity.type === 'event'`, channel `msteams`). */
export const MEETING_EVENT_NAMES = {
  start: 'application/vnd.microsoft.meetingStart',
  end: 'application/vnd.microsoft.meetingEnd',
  join: 'application/vnd.microsoft.meetingParticipantJoin',
  leave: 'application/vnd.microsoft.meetingParticipantLeave',
} as const;

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
        tenantId: z.string().nullish(),
      }),
      meeting: z
        .object({ inMeeting: z.boolean().optional(), role: z.string().optional() })
        .optional(),
    }),
  ),
});
const ChannelDataSchema = z
  .object({
    meeting: z.object({ id: z.string().optional() }).optional(),
    tenant: z.object({ id: z.string().optional() }).optional(),
  })
  .optional();

/**
 * Anonymous: no Entra object id (the way our customer joins) or the role says so. External: a
 * guest, or a user of another tenant than the meeting's. Internal: the agent or a colleague.
 */
function originOf(
  user: {
    readonly aadObjectId?: string | null | undefined;
    readonly userRole?: string | null | undefined;
    readonly tenantId?: string | null | undefined;
  },
  meetingTenant: string | undefined,
): ParticipantOrigin {
  const role = user.userRole?.toLowerCase();
  if (!user.aadObjectId || role === 'anonymous') return 'anonymous';
  if (role === 'guest') return 'external';
  if (user.tenantId && meetingTenant && user.tenantId !== meetingTenant) return 'external';
  return 'internal';
}

/**
 * Reads a meeting event activity. Teams has sent both `PascalCase` (`Id`, `JoinUrl`, `Members`,
 * `EndTime`) and `camelCase` keys, so keys are compared with a lower-case first letter.
 * `undefined` for other event names; `invalid-input` for a malformed value.
 */
export function parseMeetingEvent(activity: MeetingActivity): MeetingEvent | undefined {
  const value = camelKeys(activity.value);
  const channelData = ChannelDataSchema.safeParse(camelKeys(activity.channelData));
  const channelMeetingId = channelData.success ? channelData.data?.meeting?.id : undefined;
  const meetingTenant = channelData.success ? channelData.data?.tenant?.id : undefined;
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
          origin: originOf(m.user, meetingTenant),
        })),
      };
    }
    case undefined:
    default:
      return undefined;
  }
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
 * The bot's one call for meeting events: parse, then apply (the core finds the call by its meeting
 * and keeps who is present in the store). Throws `invalid-input` for a malformed meeting payload.
 */
export function createMeetingEventHandler(deps: CallDeps): MeetingEventHandler {
  return async (activity) => {
    const event = parseMeetingEvent(activity);
    return event ? handleMeetingEvent(deps, event) : undefined;
  };
}

/** What the agent is told about a warning, in their language. No customer names. */
export function describeMeetingWarning(
  warning: MeetingWarning,
  callTitle: string,
  locale: 'en' | 'de',
): string {
  const messages = CARD_MESSAGES[locale];
  switch (warning.kind) {
    case 'third-person':
      return formatMessage(locale, messages['warning.third-person'], {
        others: warning.othersPresent,
        title: callTitle,
      });
    case 'joined-before-admission':
      return formatMessage(locale, messages['warning.joined-before-admission'], {
        title: callTitle,
      });
  }
}
