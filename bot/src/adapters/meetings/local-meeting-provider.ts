import type {
  Admission,
  MeetingActor,
  MeetingProvider,
  MeetingRef,
  NewMeeting,
  RandomSource,
} from '@shared';

/**
 * Embedded mode: the meeting is our own call page, so there is nothing to create remotely. The id
 * names the room; admission needs no lobby window.
 */
export class LocalMeetingProvider implements MeetingProvider {
  readonly kind = 'local' as const;

  constructor(private readonly random: RandomSource) {}

  create(_meeting: NewMeeting, _actor: MeetingActor): Promise<MeetingRef> {
    return Promise.resolve({ provider: 'local', meetingId: `room-${this.random.uuid()}` });
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
