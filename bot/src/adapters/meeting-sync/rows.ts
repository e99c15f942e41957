import type { MeetingStep, MeetingSyncEntry, MeetingSyncStatus } from '@shared';

/** A `meeting_sync` row as both databases return it (PostgreSQL: dates and BIGINT strings). */
export type MeetingSyncRow = {
  id: string;
  call_id: string;
  seq: number | string;
  step: string;
  status: string;
  attempts: number;
  due_at: string | Date;
  last_error: string | null;
  created_at: string | Date;
  updated_at: string | Date;
};

const iso = (value: string | Date): string => new Date(value).toISOString();

/** The entry a row holds. */
export function rowToMeetingSyncEntry(row: MeetingSyncRow): MeetingSyncEntry {
  return {
    id: row.id,
    callId: row.call_id,
    seq: Number(row.seq),
    step: row.step as MeetingStep,
    status: row.status as MeetingSyncStatus,
    attempts: row.attempts,
    dueAt: iso(row.due_at),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
