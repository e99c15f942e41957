import type { CallEvent, CallPatch, CallRecord } from '@shared';
import { AppError, meetingThreadOf, type MeetingRef } from '@shared';

// The mapping between a CallRecord and the `calls` / `call_events` rows, shared by the SQLite and
// PostgreSQL adapters so both store exactly the same shape.

type Kind = 'text' | 'int' | 'time' | 'json';
type Column = { readonly column: string; readonly kind: Kind; readonly required: boolean };

/** Every field a patch may touch, with its column. `agent` and `team` also feed `agent_id`/`team_id`. */
export const PATCHABLE_COLUMNS = {
  title: { column: 'title', kind: 'text', required: true },
  startsAt: { column: 'starts_at', kind: 'time', required: true },
  durationMinutes: { column: 'duration_minutes', kind: 'int', required: true },
  expiresAt: { column: 'expires_at', kind: 'time', required: true },
  customerLocale: { column: 'customer_locale', kind: 'text', required: true },
  timeZone: { column: 'time_zone', kind: 'text', required: true },
  agent: { column: 'agent', kind: 'json', required: true },
  team: { column: 'team', kind: 'json', required: false },
  meeting: { column: 'meeting', kind: 'json', required: true },
  customerName: { column: 'customer_name', kind: 'text', required: false },
  claimTokenHash: { column: 'claim_token_hash', kind: 'text', required: false },
  claimedAt: { column: 'claimed_at', kind: 'time', required: false },
  admittedAt: { column: 'admitted_at', kind: 'time', required: false },
  admittedBy: { column: 'admitted_by', kind: 'json', required: false },
  decidedAt: { column: 'decided_at', kind: 'time', required: false },
  declineReason: { column: 'decline_reason', kind: 'text', required: false },
  endedAt: { column: 'ended_at', kind: 'time', required: false },
  lobbyMessage: { column: 'lobby_message', kind: 'json', required: false },
  lobbyExtendedAt: { column: 'lobby_extended_at', kind: 'time', required: false },
  reissuedFrom: { column: 'reissued_from', kind: 'text', required: false },
  reissuedTo: { column: 'reissued_to', kind: 'text', required: false },
} as const satisfies Record<keyof CallPatch, Column>;

type PatchField = keyof typeof PATCHABLE_COLUMNS;
const PATCH_FIELDS = Object.keys(PATCHABLE_COLUMNS) as PatchField[];

/** How a driver hands values back. Both adapters write times as canonical ISO strings and JSON as text. */
export type RowDecoder = {
  readonly time: (value: unknown) => string;
  readonly json: (value: unknown) => unknown;
};

/** `Date#toISOString`'s own form, with a month, day and hour in range (V8 also reads 24:00). */
const ISO_FORM =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

const isLeap = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when `value` is what `new Date(value).toISOString()` gives back (V8 reads 02-30 as 03-02). */
function isCanonical(value: string): boolean {
  const parts = ISO_FORM.exec(value);
  if (!parts) return false;
  const day = Number(parts[3]);
  return day <= 28 || day <= daysInMonth(Number(parts[1]), Number(parts[2]));
}

/** An ISO-8601 instant in the one form `Date#toISOString` writes, so text comparison is time order. */
export function canonicalTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError('internal', `Not an ISO time: ${JSON.stringify(value)}`);
  // The round trip through a Date is most of the cost (a create canonicalises five times or more),
  // and the times the server writes are already canonical.
  return isCanonical(value) ? value : new Date(ms).toISOString();
}

function encode(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'time':
      return canonicalTime(value as string);
    case 'json':
      return JSON.stringify(value);
    case 'int':
    case 'text':
      return value;
  }
}

/** The column values of a new call, in insertion order. */
export function callColumns(call: CallRecord): Array<[string, unknown]> {
  const columns: Array<[string, unknown]> = [
    ['id', call.id],
    ['code_hash', call.codeHash],
    ['state', call.state],
    ['version', call.version],
    ['agent_id', call.agent.id],
    ['team_id', call.team?.id ?? null],
    ['created_at', canonicalTime(call.createdAt)],
    ['updated_at', canonicalTime(call.updatedAt)],
  ];
  for (const field of PATCH_FIELDS) {
    const { column, kind } = PATCHABLE_COLUMNS[field];
    const value = call[field];
    columns.push([column, value === undefined ? null : encode(kind, value)]);
  }
  columns.push(...meetingIndexColumns(call.meeting));
  return columns;
}

/**
 * The indexed columns `findByMeeting` reads, derived from the meeting: its chat thread and its
 * join URL (Teams meetings only; `NULL` otherwise).
 */
export function meetingIndexColumns(meeting: MeetingRef): Array<[string, unknown]> {
  return [
    ['meeting_thread', meetingThreadOf(meeting) ?? null],
    ['meeting_join_url', meeting.provider === 'teams' ? (meeting.joinUrl ?? null) : null],
  ];
}

/**
 * The assignments of a patch: `undefined` leaves a column, `null` clears it. Clearing a field every
 * call must have is a bug in the caller and is refused before anything is written.
 */
export function patchColumns(patch: CallPatch | undefined): Array<[string, unknown]> {
  const columns: Array<[string, unknown]> = [];
  if (!patch) return columns;
  for (const field of PATCH_FIELDS) {
    const value = patch[field];
    if (value === undefined) continue;
    const { column, kind, required } = PATCHABLE_COLUMNS[field];
    if (value === null && required) {
      throw new AppError('internal', `A call's ${field} cannot be cleared`);
    }
    columns.push([column, value === null ? null : encode(kind, value)]);
    if (field === 'agent') columns.push(['agent_id', (value as CallRecord['agent']).id]);
    if (field === 'meeting') columns.push(...meetingIndexColumns(value as MeetingRef));
    if (field === 'team')
      columns.push(['team_id', value === null ? null : (value as { id: string }).id]);
  }
  return columns;
}

/** A `calls` row as a record; absent optional fields are left out rather than set to `undefined`. */
export function rowToCall(row: Record<string, unknown>, decode: RowDecoder): CallRecord {
  const call: Record<string, unknown> = {
    id: row['id'],
    codeHash: row['code_hash'],
    state: row['state'],
    version: Number(row['version']),
    createdAt: decode.time(row['created_at']),
    updatedAt: decode.time(row['updated_at']),
  };
  for (const field of PATCH_FIELDS) {
    const { column, kind } = PATCHABLE_COLUMNS[field];
    const value = row[column];
    if (value === null || value === undefined) continue;
    call[field] =
      kind === 'time'
        ? decode.time(value)
        : kind === 'json'
          ? decode.json(value)
          : kind === 'int'
            ? Number(value)
            : value;
  }
  call['meeting'] = readMeeting(call['meeting']);
  return call as CallRecord;
}

/**
 * Rows written before the `browser` provider replaced `local` say `provider: "local"`: the same
 * embedded call page, so they read as `browser` (both stores, no data migration needed).
 */
function readMeeting(meeting: unknown): unknown {
  if (typeof meeting !== 'object' || meeting === null) return meeting;
  const ref = meeting as { provider?: unknown };
  return ref.provider === 'local' ? { ...ref, provider: 'browser' } : meeting;
}

/** A `call_events` row as an event. */
export function rowToEvent(row: Record<string, unknown>, decode: RowDecoder): CallEvent {
  const event: Record<string, unknown> = {
    seq: Number(row['seq']),
    callId: row['call_id'],
    type: row['type'],
    at: decode.time(row['at']),
    actor: decode.json(row['actor']),
    toState: row['to_state'],
  };
  if (row['from_state'] !== null && row['from_state'] !== undefined)
    event['fromState'] = row['from_state'];
  if (row['data'] !== null && row['data'] !== undefined) event['data'] = decode.json(row['data']);
  return event as CallEvent;
}
