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

/**
 * Duration bucket (its lower bound in whole seconds) → how many durations fell in it. Sparse; keys are
 * values of {@link durationBucket}.
 */
export type Histogram = Record<number, number>;

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

/** What one event adds to its slot: counts and at most one duration. */
export type Contribution = {
  /** The UTC quarter hour of the event ({@link slotOf}). */
  readonly slot: number;
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

/** Minutes of one roll-up slot: every UTC offset in use today is a multiple of a quarter hour. */
export const SLOT_MINUTES = 15;
const SLOT_MS = SLOT_MINUTES * 60_000;
/** Slots in a UTC day. */
export const SLOTS_PER_DAY = 96;

/** The UTC quarter hour containing `iso`, as a slot number (quarter hours since 1970-01-01T00:00Z). */
export const slotOf = (iso: string): number => Math.floor(Date.parse(iso) / SLOT_MS);

/** The first instant of a slot, in epoch milliseconds. */
export const slotStart = (slot: number): number => slot * SLOT_MS;

/**
 * The resolution of the stored durations: below `below` seconds a bucket is `step` seconds wide.
 * Each `below` is a multiple of the next step, so no bucket straddles a boundary. (The roll-up
 * migration that converted per-second histograms spells the same steps out in SQL.)
 */
export const DURATION_STEPS: readonly { readonly below: number; readonly step: number }[] = [
  { below: 300, step: 1 },
  { below: 900, step: 5 },
  { below: 3600, step: 30 },
  { below: 86_400, step: 300 },
  { below: Number.POSITIVE_INFINITY, step: 3600 },
];

/** The bucket (its lower bound, whole seconds) a duration is stored in. */
export function durationBucket(seconds: number): number {
  const s = Math.max(0, Math.floor(seconds));
  for (const { below, step } of DURATION_STEPS) if (s < below) return s - (s % step);
  return s;
}

/** The width in seconds of the bucket that starts at `bucket`. */
export function bucketWidth(bucket: number): number {
  for (const { below, step } of DURATION_STEPS) if (bucket < below) return step;
  return 3600;
}

const seconds = (from: string, to: string): number =>
  Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * What one event adds to the figures, or `undefined` when it adds nothing (lobby messages, joins …).
 * The single definition used by the roll-ups, the raw path for today and the rebuild.
 */
export function contributionOf(row: ReportEventRow): Contribution | undefined {
  const slot = slotOf(row.at);
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
      return { slot, counts: { created: 1 } };
    case 'claimed':
      return { slot, counts: { claimed: 1 } };
    case 'admitted':
      return {
        slot,
        counts: answered('admitted'),
        waitSeconds: row.claimedAt !== undefined ? seconds(row.claimedAt, row.at) : undefined,
      };
    case 'declined':
      return { slot, counts: answered('declined') };
    // A wait that timed out is counted with the lobbies left (the figure is "lost while waiting").
    case 'abandoned':
    case 'timed-out':
      return { slot, counts: { abandoned: 1 } };
    case 'expired':
      return { slot, counts: { expired: 1, openedNotClaimed: neverClaimedButOpened ? 1 : 0 } };
    case 'revoked':
      return { slot, counts: { revoked: 1, openedNotClaimed: neverClaimedButOpened ? 1 : 0 } };
    case 'ended':
      return {
        slot,
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

/** Summary of durations in whole seconds. */
export type DurationSummary = {
  readonly count: number;
  readonly p50?: number | undefined;
  readonly p90?: number | undefined;
  readonly max?: number | undefined;
  /** Share (0…1) of values `<= target`; only when a target was asked for and `count > 0`. */
  readonly withinTarget?: number | undefined;
};

/** Adds the counts of `from` into `into`. */
export function mergeHistogram(into: Record<number, number>, from: Histogram): void {
  for (const k in from) {
    const key = Number(k);
    into[key] = (into[key] ?? 0) + from[key]!;
  }
}

/**
 * p50/p90 (nearest-rank, as the lower bound of the {@link durationBucket} that holds that rank), the
 * exact `max` when given, and the share within `targetSeconds`: the durations in buckets that lie
 * wholly at or below the target (exact below 300 s, where buckets are one second wide).
 */
export function summarise(
  histogram: Histogram,
  targetSeconds?: number,
  max?: number,
): DurationSummary {
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
      : entries
          .filter(([v]) => v + bucketWidth(v) - 1 <= targetSeconds)
          .reduce((n, [, v]) => n + v, 0) / count;
  return {
    count,
    p50: rank(50),
    p90: rank(90),
    max: max ?? entries[entries.length - 1]![0],
    ...(within !== undefined ? { withinTarget: within } : {}),
  };
}

/**
 * Figures summed over a range of slots, already cut into the report zone's local days and hours:
 * what a store answers from its roll-ups and what the raw path builds from today's events.
 */
export type ReportSums = {
  /** Local day number (days since 1970-01-01 in the zone) → counts of that day. */
  readonly days: Map<number, Record<keyof ReportCounts, number>>;
  /** Arrivals by local weekday × hour: index `weekday * 24 + hour`, weekday 0 = Monday. */
  readonly arrivals: number[];
  readonly wait: Record<number, number>;
  readonly length: Record<number, number>;
  /** The longest time to admit and call length, exact (histograms keep buckets only). */
  waitMax: number | undefined;
  lengthMax: number | undefined;
};

/** Nothing summed yet. */
export const emptySums = (): ReportSums => ({
  days: new Map(),
  arrivals: Array.from({ length: 7 * 24 }, () => 0),
  wait: {},
  length: {},
  waitMax: undefined,
  lengthMax: undefined,
});

const larger = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/** The counts of local day `day` in `sums`, created empty on first use. */
export function dayCounts(sums: ReportSums, day: number): Record<keyof ReportCounts, number> {
  let counts = sums.days.get(day);
  if (!counts) {
    counts = emptyCounts();
    sums.days.set(day, counts);
  }
  return counts;
}

/** Adds `from` into `into`. */
export function addSums(into: ReportSums, from: ReportSums): void {
  for (const [day, counts] of from.days) {
    const target = dayCounts(into, day);
    for (const key of REPORT_COUNT_KEYS) target[key] += counts[key];
  }
  from.arrivals.forEach((n, i) => (into.arrivals[i]! += n));
  mergeHistogram(into.wait, from.wait);
  mergeHistogram(into.length, from.length);
  into.waitMax = larger(into.waitMax, from.waitMax);
  into.lengthMax = larger(into.lengthMax, from.lengthMax);
}

/** Adds one event's contribution, cut into local days and hours by `offsets`. */
export function addContribution(
  sums: ReportSums,
  c: Contribution,
  offsets: readonly OffsetSpan[],
): void {
  const local = localSlot(c.slot, offsetOfSlot(offsets, c.slot));
  const counts = dayCounts(sums, local.day);
  for (const key of REPORT_COUNT_KEYS) counts[key] += c.counts[key] ?? 0;
  sums.arrivals[local.weekday * 24 + local.hour]! += c.counts.claimed ?? 0;
  if (c.waitSeconds !== undefined) {
    const b = durationBucket(c.waitSeconds);
    sums.wait[b] = (sums.wait[b] ?? 0) + 1;
    sums.waitMax = larger(sums.waitMax, c.waitSeconds);
  }
  if (c.lengthSeconds !== undefined) {
    const b = durationBucket(c.lengthSeconds);
    sums.length[b] = (sums.length[b] ?? 0) + 1;
    sums.lengthMax = larger(sums.lengthMax, c.lengthSeconds);
  }
}

/**
 * A UTC offset of the report zone, in force from `fromSlot` until the next span. A report's spans
 * are few (one per daylight-saving change in the range), so stores can cut local days in SQL with
 * one `CASE` and integer arithmetic, and the raw path cuts them the same way.
 */
export type OffsetSpan = { readonly fromSlot: number; readonly offsetMinutes: number };

/** The offset (minutes east of UTC) in force in `slot`. */
export function offsetOfSlot(offsets: readonly OffsetSpan[], slot: number): number {
  for (let i = offsets.length - 1; i > 0; i -= 1) {
    if (slot >= offsets[i]!.fromSlot) return offsets[i]!.offsetMinutes;
  }
  return offsets[0]?.offsetMinutes ?? 0;
}

/**
 * The local day number (days since 1970-01-01 on the zone's calendar), weekday (0 = Monday) and hour
 * of a slot at a given offset. Integer arithmetic only — the stores' SQL spells out the same formula.
 */
export function localSlot(
  slot: number,
  offsetMinutes: number,
): { day: number; weekday: number; hour: number } {
  const minute = slot * SLOT_MINUTES + offsetMinutes;
  const day = Math.floor(minute / 1440);
  return {
    day,
    // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
    weekday: (((day + 3) % 7) + 7) % 7,
    hour: Math.floor((minute - day * 1440) / 60),
  };
}

/** The calendar date (`YYYY-MM-DD`) of a local day number. */
export const dateOfDay = (day: number): string =>
  new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The local day number of a calendar date (`YYYY-MM-DD`). */
export const dayOfDate = (date: string): number =>
  Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

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
 * and reused for every instant of a day whose offset does not change (Intl formatting is the costly
 * part: a CSV export of 100,000 calls formats ~500,000 times, but spans a few hundred days).
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

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * `YYYY-MM-DD HH:mm` of instants in one zone, as {@link localTime} reads them, for exports that
 * format hundreds of thousands of cells: the offset is cached per UTC day as in {@link localClock},
 * the date text per local day, and hours and minutes come from arithmetic and a table — no `Date`,
 * no Intl and no padding per cell. Days with an offset change fall back to {@link localTime}.
 */
export function localMinuteFormatter(zone: string): (ms: number) => string {
  const offsets = new Map<number, number | undefined>();
  const dates = new Map<number, string>();
  return (ms) => {
    const day = Math.floor(ms / 86_400_000);
    let offset = offsets.get(day);
    if (offset === undefined && !offsets.has(day)) {
      const start = offsetAt(day * 86_400_000, zone);
      const end = offsetAt(day * 86_400_000 + 86_399_000, zone);
      offset = start === end ? start : undefined;
      offsets.set(day, offset);
    }
    if (offset === undefined) {
      const t = localTime(ms, zone);
      return `${t.date} ${TWO_DIGITS[t.hour]!}:${TWO_DIGITS[t.minute]!}`;
    }
    const local = ms + offset;
    const localDay = Math.floor(local / 86_400_000);
    let date = dates.get(localDay);
    if (date === undefined) {
      date = new Date(localDay * 86_400_000).toISOString().slice(0, 10);
      dates.set(localDay, date);
    }
    const minute = Math.floor((local - localDay * 86_400_000) / 60_000);
    return `${date} ${TWO_DIGITS[Math.floor(minute / 60)]!}:${TWO_DIGITS[minute % 60]!}`;
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
    guess += 3_600_000;
  }
  return guess;
}

/**
 * The zone's offsets over the slots `[fromSlot, toSlot)`: one span per offset in force, found by
 * reading the offset once per UTC day and bisecting to the slot where it changes (no zone changes
 * its offset twice in a day).
 */
export function offsetSpans(fromSlot: number, toSlot: number, zone: string): OffsetSpan[] {
  const minutes = (slot: number) => Math.round(offsetAt(slotStart(slot), zone) / 60_000);
  const spans: OffsetSpan[] = [{ fromSlot, offsetMinutes: minutes(fromSlot) }];
  let at = fromSlot;
  while (at < toSlot - 1) {
    const next = Math.min(toSlot - 1, at + SLOTS_PER_DAY);
    const current = spans[spans.length - 1]!.offsetMinutes;
    const offset = minutes(next);
    if (offset !== current) {
      // The first slot of the new offset lies in (at, next].
      let lo = at;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (minutes(mid) === current) lo = mid;
        else hi = mid;
      }
      spans.push({ fromSlot: hi, offsetMinutes: offset });
    }
    at = next;
  }
  return spans;
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
