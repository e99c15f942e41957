import type {
  Admission,
  MeetingActor,
  MeetingProvider,
  MeetingRef,
  NewMeeting,
  RandomSource,
} from '@shared';

/**
 * The browser call: after Admit the customer's page and the agent's tab talk peer to peer over
 * WebRTC, with our server carrying only the signalling. There is nothing to create remotely: the id
 * names the call's room; admission needs no lobby window and no join URL (the customer stays on
 * our pages).
 */
export class BrowserMeetingProvider implements MeetingProvider {
  readonly kind = 'browser' as const;

  constructor(private readonly random: RandomSource) {}

  create(_meeting: NewMeeting, _actor: MeetingActor): Promise<MeetingRef> {
    return Promise.resolve({ provider: 'browser', meetingId: `room-${this.random.uuid()}` });
  }

  admit(_meeting: MeetingRef, _actor: MeetingActor): Promise<Admission> {
    return Promise.resolve({ joinUrl: undefined, lobbyOpenUntil: undefined });
  }

  lockLobby(_meeting: MeetingRef, _actor: MeetingActor): Promise<void> {
    return Promise.resolve();
  }

  close(_meeting: MeetingRef, _actor: MeetingActor): Promise<void> {
    return Promise.resolve();
  }
}
