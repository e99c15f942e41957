import type {
  MeetingStep,
  MeetingSyncEntry,
  MeetingSyncStatus,
  NewMeetingSyncEntry,
  Outbox,
} from '@shared';
import type { EarlierQueue } from '../outbox/sql-outbox';
import {
  OutboxQueueView,
  entryFieldsOf,
  jobFieldsOf,
  type QueueCodec,
} from '../outbox/outbox-queue';

/** Meeting steps as jobs of the `meeting-sync` queue: the call is the group, the step the payload. */
export const MEETING_SYNC_QUEUE: QueueCodec<
  MeetingSyncEntry,
  NewMeetingSyncEntry,
  MeetingSyncStatus
> = {
  queue: 'meeting-sync',
  toJob: (e) => ({ ...jobFieldsOf(e), payload: { step: e.step } }),
  fromJob: (job) => ({
    ...entryFieldsOf(job, MEETING_SYNC_QUEUE.statuses),
    step: (job.payload as { step: MeetingStep }).step,
  }),
  statuses: { pending: 'pending', done: 'done', skipped: 'skipped', failed: 'failed' },
};

/** The table the meeting-sync outbox had before the shared outbox (the `meeting-sync` namespace). */
export const EARLIER_MEETING_SYNC: EarlierQueue = {
  table: 'meeting_sync',
  cursors: 'meeting_sync_cursors',
  queue: MEETING_SYNC_QUEUE.queue,
  payload: ['step'],
  done: 'done',
};

/** The meeting-sync queue of an outbox (`migrateEarlier`: see {@link OutboxQueueView}). */
export class MeetingSyncQueue extends OutboxQueueView<
  MeetingSyncEntry,
  NewMeetingSyncEntry,
  MeetingSyncStatus
> {
  constructor(outbox: Outbox, migrateEarlier?: () => Promise<void>) {
    super(outbox, MEETING_SYNC_QUEUE, migrateEarlier);
  }
}
