import type { MeetingRef } from './call';

/**
 * What identifies the Teams meeting an event is about; any part may be missing. Plain data from the
 * channel adapter: a meeting id, a join URL, and the meeting chat thread they share.
 */
export type MeetingKey = {
  /** The meeting id the event carried (Teams: base64 of `0#<thread>#0`). */
  readonly meetingId?: string | undefined;
  readonly joinUrl?: string | undefined;
  /** The meeting chat thread `19:meeting_…@thread.v2`: the one id every source shares. */
  readonly threadId?: string | undefined;
};

const THREAD = /19:meeting_[A-Za-z0-9_\-=+/]+@thread\.v2/;

/** Decodes base64 (standard or URL-safe) text; `undefined` when it is not base64. */
function fromBase64(source: string): string | undefined {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(source)) return undefined;
  try {
    const binary = atob(source.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/**
 * The meeting chat thread id inside a join URL (`/meetup-join/19%3ameeting_…%40thread.v2/0`), a
 * conversation id, a Teams meeting id (base64 of `0#19:meeting_…@thread.v2#0`) or a Graph
 * onlineMeeting id (base64 of `1*<organizer>*0**19:meeting_…@thread.v2`). `undefined` when there is
 * none.
 */
export function threadIdOf(source: string | undefined): string | undefined {
  if (!source) return undefined;
  let decoded = source;
  try {
    decoded = decodeURIComponent(source);
  } catch {
    // Not URL-encoded text: look at it as it is.
  }
  const direct = THREAD.exec(decoded)?.[0];
  if (direct) return direct;
  const fromId = fromBase64(source);
  return fromId === undefined ? undefined : THREAD.exec(fromId)?.[0];
}

/** The thread a call's meeting is found by (`CallStore.findByMeeting`); `undefined` for non-Teams meetings. */
export function meetingThreadOf(meeting: MeetingRef): string | undefined {
  if (meeting.provider !== 'teams') return undefined;
  return threadIdOf(meeting.joinUrl) ?? threadIdOf(meeting.onlineMeetingId);
}

/** The key a store looks a meeting up by: its thread when any part names one, and its join URL. */
export function lookupKey(key: MeetingKey): MeetingKey {
  return {
    threadId: key.threadId ?? threadIdOf(key.joinUrl) ?? threadIdOf(key.meetingId),
    joinUrl: key.joinUrl,
  };
}

/** True when the call's Teams meeting is the one `key` names. */
export function isCallMeeting(meeting: MeetingRef, key: MeetingKey): boolean {
  if (meeting.provider !== 'teams') return false;
  if (key.joinUrl && meeting.joinUrl === key.joinUrl) return true;
  const thread = meetingThreadOf(meeting);
  return thread !== undefined && thread === lookupKey(key).threadId;
}
