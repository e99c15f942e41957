import {
  addContribution,
  addDays,
  contributionOf,
  daysBetween,
  emptyBucket,
  emptyCounts,
  localClock,
  localTime,
  mergeHistogram,
  startOfLocalDay,
  summarise,
  REPORT_COUNT_KEYS,
  type HourBucket,
  type MutableBucket,
  type ReportScope,
} from '../domain/report';
import type { Report, ReportQuery } from '../contracts/reports';
import type { Clock } from '../ports/clock';
import type { HourRange, ReportStore } from '../ports/report-store';
import { authorizeReport, type ReportAccessDeps } from './authorize-report';
import type { AgentPrincipal } from './context';

/** What a report needs. */
export type ReportDeps = ReportAccessDeps & {
  readonly reports: ReportStore;
  readonly clock: Clock;
  readonly settings: {
    /** Share admitted within this many seconds (`REPORT_ADMIT_TARGET_SECONDS`). @default 60 */
    readonly admitTargetSeconds: number;
  };
};

const HOUR_MS = 3_600_000;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;
const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** Bands of the time-to-admit distribution, in seconds. */
export const WAIT_BANDS: readonly number[] = [0, 15, 30, 60, 120, 300];

/** The scope a query names for this principal (`me` is the caller). */
export function scopeOf(principal: AgentPrincipal, query: ReportQuery): ReportScope {
  switch (query.scope) {
    case 'me':
      return { kind: 'agent', agentId: principal.id };
    case 'agent':
      return { kind: 'agent', agentId: query.agentId ?? '' };
    case 'team':
      return { kind: 'team', teamId: query.teamId ?? '' };
    case 'org':
      return { kind: 'org' };
  }
}

/**
 * The UTC hours a range of local days covers. Buckets are UTC hours; a bucket belongs to the local
 * day of its first instant (exact for every whole-hour zone; zones with :30/:45 offsets cut their
 * days at the UTC hour after local midnight).
 */
export function hoursOfDays(from: string, to: string, timeZone: string): HourRange {
  return {
    from: iso(ceilHour(startOfLocalDay(from, timeZone))),
    to: iso(ceilHour(startOfLocalDay(addDays(to, 1), timeZone))),
  };
}

/**
 * The figures of one scope over local days `from`…`to` in `timeZone`, after {@link authorizeReport}.
 * Whole hours already rolled up come from the roll-ups; the rest (today, and anything the roll-up
 * has not reached) from raw events — the same scoring either way.
 */
export async function getReport(
  deps: ReportDeps,
  principal: AgentPrincipal,
  query: ReportQuery,
): Promise<Report> {
  const scope = scopeOf(principal, query);
  await authorizeReport(deps, principal, scope);
  const targetSeconds = query.targetSeconds ?? deps.settings.admitTargetSeconds;
  const range = hoursOfDays(query.from, query.to, query.timeZone);
  const today = localTime(deps.clock.now().getTime(), query.timeZone).date;
  const rolled = await deps.reports.rolledUpBefore();
  const startOfToday = ceilHour(startOfLocalDay(today, query.timeZone));
  // `undefined`: every stored event is rolled up, so only today is read raw.
  const boundary =
    rolled === undefined ? startOfToday : Math.min(startOfToday, floorHour(Date.parse(rolled)));
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const split = Math.max(from, Math.min(to, boundary));
  const [buckets, raw] = await Promise.all([
    split > from ? deps.reports.buckets(scope, { from: range.from, to: iso(split) }) : [],
    split < to ? deps.reports.rawEvents(scope, { from: iso(split), to: range.to }) : [],
  ]);
  const byHour = new Map<string, MutableBucket>();
  const bucketAt = (hour: string) => {
    let b = byHour.get(hour);
    if (!b) {
      b = emptyBucket(hour);
      byHour.set(hour, b);
    }
    return b;
  };
  // Roll-ups cover the hours before the split and raw events the hours after: no hour is in both.
  for (const row of raw) {
    const c = contributionOf(row);
    if (c) addContribution(bucketAt(c.hour), c);
  }
  return assemble([...buckets, ...byHour.values()], { scope, query, targetSeconds });
}

function assemble(
  buckets: readonly HourBucket[],
  options: { scope: ReportScope; query: ReportQuery; targetSeconds: number },
): Report {
  const { query, scope, targetSeconds } = options;
  const total = emptyBucket('');
  const dayCount = daysBetween(query.from, query.to);
  const days = Array.from({ length: dayCount }, (_, i) => ({
    date: addDays(query.from, i),
    counts: emptyCounts(),
  }));
  const dayIndex = new Map(days.map((d, i) => [d.date, i]));
  const heatMap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  const local = localClock(query.timeZone);
  for (const b of buckets) {
    for (const key of REPORT_COUNT_KEYS) total.counts[key] += b.counts[key];
    mergeHistogram(total.wait, b.wait);
    mergeHistogram(total.length, b.length);
    const at = local(Date.parse(b.hour));
    const day = days[dayIndex.get(at.date) ?? -1];
    if (day) for (const key of REPORT_COUNT_KEYS) day.counts[key] += b.counts[key];
    heatMap[at.weekday]![at.hour]! += b.counts.claimed;
  }
  const waitDistribution = WAIT_BANDS.map((lo, i) => {
    const hi = WAIT_BANDS[i + 1];
    let n = 0;
    for (const [k, v] of Object.entries(total.wait)) {
      const s = Number(k);
      if (s >= lo && (hi === undefined || s < hi)) n += v;
    }
    return { fromSeconds: lo, ...(hi !== undefined ? { toSeconds: hi } : {}), count: n };
  });
  return {
    scope:
      scope.kind === 'org'
        ? { kind: 'org' }
        : { kind: scope.kind, id: scope.kind === 'agent' ? scope.agentId : scope.teamId },
    from: query.from,
    to: query.to,
    timeZone: query.timeZone,
    targetSeconds,
    totals: total.counts,
    timeToAdmit: summarise(total.wait, targetSeconds),
    callLength: summarise(total.length),
    ...(scope.kind === 'team'
      ? {
          escalationShare:
            total.counts.cardsAnswered > 0
              ? total.counts.answeredAfterEscalation / total.counts.cardsAnswered
              : null,
        }
      : {}),
    days,
    heatMap,
    waitDistribution,
  };
}
