import type { AgentRef, MeetingProviderKind, MeetingRef } from '../domain/call';

/** Who asks the provider to act, and with which credentials. */
export type MeetingActor = {
  /** The call's owner: the meeting organizer. */
  readonly organizer: AgentRef;
  /**
   * The signed-in agent's SSO token, when the action came from the tab (on-behalf-of exchange).
   * `undefined` when a bot card or the system acts: adapters then use their application identity.
   */
  readonly userAssertion?: string | undefined;
};

/** What to create. */
export type NewMeeting = {
  readonly title: string;
  readonly startsAt: string;
  readonly durationMinutes: number;
  readonly timeZone: string;
};

/** What the admitted customer is given. */
export type Admission = {
  /** Where the customer's browser goes: the Teams join URL, or `undefined` for our own call page. */
  readonly joinUrl: string | undefined;
  /** Until when the meeting's own lobby is open for this customer (teams provider). */
  readonly lobbyOpenUntil: string | undefined;
};

/**
 * Makes and closes the meeting behind a call. `browser`: our own WebRTC call page. `teams`: a calendar
 * event with a Teams meeting through Microsoft Graph.
 */
export interface MeetingProvider {
  readonly kind: MeetingProviderKind;
  create(meeting: NewMeeting, actor: MeetingActor): Promise<MeetingRef>;
  /** Lets one admitted customer through (teams: opens the Teams lobby for a short window). */
  admit(meeting: MeetingRef, actor: MeetingActor): Promise<Admission>;
  /** Closes the meeting's lobby again once the customer is in, or the window is over. */
  lockLobby(meeting: MeetingRef, actor: MeetingActor): Promise<void>;
  /** Ends the meeting for good (lobby back to organizer only, event ended). Idempotent. */
  close(meeting: MeetingRef, actor: MeetingActor): Promise<void>;
}
