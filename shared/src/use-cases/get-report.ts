import {
  addContribution,
  addDays,
  addSums,
  contributionOf,
  dateOfDay,
  dayOfDate,
  daysBetween,
  emptyCounts,
  emptySums,
  localTime,
  offsetSpans,
  slotOf,
  slotStart,
  startOfLocalDay,
  summarise,
  REPORT_COUNT_KEYS,
  type ReportScope,
  type ReportSums,
} from '../domain/report';
import type { Report, ReportQuery } from '../contracts/reports';
import type { Clock } from '../ports/clock';
import type { InstantRange, ReportStore } from '../ports/report-store';
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

const SLOT_MS = 900_000;
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
 * The instants a range of local days covers in `timeZone`: from the first instant of `from` to the
 * first instant of the day after `to`.
 */
export function instantsOfDays(from: string, to: string, timeZone: string): InstantRange {
  return {
    from: iso(startOfLocalDay(from, timeZone)),
    to: iso(startOfLocalDay(addDays(to, 1), timeZone)),
  };
}

/**
 * The figures of one scope over local days `from`…`to` in `timeZone`, after {@link authorizeReport}.
 * The quarter hours already rolled up are summed by the store from its roll-ups; the rest (today, and
 * anything the roll-up has not reached) is scored here from raw events — the same scoring and the
 * same cut into local days either way.
 */
export async function getReport(
  deps: ReportDeps,
  principal: AgentPrincipal,
  query: ReportQuery,
): Promise<Report> {
  const scope = scopeOf(principal, query);
  await authorizeReport(deps, principal, scope);
  const targetSeconds = query.targetSeconds ?? deps.settings.admitTargetSeconds;
  const range = instantsOfDays(query.from, query.to, query.timeZone);
  // Local midnights fall on quarter hours in every zone in use (India +5:30, Nepal +5:45 …).
  const from = Math.ceil(Date.parse(range.from) / SLOT_MS);
  const to = Math.ceil(Date.parse(range.to) / SLOT_MS);
  const offsets = offsetSpans(from, to, query.timeZone);
  const today = localTime(deps.clock.now().getTime(), query.timeZone).date;
  const rolled = await deps.reports.rolledUpBefore();
  const startOfToday = Math.ceil(startOfLocalDay(today, query.timeZone) / SLOT_MS);
  // `undefined`: every stored event is rolled up, so only today is read raw.
  const boundary = rolled === undefined ? startOfToday : Math.min(startOfToday, slotOf(rolled));
  const split = Math.max(from, Math.min(to, boundary));
  const [sums, raw] = await Promise.all([
    split > from
      ? deps.reports.sums({ scope, fromSlot: from, toSlot: split, offsets })
      : emptySums(),
    split < to
      ? deps.reports.rawEvents(scope, { from: iso(slotStart(split)), to: iso(slotStart(to)) })
      : [],
  ]);
  // Roll-ups cover the slots before the split and raw events the slots after: none is in both.
  const fresh = emptySums();
  for (const row of raw) {
    const c = contributionOf(row);
    if (c) addContribution(fresh, c, offsets);
  }
  addSums(sums, fresh);
  return assemble(sums, { scope, query, targetSeconds });
}

function assemble(
  sums: ReportSums,
  options: { scope: ReportScope; query: ReportQuery; targetSeconds: number },
): Report {
  const { query, scope, targetSeconds } = options;
  const totals = emptyCounts();
  const first = dayOfDate(query.from);
  const days = Array.from({ length: daysBetween(query.from, query.to) }, (_, i) => {
    const counts = sums.days.get(first + i) ?? emptyCounts();
    for (const key of REPORT_COUNT_KEYS) totals[key] += counts[key];
    return { date: dateOfDay(first + i), counts };
  });
  const heatMap = Array.from({ length: 7 }, (_, weekday) =>
    sums.arrivals.slice(weekday * 24, weekday * 24 + 24),
  );
  const waitDistribution = WAIT_BANDS.map((lo, i) => {
    const hi = WAIT_BANDS[i + 1];
    let n = 0;
    for (const [k, v] of Object.entries(sums.wait)) {
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
    totals,
    timeToAdmit: summarise(sums.wait, targetSeconds, sums.waitMax),
    callLength: summarise(sums.length, undefined, sums.lengthMax),
    ...(scope.kind === 'team'
      ? {
          escalationShare:
            totals.cardsAnswered > 0 ? totals.answeredAfterEscalation / totals.cardsAnswered : null,
        }
      : {}),
    days,
    heatMap,
    waitDistribution,
  };
}
