import { z } from 'zod';
import { CALL_STATES, LOCALES } from '../domain/call';
import { dateTimeFormat } from '../templates/intl-cache';
import { humanText } from './text';

export { humanText };

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    dateTimeFormat('en', { timeZone: zone }); // built once per zone, then reused
    return true;
  } catch {
    return false;
  }
}

/** The name a customer types: {@link humanText} of at most 80 UTF-16 units. */
export const CustomerNameSchema = humanText(80);

export const LocaleSchema = z.enum(LOCALES as ['en', 'de']);
export const CallStateSchema = z
  .enum(CALL_STATES as [string, ...string[]])
  .transform((s) => s as (typeof CALL_STATES)[number]);

/** Longest call title. */
export const TITLE_MAX = 120;
/** Call length bounds in minutes. */
export const DURATION_MIN = 5;
export const DURATION_MAX = 480;
/** @default 30 */
export const DEFAULT_DURATION_MINUTES = 30;
/** How far ahead a call may be planned; later dates are refused (a link for 9999 is never swept). */
export const STARTS_AT_HORIZON_DAYS = 365;

export const TeamRefSchema = z.strictObject({
  id: humanText(200),
  name: humanText(200),
  channelId: humanText(200).optional(),
});

/** `POST /api/calls`. Every field is optional; the server fills sensible defaults. */
export const CreateCallRequestSchema = z.strictObject({
  /** @default "Call with customer" (localized) */
  title: humanText(TITLE_MAX).optional(),
  /** ISO-8601 with offset. @default now */
  startsAt: z.iso.datetime({ offset: true }).optional(),
  durationMinutes: z.number().int().min(DURATION_MIN).max(DURATION_MAX).optional(),
  /** The language of the customer's pages and texts. @default "en" */
  customerLocale: LocaleSchema.optional(),
  /** IANA zone for the times in the invitation. @default the server's configured zone */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, { message: 'must be an IANA time zone' })
    .optional(),
  /** Makes a team link: every member of the team may act on it. */
  team: TeamRefSchema.optional(),
});
export type CreateCallRequest = z.infer<typeof CreateCallRequestSchema>;

/** `POST /api/calls/:id/decline`. */
export const DeclineRequestSchema = z.strictObject({
  /** Shown to the customer. */
  reason: humanText(200).optional(),
});
export type DeclineRequest = z.infer<typeof DeclineRequestSchema>;

/** `POST /api/calls/:id/message`: a short note shown on the waiting customer's page. */
export const LobbyMessageRequestSchema = z.strictObject({ text: humanText(200) });
export type LobbyMessageRequest = z.infer<typeof LobbyMessageRequestSchema>;

/** `GET /api/calls` query. */
export const ListCallsQuerySchema = z.strictObject({
  /** `mine`: calls the agent owns; `team`: the calls of `teamId`. @default "mine" */
  scope: z.enum(['mine', 'team']).default('mine'),
  teamId: humanText(200).optional(),
  /** @default "all" */
  status: z.enum(['active', 'finished', 'all']).default('all'),
  /** @default 100 */
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListCallsQuery = z.infer<typeof ListCallsQuerySchema>;

const AgentRefDto = z.object({ id: z.string(), name: z.string() });

/** A call as the agent's tab and the bot see it. No code hash, claim token or join URL. */
export const CallDtoSchema = z.object({
  id: z.string(),
  state: CallStateSchema,
  version: z.number().int(),
  title: z.string(),
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  expiresAt: z.string(),
  customerLocale: LocaleSchema,
  timeZone: z.string(),
  agent: AgentRefDto,
  team: z.object({ id: z.string(), name: z.string(), channelId: z.string().optional() }).optional(),
  meetingProvider: z.enum(['browser', 'teams']),
  customerName: z.string().optional(),
  claimedAt: z.string().optional(),
  admittedAt: z.string().optional(),
  admittedBy: AgentRefDto.optional(),
  decidedAt: z.string().optional(),
  declineReason: z.string().optional(),
  endedAt: z.string().optional(),
  lobbyMessage: z.object({ text: z.string(), at: z.string() }).optional(),
  reissuedFrom: z.string().optional(),
  reissuedTo: z.string().optional(),
  /** A meeting step that failed for good (teams meetings): the agent must act in Teams. */
  meetingProblem: z
    .object({ step: z.enum(['admit', 'lock', 'relock', 'close']), at: z.string() })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CallDto = z.infer<typeof CallDtoSchema>;

/** The texts an agent sends. */
export const ShareTextsSchema = z.object({
  /** The short join link, `https://host/j/<code>`. */
  link: z.string(),
  /** "Copy message": an email. */
  message: z.object({ subject: z.string(), text: z.string() }),
  /** "Copy join link": the SMS text, link first. */
  sms: z.object({
    text: z.string(),
    encoding: z.enum(['gsm7', 'ucs2']),
    units: z.number().int(),
    segments: z.number().int(),
  }),
});
export type ShareTexts = z.infer<typeof ShareTextsSchema>;

/** `POST /api/calls` → 201, and `POST /api/calls/:id/reissue` → 201. */
export const CreateCallResponseSchema = ShareTextsSchema.extend({ call: CallDtoSchema });
export type CreateCallResponse = z.infer<typeof CreateCallResponseSchema>;

/** `GET /api/calls`. */
export const ListCallsResponseSchema = z.object({ calls: z.array(CallDtoSchema) });
export type ListCallsResponse = z.infer<typeof ListCallsResponseSchema>;

/** `GET /api/calls/:id` and every action's 200 response. */
export const CallResponseSchema = z.object({ call: CallDtoSchema });
export type CallResponse = z.infer<typeof CallResponseSchema>;

/**
 * `GET /api/calls/:id/meeting-link`: the Teams meeting's join link (a Teams deep link) for the
 * agent's **Join meeting**. Only in this answer, never in lists or events.
 */
export const MeetingLinkResponseSchema = z.object({
  joinUrl: z
    .string()
    .url()
    .refine((u) => u.startsWith('https://'), 'must be https'),
});
export type MeetingLinkResponse = z.infer<typeof MeetingLinkResponseSchema>;

/** One server-sent event of `GET /api/events` (event name `call`). */
export const CallStreamEventSchema = z.object({ call: CallDtoSchema });
export type CallStreamEvent = z.infer<typeof CallStreamEventSchema>;

/** `GET /api/me`: who the server thinks the agent is. */
export const MeResponseSchema = z.object({
  agent: AgentRefDto,
  mode: z.enum(['embedded', 'teams']),
  /** Whether the bot can reach this agent proactively (an installed bot chat). */
  botReachable: z.boolean(),
  /**
   * Lobby notifications the bot gave up on (newest first, at most 20): the agent was not told that
   * a customer waited. `reason` is a stable word such as `no-conversation`, `http-403`, `unreachable`.
   */
  deliveryFailures: z
    .array(
      z.object({
        callId: z.string(),
        reason: z.string(),
        attempts: z.number().int(),
        at: z.string(),
      }),
    )
    .default([]),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;
