import { InMemoryOutbox } from '../outbox/in-memory-outbox';
import { MeetingSyncQueue } from './meeting-sync-queue';

/** The meeting-sync outbox in memory (one process; unit tests and embedded runs). */
export class InMemoryMeetingSyncOutbox extends MeetingSyncQueue {
  constructor() {
    super(new InMemoryOutbox());
  }
}
