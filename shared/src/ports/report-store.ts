import type { HourBucket, ReportEventRow, ReportScope } from '../domain/report';

/** A half-open UTC interval `[from, to)` of whole hours, ISO-8601. */
export type HourRange = { readonly from: string; readonly to: string };

/** Which calls the per-call export lists: created in `[from, to)` within the scope. */
export type CallRowQuery = {
  readonly scope: ReportScope;
  readonly from: string;
  readonly to: string;
  /** Keyset paging: rows after this `(createdAt, id)`; `undefined` from the start. */
  readonly after?: { readonly createdAt: string; readonly id: string } | undefined;
  readonly limit: number;
};

/**
 * One call in the per-call export: times, outcome and who acted — never the customer's name, the
 * code hash, the claim token or the meeting (nothing that rebuilds or joins a link).
 */
export type CallRow = {
  readonly id: string;
  readonly createdAt: string;
  readonly title: string;
  readonly state: string;
  readonly agentName: string;
  readonly teamName?: string | undefined;
  readonly openedAt?: string | undefined;
  readonly claimedAt?: string | undefined;
  readonly admittedAt?: string | undefined;
  readonly admittedByName?: string | undefined;
  readonly endedAt?: string | undefined;
  readonly updatedAt: string;
};

/** What one pass of the roll-up did. */
export type RollUpResult = {
  /** Events read from the log. */
  readonly events: number;
  /** The log position now rolled up to. */
  readonly cursor: number;
};

/**
 * The figures' storage: hourly roll-ups per scope (counts and durations only), the non-personal facts
 * the event log does not hold (first opening of a link, escalation of a lobby card), and read access
 * to raw events for the hours not rolled up yet. Lives next to the calls (same database). Every
 * adapter passes `tests/contract/report-store.contract.ts`.
 */
export interface ReportStore {
  /** Creates or upgrades the `reports` schema namespace (after the calls' own migrations). */
  migrate(): Promise<void>;
  /**
   * Notes that a link's landing page was opened. Only the first opening per call is kept, so the cost
   * is bounded by the number of calls however often a page is fetched. Unknown ids are ignored.
   */
  markOpened(callId: string, at: string): Promise<void>;
  /** Notes that the bot escalated a call's lobby card (first time only). */
  markEscalated(callId: string, at: string): Promise<void>;
  /**
   * Adds the log's events after the stored cursor, up to `limit`, to the roll-ups and moves the cursor,
   * in one transaction; concurrent callers serialise and never count an event twice. Events stamped
   * after `settledBefore` are left for a later pass (a transaction that took its sequence number
   * earlier may still commit).
   */
  rollUp(settledBefore: string, limit: number): Promise<RollUpResult>;
  /**
   * Recomputes the roll-ups of every hour from `fromHour` on from the raw events still stored, up to
   * the current cursor. Idempotent; hours before `fromHour` are left as they are (their calls may be
   * purged already).
   */
  rebuild(fromHour: string): Promise<{ readonly hours: number }>;
  /**
   * The first hour whose events may not all be rolled up yet (queries read raw events from there on).
   * `undefined` when nothing was ever rolled up.
   */
  rolledUpBefore(): Promise<string | undefined>;
  /** Roll-up buckets of a scope in an hour range, oldest first. */
  buckets(scope: ReportScope, range: HourRange): Promise<HourBucket[]>;
  /** Raw events of a scope stamped in an hour range, with their calls' facts, oldest first. */
  rawEvents(scope: ReportScope, range: HourRange): Promise<ReportEventRow[]>;
  /** One page of the per-call export, ordered by `(createdAt, id)`. */
  callRows(query: CallRowQuery): Promise<CallRow[]>;
  /** Deletes roll-ups and facts older than `before` (`REPORT_RETENTION_DAYS`). Returns rows removed. */
  purge(before: string): Promise<number>;
  close(): Promise<void>;
}

/** Who may see organisation-wide figures (`REPORTS_GROUP_ID`; embedded mode: the local agent). */
export interface ReportsGroup {
  /** Resolves `false` when no group is configured; rejects with `upstream-unavailable` when unsure. */
  isMember(agentId: string): Promise<boolean>;
}
