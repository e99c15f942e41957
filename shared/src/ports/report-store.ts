import type { OffsetSpan, ReportEventRow, ReportScope, ReportSums } from '../domain/report';

/** A half-open UTC interval `[from, to)`, ISO-8601. */
export type InstantRange = { readonly from: string; readonly to: string };

/**
 * What a report asks the roll-ups: one scope over the UTC quarter hours `[fromSlot, toSlot)`, cut into
 * local days and hours by the report zone's `offsets` (sorted; the first span covers `fromSlot`).
 */
export type SlotQuery = {
  readonly scope: ReportScope;
  readonly fromSlot: number;
  readonly toSlot: number;
  readonly offsets: readonly OffsetSpan[];
};

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
 * The figures' storage: roll-ups per scope (counts and duration buckets only, per UTC quarter hour,
 * and the duration buckets once more per UTC day so long ranges read few rows), the non-personal facts
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
   * Recomputes the roll-ups from `from` on (rounded up to a UTC midnight, so whole days are rebuilt)
   * from the raw events still stored, up to the current cursor. Idempotent; earlier days are left as
   * they are (their calls may be purged already). Resolves how many UTC days now hold roll-ups.
   */
  rebuild(from: string): Promise<{ readonly days: number }>;
  /**
   * The time of the oldest event not rolled up yet (queries read raw events from its slot on).
   * `undefined` when nothing was ever rolled up.
   */
  rolledUpBefore(): Promise<string | undefined>;
  /**
   * The roll-ups of a scope summed over a range of slots, in the database: counts per local day,
   * arrivals per local weekday × hour, the duration buckets and the longest durations.
   */
  sums(query: SlotQuery): Promise<ReportSums>;
  /** Raw events of a scope stamped in a range, with their calls' facts, oldest first. */
  rawEvents(scope: ReportScope, range: InstantRange): Promise<ReportEventRow[]>;
  /** One page of the per-call export, ordered by `(createdAt, id)`. */
  callRows(query: CallRowQuery): Promise<CallRow[]>;
  /**
   * Deletes roll-ups and facts older than `before` (`REPORT_RETENTION_DAYS`; daily rows once their
   * whole UTC day is older). Returns rows removed.
   */
  purge(before: string): Promise<number>;
  close(): Promise<void>;
}

/** Who may see organisation-wide figures (`REPORTS_GROUP_ID`; embedded mode: the local agent). */
export interface ReportsGroup {
  /** Resolves `false` when no group is configured; rejects with `upstream-unavailable` when unsure. */
  isMember(agentId: string): Promise<boolean>;
}
