import { decodeJwt } from 'jose';
import { z } from 'zod';
import {
  AppError,
  dateTimeFormat,
  isAppError,
  type Admission,
  type MeetingActor,
  type MeetingProvider,
  type MeetingRef,
  type NewMeeting,
} from '@shared';
import { AppCatalogEntry, isAlreadyInstalled } from './graph-app-catalog';
import { GraphHttpError, type GraphClient } from './graph-client';
import type { GraphTokenRequest } from './graph-token-source';

/** Timers, injectable so tests fire the lobby window by hand. */
export type LobbyTimers = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** Settings of the Teams meeting provider. */
export type GraphMeetingProviderOptions = {
  readonly graph: GraphClient;
  /** Longest the Teams lobby stays open for the admitted customer (closed earlier once they are seen). @default 600 */
  readonly lobbyOpenSeconds?: number | undefined;
  readonly now?: (() => Date) | undefined;
  /**
   * Closes the lobby by itself when the window ends (in this process). Pass `undefined` to leave it
   * to the caller (then call `lockLobby` at `lobbyOpenUntil`). @default Node's timers
   */
  readonly timers?: LobbyTimers | undefined;
  /** Failures of the timed lobby lock, which has no caller to throw to. */
  readonly onBackgroundError?: ((error: unknown, meeting: MeetingRef) => void) | undefined;
  /** Text of the cancellation the organizer's calendar shows. */
  readonly cancelComment?: string | undefined;
  /**
   * Installs this Teams app (manifest id `TEAMS_APP_ID`, looked up in the tenant's app catalog) in
   * each new meeting's chat, consenting its meeting RSC permissions, so the bot receives the
   * meeting's participant and end events. A failure is reported through `onBackgroundError`; the
   * call still works (the lobby then closes by the timer only). `undefined`: not installed.
   */
  readonly installAppInMeeting?: { readonly teamsAppId: string } | undefined;
};

const EventSchema = z.object({
  id: z.string().min(1),
  onlineMeeting: z.object({ joinUrl: z.string().url().optional() }).nullish(),
});
const OnlineMeetingListSchema = z.object({
  value: z.array(
    z.object({
      id: z.string().min(1),
      joinWebUrl: z.string().optional(),
      chatInfo: z.object({ threadId: z.string().optional() }).nullish(),
    }),
  ),
});
/** `getVirtualAppointmentJoinWebUrl` answers an OData `Edm.String`: `{ value: "https://…" }`. */
const VirtualAppointmentUrlSchema = z.object({ value: z.string().url() });

/** The meeting RSC permissions of appPackage/manifest.json that apply to a meeting chat. */
export const MEETING_CHAT_RSC = [
  { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'Application' },
  { permissionValue: 'OnlineMeetingParticipant.Read.Chat', permissionType: 'Application' },
] as const;

/** Only the organizer bypasses the lobby: everyone else waits until admitted. */
const LOCKED = { scope: 'organizer', isDialInBypassEnabled: false } as const;

const NODE_TIMERS: LobbyTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Teams meetings through Microsoft Graph: a calendar event with a Teams meeting in the organizer's
 * calendar, its onlineMeeting locked down (lobby for everyone but the organizer, organizer-only
 * presenters, chat only during the meeting), a short lobby window on admission, and a cancelled
 * event at the end.
 *
 * Identity: when the acting agent's SSO token belongs to the organizer, Graph is called on their
 * behalf (`/me`, delegated permissions). Otherwise (bot cards, colleagues, the sweeper) the app's
 * own token is used on `/users/{organizer}` (application permissions + application access policy).
 */
export class GraphMeetingProvider implements MeetingProvider {
  readonly kind = 'teams' as const;
  private readonly graph: GraphClient;
  private readonly now: () => Date;
  private readonly timers: LobbyTimers | undefined;
  private readonly pendingLocks = new Map<string, unknown>();
  private readonly catalog: AppCatalogEntry;

  constructor(private readonly options: GraphMeetingProviderOptions) {
    this.graph = options.graph;
    this.now = options.now ?? (() => new Date());
    this.timers = 'timers' in options ? options.timers : NODE_TIMERS;
    this.catalog = new AppCatalogEntry(
      options.graph,
      options.installAppInMeeting?.teamsAppId ?? '',
    );
  }

  /** Seconds the Teams lobby stays open after an admission. */
  get lobbyOpenSeconds(): number {
    return this.options.lobbyOpenSeconds ?? 600;
  }

  async create(meeting: NewMeeting, actor: MeetingActor): Promise<MeetingRef> {
    const who = identity(actor);
    const endsAt = new Date(
      Date.parse(meeting.startsAt) + meeting.durationMinutes * 60_000,
    ).toISOString();
    const created = EventSchema.parse(
      await this.graph.send({
        method: 'POST',
        path: `${who.base}/events`,
        as: who.as,
        what: 'create the calendar event with a Teams meeting',
        body: {
          subject: meeting.title,
          start: {
            dateTime: wallClock(meeting.startsAt, meeting.timeZone),
            timeZone: meeting.timeZone,
          },
          end: { dateTime: wallClock(endsAt, meeting.timeZone), timeZone: meeting.timeZone },
          isOnlineMeeting: true,
          onlineMeetingProvider: 'teamsForBusiness',
          allowNewTimeProposals: false,
          responseRequested: false,
          // The customer is not an attendee: they come through our own link, anonymously.
          attendees: [],
        },
      }),
    );
    let result: MeetingRef;
    let online: { id: string; threadId: string | undefined };
    try {
      const joinUrl = created.onlineMeeting?.joinUrl ?? (await this.rereadJoinUrl(created.id, who));
      online = await this.findOnlineMeeting(joinUrl, who);
      await this.patchMeeting(online.id, who, 'lock down the Teams meeting', {
        lobbyBypassSettings: LOCKED,
        allowedPresenters: 'organizer',
        allowMeetingChat: 'limited',
      });
      const customerJoinUrl = await this.virtualAppointmentUrl(online.id, who, created.id);
      result = {
        provider: 'teams',
        meetingId: created.id,
        joinUrl,
        onlineMeetingId: online.id,
        ...(customerJoinUrl ? { customerJoinUrl } : {}),
      };
    } catch (error) {
      // A meeting that could not be locked down must not stay in the calendar with an open lobby.
      await this.deleteEvent(created.id, who).catch((cleanup: unknown) =>
        this.options.onBackgroundError?.(cleanup, { provider: 'teams', meetingId: created.id }),
      );
      throw error;
    }
    if (this.options.installAppInMeeting && online.threadId) {
      await this.installApp(online.threadId, who).catch((error: unknown) =>
        this.options.onBackgroundError?.(error, result),
      );
    }
    return result;
  }

  async admit(meeting: MeetingRef, actor: MeetingActor): Promise<Admission> {
    const who = identity(actor);
    const onlineMeetingId = await this.onlineMeetingIdOf(meeting, who);
    await this.patchMeeting(
      onlineMeetingId,
      who,
      'open the Teams lobby for the admitted customer',
      {
        lobbyBypassSettings: { scope: 'everyone', isDialInBypassEnabled: false },
      },
    );
    const lobbyOpenUntil = new Date(
      this.now().getTime() + this.lobbyOpenSeconds * 1000,
    ).toISOString();
    this.scheduleLock({ ...meeting, onlineMeetingId }, actor);
    return { joinUrl: meeting.joinUrl, lobbyOpenUntil };
  }

  async lockLobby(meeting: MeetingRef, actor: MeetingActor): Promise<void> {
    this.cancelScheduledLock(meeting);
    const who = identity(actor);
    const onlineMeetingId = await this.onlineMeetingIdOf(meeting, who);
    await this.patchMeeting(onlineMeetingId, who, 'close the Teams lobby', {
      lobbyBypassSettings: LOCKED,
    });
  }

  async close(meeting: MeetingRef, actor: MeetingActor): Promise<void> {
    const who = identity(actor);
    try {
      await this.lockLobby(meeting, actor);
    } catch (error) {
      // An onlineMeeting that is gone needs no lock; the event may still need cancelling.
      if (!isAppError(error, 'not-found')) throw error;
    }
    try {
      await this.graph.send({
        method: 'POST',
        path: `${who.base}/events/${encodeURIComponent(meeting.meetingId)}/cancel`,
        as: who.as,
        what: 'cancel the calendar event',
        body: { comment: this.options.cancelComment ?? 'This one-time call has ended.' },
      });
    } catch (error) {
      // Idempotent: already cancelled or deleted.
      if (isAppError(error, 'not-found')) return;
      // Exchange may refuse to cancel an event that has no attendees (nobody to notify): delete it.
      if (!(
        error instanceof AppError &&
        error.cause instanceof GraphHttpError &&
        error.cause.status === 400
      )) {
        throw error;
      }
      await this.deleteEvent(meeting.meetingId, who).catch((deleteError: unknown) => {
        if (!isAppError(deleteError, 'not-found')) throw deleteError;
      });
    }
  }

  /**
   * The meeting's Virtual Appointments join URL, which joins in a mobile browser. Graph gives it
   * only on behalf of a user (delegated `OnlineMeetings.ReadWrite` / `VirtualAppointment.Read`;
   * application permissions are not supported), so links made with the app identity (bot chat)
   * have none. A refusal (licence, policy, sovereign cloud) is reported and the plain join URL is
   * used: the customer then needs the Teams app, and the landing page says so.
   */
  private async virtualAppointmentUrl(
    onlineMeetingId: string,
    who: Identity,
    eventId: string,
  ): Promise<string | undefined> {
    if (!('userAssertion' in who.as)) return undefined;
    try {
      const answer = await this.graph.send({
        method: 'GET',
        path: `${who.base}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}/getVirtualAppointmentJoinWebUrl`,
        as: who.as,
        what: 'get the Virtual Appointments join URL (browser join on phones)',
      });
      return VirtualAppointmentUrlSchema.parse(answer).value;
    } catch (error) {
      this.options.onBackgroundError?.(error, { provider: 'teams', meetingId: eventId });
      return undefined;
    }
  }

  private async deleteEvent(eventId: string, who: Identity): Promise<void> {
    await this.graph.send({
      method: 'DELETE',
      path: `${who.base}/events/${encodeURIComponent(eventId)}`,
      as: who.as,
      what: 'delete the calendar event',
    });
  }

  private scheduleLock(meeting: MeetingRef, actor: MeetingActor): void {
    const timers = this.timers;
    if (!timers) return;
    this.cancelScheduledLock(meeting);
    const handle = timers.setTimeout(() => {
      this.pendingLocks.delete(meeting.meetingId);
      this.lockLobby(meeting, actor).catch((error: unknown) =>
        this.options.onBackgroundError?.(error, meeting),
      );
    }, this.lobbyOpenSeconds * 1000);
    this.pendingLocks.set(meeting.meetingId, handle);
  }

  private cancelScheduledLock(meeting: MeetingRef): void {
    const handle = this.pendingLocks.get(meeting.meetingId);
    if (handle === undefined) return;
    this.pendingLocks.delete(meeting.meetingId);
    this.timers?.clearTimeout(handle);
  }

  private async onlineMeetingIdOf(meeting: MeetingRef, who: Identity): Promise<string> {
    if (meeting.onlineMeetingId) return meeting.onlineMeetingId;
    if (!meeting.joinUrl)
      throw new AppError('not-found', `Meeting ${meeting.meetingId} has no Teams join URL`);
    return (await this.findOnlineMeeting(meeting.joinUrl, who)).id;
  }

  /** Adds the app to the meeting chat (= to the meeting), so Teams sends it the meeting events. */
  private async installApp(threadId: string, who: Identity): Promise<void> {
    const teamsApp = await this.catalog.binding(who.as);
    try {
      await this.graph.send({
        method: 'POST',
        path: `/chats/${encodeURIComponent(threadId)}/installedApps`,
        as: who.as,
        what: 'add the app to the meeting chat',
        body: {
          'teamsApp@odata.bind': teamsApp,
          consentedPermissionSet: { resourceSpecificPermissions: MEETING_CHAT_RSC },
        },
      });
    } catch (error) {
      if (!isAlreadyInstalled(error)) throw error;
    }
  }

  private async rereadJoinUrl(eventId: string, who: Identity): Promise<string> {
    // The join URL is occasionally missing from the create answer; one re-read finds it.
    const event = EventSchema.parse(
      await this.graph.send({
        method: 'GET',
        path: `${who.base}/events/${encodeURIComponent(eventId)}`,
        query: { $select: 'id,onlineMeeting' },
        as: who.as,
        what: 'read the Teams join URL of the calendar event',
      }),
    );
    const joinUrl = event.onlineMeeting?.joinUrl;
    if (!joinUrl) {
      throw new AppError(
        'upstream-unavailable',
        'Graph created the event but returned no Teams join URL (is Teams enabled for this mailbox?)',
      );
    }
    return joinUrl;
  }

  private async findOnlineMeeting(
    joinUrl: string,
    who: Identity,
  ): Promise<{ id: string; threadId: string | undefined }> {
    const list = OnlineMeetingListSchema.parse(
      await this.graph.send({
        method: 'GET',
        path: `${who.base}/onlineMeetings`,
        // OData string literal: a quote inside is doubled.
        query: { $filter: `JoinWebUrl eq '${joinUrl.replace(/'/g, "''")}'` },
        as: who.as,
        what: 'find the Teams meeting by its join URL',
      }),
    );
    const first = list.value[0];
    if (!first)
      throw new AppError('not-found', 'Graph has no onlineMeeting for the event join URL');
    return { id: first.id, threadId: first.chatInfo?.threadId };
  }

  private async patchMeeting(
    id: string,
    who: Identity,
    what: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    await this.graph.send({
      method: 'PATCH',
      path: `${who.base}/onlineMeetings/${encodeURIComponent(id)}`,
      body,
      as: who.as,
      what,
    });
  }
}

type Identity = { readonly base: string; readonly as: GraphTokenRequest };

/**
 * Delegated (`/me`, on-behalf-of the SSO token) when the token is the organizer's; the app's own
 * token on `/users/{organizer}` otherwise. A colleague's token cannot change someone else's meeting.
 */
function identity(actor: MeetingActor): Identity {
  const assertion = actor.userAssertion;
  if (assertion && tokenSubject(assertion) === actor.organizer.id) {
    return { base: '/me', as: { userAssertion: assertion } };
  }
  return { base: `/users/${encodeURIComponent(actor.organizer.id)}`, as: {} };
}

function tokenSubject(token: string): string | undefined {
  try {
    const oid = decodeJwt(token)['oid'];
    return typeof oid === 'string' ? oid : undefined;
  } catch {
    // Not a JWT: it cannot be exchanged on-behalf-of either, so the app identity is used.
    return undefined;
  }
}

/** The local wall-clock time of an instant in a zone, as Graph's `dateTimeTimeZone.dateTime` wants it. */
export function wallClock(iso: string, timeZone: string): string {
  const parts = dateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}
