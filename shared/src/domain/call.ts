/** An Entra (Azure AD) object id of an agent. In embedded mode the configured local agent's id. */
export type AadObjectId = string & { readonly __brand: 'AadObjectId' };
/** Brands a string as an agent's object id (no format check: embedded ids are free-form). */
export const asAadObjectId = (id: string): AadObjectId => id as AadObjectId;

/** Languages the customer pages, templates and tab speak. */
export type Locale = 'en' | 'de';
/** Every supported locale, default first. */
export const LOCALES: readonly Locale[] = ['en', 'de'];

/**
 * The life of a one-time call.
 * - `scheduled`: link issued, nobody claimed it.
 * - `waiting`: a customer claimed the link and waits in our lobby.
 * - `admitted`: the agent let the customer in.
 * - `in_call`: the customer was seen in the call.
 * - `ended` `declined` `revoked` `expired` `abandoned` `timed_out`: terminal; the link is dead for
 *   good. `abandoned`: the customer chose to leave the lobby; `timed_out`: the wait ran out (the
 *   lobby timeout, or the link's expiry, with nobody asking for more time).
 */
export type CallState =
  | 'scheduled'
  | 'waiting'
  | 'admitted'
  | 'in_call'
  | 'ended'
  | 'declined'
  | 'revoked'
  | 'expired'
  | 'abandoned'
  | 'timed_out';

/** Every state, in lifecycle order. */
export const CALL_STATES: readonly CallState[] = [
  'scheduled',
  'waiting',
  'admitted',
  'in_call',
  'ended',
  'declined',
  'revoked',
  'expired',
  'abandoned',
  'timed_out',
];

/** States after which the link never works again. */
export const TERMINAL_STATES: readonly CallState[] = [
  'ended',
  'declined',
  'revoked',
  'expired',
  'abandoned',
  'timed_out',
];

/** States in which a call still needs somebody's attention (the tab's "active" filter). */
export const ACTIVE_STATES: readonly CallState[] = ['scheduled', 'waiting', 'admitted', 'in_call'];

/** True when the link is dead for good. */
export const isTerminal = (state: CallState): boolean => TERMINAL_STATES.includes(state);

/** The agent who owns a call, or who acted on it. */
export type AgentRef = {
  readonly id: AadObjectId;
  /** Display name, shown to colleagues ("admitted by"); never the customer's. */
  readonly name: string;
};

/** A team (channel tab) that shares a queue of calls. */
export type TeamRef = {
  /** Teams team id (group id) or the channel's thread id in embedded mode. */
  readonly id: string;
  readonly name: string;
  /** The channel the tab is pinned in; cards for team links go there. */
  readonly channelId?: string | undefined;
};

/** Which meeting adapter made the meeting. */
export type MeetingProviderKind = 'browser' | 'teams';

/** The meeting behind a call, as the meeting provider returned it. */
export type MeetingRef = {
  readonly provider: MeetingProviderKind;
  /** Provider-specific id (local room id; Graph event id). */
  readonly meetingId: string;
  /** Graph onlineMeeting id, when known (teams provider). */
  readonly onlineMeetingId?: string | undefined;
  /**
   * The raw meeting join URL. Secret: revealed only to the admitted customer's browser, never in
   * the agent list, logs or the customer's landing page.
   */
  readonly joinUrl?: string | undefined;
  /**
   * The meeting's Microsoft Virtual Appointments join URL (teams provider), fetched at creation on
   * the organizer's behalf. It joins in a mobile browser, with a virtual lobby, where the plain
   * `joinUrl` sends a phone to the app store. As secret as `joinUrl`. `undefined` when the tenant
   * could not give one (no delegated token, licence or policy): the customer then needs the Teams app.
   */
  readonly customerJoinUrl?: string | undefined;
  /**
   * The last meeting step that finally failed (after its retries), shown to the agent on the card
   * and in the tab ("the Teams lobby could not be opened — open it in Teams"). Cleared by nothing:
   * the call's log keeps the history.
   */
  readonly syncFailure?: MeetingSyncFailure | undefined;
  /**
   * When the meeting's own lobby was locked again after an admission (teams provider). Unset while
   * the admission window may still be open: the sweeper locks it and sets this, so the window closes
   * even when the process that opened it restarted.
   */
  readonly lobbyLockedAt?: string | undefined;
};

/**
 * Where an admitted customer's browser is sent for a Teams meeting: the Virtual Appointments URL
 * (joins in phone and desktop browsers) when there is one, else the plain join URL.
 * `undefined` for meetings that are not Teams meetings.
 */
export const customerMeetingUrl = (meeting: MeetingRef): string | undefined =>
  meeting.customerJoinUrl ?? meeting.joinUrl;

/**
 * A meeting step of the meeting-sync outbox:
 * - `admit`: open the Teams lobby for the admitted customer;
 * - `lock`: lock it again once the customer is in;
 * - `relock`: lock it again when the admission window is over and nobody came;
 * - `close`: the call is dead: lobby back to organizer-only, event cancelled.
 */
export type MeetingStep = 'admit' | 'lock' | 'relock' | 'close';

/** A meeting step that failed for good. */
export type MeetingSyncFailure = {
  readonly step: MeetingStep;
  readonly at: string;
  /** The upstream's request id (Graph `request-id`), for support. */
  readonly requestId?: string | undefined;
};

/** A short message from the agent shown on the customer's lobby page. */
export type LobbyMessage = {
  readonly text: string;
  readonly at: string;
};

/**
 * A call as stored. Times are ISO-8601 UTC strings. `version` grows by one with every change, so
 * listeners can drop stale updates.
 */
export type CallRecord = {
  readonly id: string;
  /** SHA-256 (hex) of the link code. The code itself is never stored. */
  readonly codeHash: string;
  readonly state: CallState;
  readonly version: number;
  readonly title: string;
  readonly startsAt: string;
  readonly durationMinutes: number;
  /** After this instant an unclaimed link is `expired`. */
  readonly expiresAt: string;
  readonly customerLocale: Locale;
  /** IANA time zone in which the agent sees times; used for the invitation text. */
  readonly timeZone: string;
  readonly agent: AgentRef;
  /** Set for links made from a channel tab: any member of the team may act on the call. */
  readonly team?: TeamRef | undefined;
  readonly meeting: MeetingRef;
  /** Personal data: shown to agents, never logged. Set when the link is claimed. */
  readonly customerName?: string | undefined;
  /** SHA-256 (hex) of the claim cookie's token; binds the claim to one browser. */
  readonly claimTokenHash?: string | undefined;
  readonly claimedAt?: string | undefined;
  readonly admittedAt?: string | undefined;
  readonly admittedBy?: AgentRef | undefined;
  readonly decidedAt?: string | undefined;
  /** The reason the agent gave for declining; the customer sees it. */
  readonly declineReason?: string | undefined;
  readonly endedAt?: string | undefined;
  /**
   * When the wait was last extended (the customer's "I'm still here" or the agent's "2 more
   * minutes"): the lobby timeout counts from here instead of from `claimedAt`. Unset: never.
   */
  readonly lobbyExtendedAt?: string | undefined;
  /** The last message the agent sent to the waiting customer. */
  readonly lobbyMessage?: LobbyMessage | undefined;
  /** The call this one replaced (reissue). */
  readonly reissuedFrom?: string | undefined;
  /** The call that replaced this one (reissue). */
  readonly reissuedTo?: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** Who did something to a call. Customers are never named here: the log is not for personal data. */
export type Actor =
  | { readonly kind: 'agent'; readonly id: AadObjectId; readonly name: string }
  | { readonly kind: 'customer' }
  | { readonly kind: 'system' };

/** What happened to a call. */
export type CallEventType =
  | 'created'
  | 'claimed'
  | 'admitted'
  | 'declined'
  | 'joined'
  | 'ended'
  | 'revoked'
  | 'expired'
  | 'abandoned'
  | 'timed-out'
  | 'lobby-extended'
  | 'reissued'
  | 'lobby-message'
  | 'lobby-locked'
  | 'meeting-sync-failed';

/** One entry of a call's append-only event log. */
export type CallEvent = {
  /** Grows with every event in the store (ordering across calls). */
  readonly seq: number;
  readonly callId: string;
  readonly type: CallEventType;
  readonly at: string;
  readonly actor: Actor;
  readonly fromState?: CallState | undefined;
  readonly toState: CallState;
  /** Small, non-personal facts (a decline reason is the agent's text, not the customer's). */
  readonly data?: Readonly<Record<string, string | number | boolean>> | undefined;
};

/** An event about to be appended (the store assigns `seq` and `callId`). */
export type NewCallEvent = Omit<CallEvent, 'seq' | 'callId'>;
