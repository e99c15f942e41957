import type { CallEventType, CallState } from './call';

/**
 * Whose figures a report shows.
 * - `agent`: calls the agent owns.
 * - `team`: calls of a team's channel queue.
 * - `org`: every call.
 */
export type ReportScope =
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'team'; readonly teamId: string }
  | { readonly kind: 'org' };

/**
 * The counts of one roll-up bucket (or of a whole report). Each count belongs to the hour of the event
 * that decides it: `created` to the link's creation, `claimed` to the customer's arrival, the outcomes
 * to the outcome's event, `openedNotClaimed` to the event that killed a link that was opened but never
 * claimed.
 */
export type ReportCounts = {
  readonly created: number;
  readonly openedNotClaimed: number;
  readonly claimed: number;
  readonly admitted: number;
  readonly declined: number;
  readonly abandoned: number;
  readonly expired: number;
  readonly revoked: number;
  readonly ended: number;
  /** Team calls whose lobby card was answered (admitted or declined by an agent). */
  readonly cardsAnswered: number;
  /** Of those, answered after the bot escalated (re-posted the card to the channel). */
  readonly answeredAfterEscalation: number;
};

/** Every count, in the order of tables and CSV columns. */
export const REPORT_COUNT_KEYS: readonly (keyof ReportCounts)[] = [
  'created',
  'openedNotClaimed',
  'claimed',
  'admitted',
  'declined',
  'abandoned',
  'expired',
  'revoked',
  'ended',
  'cardsAnswered',
  'answeredAfterEscalation',
];

/** Whole seconds → how many calls took that long. Sparse; keys are non-negative integers. */
export type Histogram = Record<number, number>;

/**
 * One UTC hour of one scope: counts and durations only — no names, no free text, no call ids. This is
 * what the daily roll-up tables hold (one row per scope and UTC hour, so any whole-hour time zone can
 * cut days and build the weekday × hour map from them).
 */
export type HourBucket = {
  /** Start of the UTC hour, ISO-8601 (`2026-03-29T01:00:00.000Z`). */
  readonly hour: string;
  readonly counts: ReportCounts;
  /** Time to admit (arrival → Admit) of the admissions in this hour. */
  readonly wait: Histogram;
  /** Call length (Admit → end) of the calls that ended in this hour. */
  readonly length: Histogram;
};

/**
 * One event of the log with the few facts of its call needed to score it. What the roll-up and the
 * raw path both read, so the two agree by construction.
 */
export type ReportEventRow = {
  readonly type: CallEventType;
  readonly at: string;
  readonly fromState?: CallState | undefined;
  /** The owner of the call. */
  readonly agentId: string;
  readonly teamId?: string | undefined;
  readonly claimedAt?: string | undefined;
  readonly admittedAt?: string | undefined;
  /** When the link was first opened (GET of the landing page), if ever. */
  readonly openedAt?: string | undefined;
  /** When the bot escalated the lobby card, if it did. */
  readonly escalatedAt?: string | undefined;
};

/** What one event adds to its hour: counts and at most one duration. */
export type Contribution = {
  readonly hour: string;
  readonly counts: Partial<Record<keyof ReportCounts, number>>;
  readonly waitSeconds?: number | undefined;
  readonly lengthSeconds?: number | undefined;
};

/** Zero counts. */
export const emptyCounts = (): Record<keyof ReportCounts, number> => ({
  created: 0,
  openedNotClaimed: 0,
  claimed: 0,
  admitted: 0,
  declined: 0,
  abandoned: 0,
  expired: 0,
  revoked: 0,
  ended: 0,
  cardsAnswered: 0,
  answeredAfterEscalation: 0,
});

const HOUR_MS = 3_600_000;

/** The start of the UTC hour containing `iso`, as ISO-8601. */
export const hourOf = (iso: string): string =>
  new Date(Math.floor(Date.parse(iso) / HOUR_MS) * HOUR_MS).toISOString();

const seconds = (from: string, to: string): number =>
  Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * What one event adds to the figures, or `undefined` when it adds nothing (lobby messages, joins …).
 * The single definition used by the roll-ups, the raw path for today and the rebuild.
 */
export function contributionOf(row: ReportEventRow): Contribution | undefined {
  const hour = hourOf(row.at);
  const neverClaimedButOpened = row.fromState === 'scheduled' && row.openedAt !== undefined;
  const answered = (key: 'admitted' | 'declined') => ({
    [key]: 1,
    ...(row.teamId !== undefined
      ? {
          cardsAnswered: 1,
          answeredAfterEscalation:
            row.escalatedAt !== undefined && row.escalatedAt <= row.at ? 1 : 0,
        }
      : {}),
  });
  switch (row.type) {
    case 'created':
      return { hour, counts: { created: 1 } };
    case 'claimed':
      return { hour, counts: { claimed: 1 } };
    case 'admitted':
      return {
        hour,
        counts: answered('admitted'),
        waitSeconds: row.claimedAt !== undefined ? seconds(row.claimedAt, row.at) : undefined,
      };
    case 'declined':
      return { hour, counts: answered('declined') };
    // A wait that timed out is counted with the lobbies left (the figure is "lost while waiting").
    case 'abandoned':
    case 'timed-out':
      return { hour, counts: { abandoned: 1 } };
    case 'expired':
      return { hour, counts: { expired: 1, openedNotClaimed: neverClaimedButOpened ? 1 : 0 } };
    case 'revoked':
      return { hour, counts: { revoked: 1, openedNotClaimed: neverClaimedButOpened ? 1 : 0 } };
    case 'ended':
      return {
        hour,
        counts: { ended: 1 },
        lengthSeconds: row.admittedAt !== undefined ? seconds(row.admittedAt, row.at) : undefined,
      };
    case 'joined':
    case 'reissued':
    case 'lobby-message':
    case 'lobby-extended':
    case 'lobby-locked':
    case 'meeting-sync-failed':
      return undefined;
  }
}

/** A bucket being summed. */
export type MutableBucket = {
  readonly hour: string;
  counts: Record<keyof ReportCounts, number>;
  wait: Record<number, number>;
  length: Record<number, number>;
};

/** An empty bucket for `hour`. */
export const emptyBucket = (hour: string): MutableBucket => ({
  hour,
  counts: emptyCounts(),
  wait: {},
  length: {},
});

/** Adds `c` into `bucket` (same hour). */
export function addContribution(bucket: MutableBucket, c: Contribution): void {
  for (const key of REPORT_COUNT_KEYS) bucket.counts[key] += c.counts[key] ?? 0;
  if (c.waitSeconds !== undefined)
    bucket.wait[c.waitSeconds] = (bucket.wait[c.waitSeconds] ?? 0) + 1;
  if (c.lengthSeconds !== undefined)
    bucket.length[c.lengthSeconds] = (bucket.length[c.lengthSeconds] ?? 0) + 1;
}

/** Adds the whole of `other` into `bucket`. */
export function addBucket(bucket: MutableBucket, other: HourBucket): void {
  for (const key of REPORT_COUNT_KEYS) bucket.counts[key] += other.counts[key];
  mergeHistogram(bucket.wait, other.wait);
  mergeHistogram(bucket.length, other.length);
}

/** Adds the counts of `from` into `into`. */
export function mergeHistogram(into: Record<number, number>, from: Histogram): void {
  // for…in, not Object.entries: a year of hourly buckets merges ~10⁵ keys per report.
  for (const k in from) {
    const key = Number(k);
    into[key] = (into[key] ?? 0) + from[key]!;
  }
}

/** Summary of a histogram of whole seconds. Percentiles are nearest-rank, so they are real values. */
export type DurationSummary = {
  readonly count: number;
  readonly p50?: number | undefined;
  readonly p90?: number | undefined;
  readonly max?: number | undefined;
  /** Share (0…1) of values `<= target`; only when a target was asked for and `count > 0`. */
  readonly withinTarget?: number | undefined;
};

/** p50/p90/max (nearest-rank) and the share within `targetSeconds`, from a histogram. */
export function summarise(histogram: Histogram, targetSeconds?: number): DurationSummary {
  const entries = Object.entries(histogram)
    .map(([k, v]) => [Number(k), v] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => a[0] - b[0]);
  const count = entries.reduce((n, [, v]) => n + v, 0);
  if (count === 0) return { count: 0 };
  const rank = (p: number) => {
    const needed = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const [value, n] of entries) {
      seen += n;
      if (seen >= needed) return value;
    }
    return entries[entries.length - 1]![0];
  };
  const within =
    targetSeconds === undefined
      ? undefined
      : entries.filter(([v]) => v <= targetSeconds).reduce((n, [, v]) => n + v, 0) / count;
  return {
    count,
    p50: rank(50),
    p90: rank(90),
    max: entries[entries.length - 1]![0],
    ...(within !== undefined ? { withinTarget: within } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Time zones: local calendar days ↔ UTC instants, without a library (Intl only).

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partsFormatters.set(zone, f);
  }
  return f;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The wall-clock reading of an instant in a zone. `weekday` 0 = Monday … 6 = Sunday. */
export type LocalTime = {
  readonly date: string;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
};

/** The local date (`YYYY-MM-DD`), hour, minute and weekday of `ms` in `zone`. */
export function localTime(ms: number, zone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    weekday: WEEKDAYS.indexOf(parts['weekday'] ?? ''),
  };
}

/**
 * A fast {@link localTime} for many instants in one zone: the offset is looked up once per UTC day
 * and reused for every hour of a day whose offset does not change (Intl formatting is the costly
 * part; a year of hourly buckets needs ~730 look-ups instead of 8,760).
 */
export function localClock(zone: string): (ms: number) => LocalTime {
  const days = new Map<number, number | undefined>();
  return (ms) => {
    const day = Math.floor(ms / 86_400_000);
    let offset = days.get(day);
    if (!days.has(day)) {
      const start = offsetAt(day * 86_400_000, zone);
      const end = offsetAt(day * 86_400_000 + 86_399_000, zone);
      offset = start === end ? start : undefined;
      days.set(day, offset);
    }
    if (offset === undefined) return localTime(ms, zone);
    const local = new Date(ms + offset);
    return {
      date: local.toISOString().slice(0, 10),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      weekday: (local.getUTCDay() + 6) % 7,
    };
  };
}

/** The zone's offset from UTC at `ms`, in milliseconds (positive east of Greenwich). */
function offsetAt(ms: number, zone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const asUtc = Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant local midnight begins on `date` (`YYYY-MM-DD`) in `zone`. Where a zone skips midnight
 * (a daylight-saving change at 00:00) it is the first instant of that day.
 */
export function startOfLocalDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d);
  let guess = naive - offsetAt(naive, zone);
  // Two refinements settle every real zone (the offset at the guess may differ across a change).
  for (let i = 0; i < 2; i += 1) guess = naive - offsetAt(guess, zone);
  if (localTime(guess, zone).date !== date) {
    // Midnight does not exist that day: step forward to the first local instant of the day.
    guess += HOUR_MS;
  }
  return guess;
}

/** `date` plus `days` calendar days (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
  );
}
