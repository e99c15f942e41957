import {
  REPORT_COUNT_KEYS,
  SLOTS_PER_DAY,
  SLOT_MINUTES,
  contributionOf,
  dayCounts,
  durationBucket,
  emptyCounts,
  emptySums,
  type CallEventType,
  type CallRow,
  type CallState,
  type OffsetSpan,
  type ReportCounts,
  type ReportEventRow,
  type ReportScope,
  type ReportSums,
  type SlotQuery,
} from '@shared';

// What the SQLite and PostgreSQL report stores share: column names, scope keys and how raw rows are
// turned into buckets. The SQL dialects differ; the meaning may not.

/** Column of each count in `report_slots`. */
export const COUNT_COLUMNS: Readonly<Record<keyof ReportCounts, string>> = {
  created: 'created',
  openedNotClaimed: 'opened_not_claimed',
  claimed: 'claimed',
  admitted: 'admitted',
  declined: 'declined',
  abandoned: 'abandoned',
  expired: 'expired',
  revoked: 'revoked',
  ended: 'ended',
  cardsAnswered: 'cards_answered',
  answeredAfterEscalation: 'answered_after_escalation',
};

/** The count columns in {@link REPORT_COUNT_KEYS} order. */
export const COUNT_COLUMN_LIST = REPORT_COUNT_KEYS.map((k) => COUNT_COLUMNS[k]);

/** One key column per scope: `o` (organisation), `a:<agent id>`, `t:<team id>`. */
export function scopeKey(scope: ReportScope): string {
  switch (scope.kind) {
    case 'org':
      return 'o';
    case 'agent':
      return `a:${scope.agentId}`;
    case 'team':
      return `t:${scope.teamId}`;
  }
}

/** The scope keys an event of this call counts in. */
export const scopeKeysOf = (row: { agentId: string; teamId?: string | undefined }): string[] =>
  row.teamId !== undefined
    ? ['o', `a:${row.agentId}`, `t:${row.teamId}`]
    : ['o', `a:${row.agentId}`];

/** The select list of a raw event row (`e` events, `c` calls, `f` report facts). */
export const RAW_EVENT_COLUMNS = `e.seq AS seq, e.type AS type, e.at AS at, e.from_state AS from_state,
  c.agent_id AS agent_id, c.team_id AS team_id, c.claimed_at AS claimed_at,
  c.admitted_at AS admitted_at, f.opened_at AS opened_at, f.escalated_at AS escalated_at`;

type Row = Record<string, unknown>;
type Time = (value: unknown) => string | undefined;

/** A raw SQL row as a {@link ReportEventRow}. */
export function toEventRow(row: Row, time: Time): ReportEventRow {
  const team = row['team_id'];
  return {
    type: row['type'] as CallEventType,
    at: time(row['at'])!,
    fromState: (row['from_state'] ?? undefined) as CallState | undefined,
    agentId: row['agent_id'] as string,
    teamId: typeof team === 'string' ? team : undefined,
    claimedAt: time(row['claimed_at']),
    admittedAt: time(row['admitted_at']),
    openedAt: time(row['opened_at']),
    escalatedAt: time(row['escalated_at']),
  };
}

/** Which histogram a `report_durations*` row belongs to. */
export type DurationKind = 'wait' | 'length';

type SlotSum = {
  readonly scope: string;
  readonly slot: number;
  readonly counts: Record<keyof ReportCounts, number>;
  waitMax: number | undefined;
  lengthMax: number | undefined;
};
type DurationSum = {
  readonly scope: string;
  /** A slot in `report_durations`, a UTC day number in `report_durations_daily`. */
  readonly at: number;
  readonly kind: DurationKind;
  readonly bucket: number;
  n: number;
};

const SLOTS_PER_HOUR = 60 / SLOT_MINUTES;
const larger = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b));

/**
 * Sums contributions per `(scope key, slot)` — and the duration buckets per slot and per UTC day — in
 * memory before they are added to the stored roll-ups.
 */
export class RollUpAccumulator {
  readonly slots = new Map<string, SlotSum>();
  /** The same counts per UTC hour (`slot` holds the hour number): what whole-hour zones read. */
  readonly hours = new Map<string, SlotSum>();
  readonly durations = new Map<string, DurationSum>();
  readonly daily = new Map<string, DurationSum>();

  /** Adds what the event contributes to each scope it counts in. */
  add(row: ReportEventRow): void {
    const c = contributionOf(row);
    if (!c) return;
    const day = Math.floor(c.slot / SLOTS_PER_DAY);
    for (const scope of scopeKeysOf(row)) {
      for (const [map, at] of [
        [this.slots, c.slot],
        [this.hours, Math.floor(c.slot / SLOTS_PER_HOUR)],
      ] as const) {
        const key = `${scope}\u0000${at}`;
        let entry = map.get(key);
        if (!entry) {
          entry = {
            scope,
            slot: at,
            counts: emptyCounts(),
            waitMax: undefined,
            lengthMax: undefined,
          };
          map.set(key, entry);
        }
        for (const k of REPORT_COUNT_KEYS) entry.counts[k] += c.counts[k] ?? 0;
        if (c.waitSeconds !== undefined) entry.waitMax = larger(entry.waitMax, c.waitSeconds);
        if (c.lengthSeconds !== undefined)
          entry.lengthMax = larger(entry.lengthMax, c.lengthSeconds);
      }
      if (c.waitSeconds !== undefined) this.duration(scope, c.slot, day, 'wait', c.waitSeconds);
      if (c.lengthSeconds !== undefined) {
        this.duration(scope, c.slot, day, 'length', c.lengthSeconds);
      }
    }
  }

  private duration(scope: string, slot: number, day: number, kind: DurationKind, s: number) {
    const bucket = durationBucket(s);
    for (const [map, at] of [
      [this.durations, slot],
      [this.daily, day],
    ] as const) {
      const key = `${scope}\u0000${at}\u0000${kind}\u0000${bucket}`;
      const entry = map.get(key);
      if (entry) entry.n += 1;
      else map.set(key, { scope, at, kind, bucket, n: 1 });
    }
  }

  get size(): number {
    return this.slots.size + this.durations.size;
  }

  /** Takes every sum out, leaving the accumulator empty. */
  drain(): { slots: SlotSum[]; hours: SlotSum[]; durations: DurationSum[]; daily: DurationSum[] } {
    const out = {
      slots: [...this.slots.values()],
      hours: [...this.hours.values()],
      durations: [...this.durations.values()],
      daily: [...this.daily.values()],
    };
    this.slots.clear();
    this.hours.clear();
    this.durations.clear();
    this.daily.clear();
    return out;
  }
}

/**
 * The SQL of a slot's local minute (minutes since 1970-01-01 on the zone's clock) for the given
 * offsets: `slot * 15 + CASE …` — the formula of `localSlot` in the core. Offsets are integers we
 * computed (never input), so they are written into the statement, which keeps one plan per shape.
 */
export function localMinuteSql(
  offsets: readonly OffsetSpan[],
  unit: { readonly column: 'slot' | 'hour'; readonly minutes: number },
): string {
  const per = unit.minutes / SLOT_MINUTES;
  for (const o of offsets) {
    if (!Number.isSafeInteger(o.fromSlot) || !Number.isSafeInteger(o.offsetMinutes)) {
      throw new RangeError('Bad offset span');
    }
  }
  const first = offsets[0]?.offsetMinutes ?? 0;
  const offset =
    offsets.length <= 1
      ? String(first)
      : `CASE ${offsets
          .slice(1)
          .reverse()
          .map((o) => `WHEN ${unit.column} >= ${o.fromSlot / per} THEN ${o.offsetMinutes}`)
          .join(' ')} ELSE ${first} END`;
  return `(${unit.column} * ${unit.minutes} + ${offset})`;
}

/**
 * The read statements of a report over `report_hours` or `report_slots`, `report_durations` and
 * `report_durations_daily`; `p(i)` writes the i-th placeholder of the dialect. Whole UTC days read the
 * daily duration rows, the partial days at either end the per-slot ones.
 */
export function sumsStatements(
  query: SlotQuery,
  p: (i: number) => string,
): {
  days: string;
  arrivals: string;
  /** Each with its own values. */
  durations: { sql: string; values: unknown[] }[];
  /** The values of `days` and `arrivals`. */
  values: unknown[];
} {
  // Zones whose days and hours start on UTC hours (most) read the hourly counts, a quarter of the
  // rows; India, Nepal and the like read the quarter hours.
  const hourly =
    query.fromSlot % SLOTS_PER_HOUR === 0 &&
    query.toSlot % SLOTS_PER_HOUR === 0 &&
    query.offsets.every(
      (o, i) => o.offsetMinutes % 60 === 0 && (i === 0 || o.fromSlot % SLOTS_PER_HOUR === 0),
    );
  const unit = hourly
    ? ({ column: 'hour', minutes: 60, table: 'report_hours', per: SLOTS_PER_HOUR } as const)
    : ({ column: 'slot', minutes: SLOT_MINUTES, table: 'report_slots', per: 1 } as const);
  const m = localMinuteSql(query.offsets, unit);
  const scope = scopeKey(query.scope);
  const where = `scope_key = ${p(1)} AND ${unit.column} >= ${p(2)} AND ${unit.column} < ${p(3)}`;
  const firstDay = Math.ceil(query.fromSlot / SLOTS_PER_DAY);
  const endDay = Math.floor(query.toSlot / SLOTS_PER_DAY);
  const slotDurations = (from: number, to: number) => ({
    sql: `SELECT kind, bucket, SUM(n) AS n FROM report_durations
          WHERE scope_key = ${p(1)} AND slot >= ${p(2)} AND slot < ${p(3)} GROUP BY kind, bucket`,
    values: [scope, from, to],
  });
  // Whole days in one statement of their own: it reads the daily key in order, without a sort.
  const durations =
    firstDay < endDay
      ? [
          {
            sql: `SELECT kind, bucket, SUM(n) AS n FROM report_durations_daily
                  WHERE scope_key = ${p(1)} AND day >= ${p(2)} AND day < ${p(3)}
                  GROUP BY kind, bucket`,
            values: [scope, firstDay, endDay],
          },
          slotDurations(query.fromSlot, firstDay * SLOTS_PER_DAY),
          slotDurations(endDay * SLOTS_PER_DAY, query.toSlot),
        ]
      : [slotDurations(query.fromSlot, query.toSlot)];
  return {
    days: `SELECT ${m} / 1440 AS day, ${COUNT_COLUMN_LIST.map((c) => `SUM(${c}) AS ${c}`).join(', ')},
             MAX(wait_max) AS wait_max, MAX(length_max) AS length_max
           FROM ${unit.table} WHERE ${where} GROUP BY ${m} / 1440`,
    // 1970-01-01 was a Thursday: weekday 3 when Monday is 0.
    arrivals: `SELECT (${m} / 1440 + 3) % 7 AS weekday, (${m} % 1440) / 60 AS hour, SUM(claimed) AS n
           FROM ${unit.table} WHERE ${where} AND claimed > 0
           GROUP BY (${m} / 1440 + 3) % 7, (${m} % 1440) / 60`,
    durations,
    values: [scope, query.fromSlot / unit.per, query.toSlot / unit.per],
  };
}

/** The rows of the statements of {@link sumsStatements} as {@link ReportSums}. */
export function toSums(days: Row[], arrivals: Row[], durations: Row[][]): ReportSums {
  const sums = emptySums();
  for (const row of days) {
    const counts = dayCounts(sums, Number(row['day']));
    for (const k of REPORT_COUNT_KEYS) counts[k] += Number(row[COUNT_COLUMNS[k]] ?? 0);
    const w = row['wait_max'];
    const l = row['length_max'];
    if (w !== null && w !== undefined) sums.waitMax = larger(sums.waitMax, Number(w));
    if (l !== null && l !== undefined) sums.lengthMax = larger(sums.lengthMax, Number(l));
  }
  for (const row of arrivals) {
    sums.arrivals[Number(row['weekday']) * 24 + Number(row['hour'])]! += Number(row['n']);
  }
  for (const row of durations.flat()) {
    const into = row['kind'] === 'wait' ? sums.wait : sums.length;
    const bucket = Number(row['bucket']);
    into[bucket] = (into[bucket] ?? 0) + Number(row['n']);
  }
  return sums;
}

/**
 * `CASE` that maps whole seconds `s` to their duration bucket, as `durationBucket` does, for the
 * migration that converted the per-second histograms. Part of a released migration: never change it.
 */
export const BUCKET_OF_S = `CASE WHEN s < 300 THEN s WHEN s < 900 THEN s - s % 5
  WHEN s < 3600 THEN s - s % 30 WHEN s < 86400 THEN s - s % 300 ELSE s - s % 3600 END`;

/** A per-call export row from SQL ({@link callRowColumns}). */
export function toCallRow(row: Row, time: Time): CallRow {
  const name = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    id: row['id'] as string,
    createdAt: time(row['created_at'])!,
    title: row['title'] as string,
    state: row['state'] as string,
    agentName: name(row['agent_name']) ?? '',
    teamName: name(row['team_name']),
    openedAt: time(row['opened_at']),
    claimedAt: time(row['claimed_at']),
    admittedAt: time(row['admitted_at']),
    admittedByName: name(row['admitted_by_name']),
    endedAt: time(row['ended_at']),
    updatedAt: time(row['updated_at'])!,
  };
}

/**
 * The select list of the per-call export. `name` reads a JSON column's `name` in the dialect: only
 * the names leave the database, not whole documents parsed per row (a third of an export's CPU).
 * `time` writes an instant column as the ISO text the row carries (`YYYY-MM-DDTHH:mm:ss.sssZ`), so
 * no driver builds a `Date` per cell only to turn it back into text.
 */
export const callRowColumns = (
  name: (column: string) => string,
  time: (column: string) => string = (column) => column,
): string =>
  `c.id AS id, ${time('c.created_at')} AS created_at, c.title AS title, c.state AS state,
  ${name('c.agent')} AS agent_name, ${name('c.team')} AS team_name,
  ${time('c.claimed_at')} AS claimed_at, ${time('c.admitted_at')} AS admitted_at,
  ${name('c.admitted_by')} AS admitted_by_name, ${time('c.ended_at')} AS ended_at,
  ${time('c.updated_at')} AS updated_at, ${time('f.opened_at')} AS opened_at`;

/** Checks a page size. */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new RangeError(`Bad limit ${limit}`);
  }
  return limit;
}
