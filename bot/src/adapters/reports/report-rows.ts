import {
  REPORT_COUNT_KEYS,
  addContribution,
  contributionOf,
  emptyBucket,
  type CallEventType,
  type CallRow,
  type CallState,
  type HourBucket,
  type MutableBucket,
  type ReportCounts,
  type ReportEventRow,
  type ReportScope,
} from '@shared';

// What the SQLite and PostgreSQL report stores share: column names, scope keys and how raw rows are
// turned into buckets. The SQL dialects differ; the meaning may not.

/** Column of each count in `report_hourly`. */
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

/** A `report_hourly` row as a bucket. */
export function toBucket(row: Row, time: Time): HourBucket {
  const counts = Object.fromEntries(
    REPORT_COUNT_KEYS.map((k) => [k, Number(row[COUNT_COLUMNS[k]] ?? 0)]),
  ) as unknown as ReportCounts;
  return {
    hour: time(row['hour'])!,
    counts,
    wait: parseHistogram(row['wait']),
    length: parseHistogram(row['length']),
  };
}

function parseHistogram(value: unknown): Record<number, number> {
  if (value === null || value === undefined) return {};
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<number, number>;
}

/** Sums contributions per `(scope key, hour)` in memory before they are written. */
export class BucketAccumulator {
  readonly buckets = new Map<string, { scope: string; bucket: MutableBucket }>();

  /** Adds what the event contributes to each scope it counts in. */
  add(row: ReportEventRow): void {
    const c = contributionOf(row);
    if (!c) return;
    for (const scope of scopeKeysOf(row)) {
      const key = `${scope}\u0000${c.hour}`;
      let entry = this.buckets.get(key);
      if (!entry) {
        entry = { scope, bucket: emptyBucket(c.hour) };
        this.buckets.set(key, entry);
      }
      addContribution(entry.bucket, c);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes every bucket out, leaving the accumulator empty. */
  drain(): { scope: string; bucket: MutableBucket }[] {
    const all = [...this.buckets.values()];
    this.buckets.clear();
    return all;
  }
}

/** A per-call export row from SQL (`agent`, `team`, `admitted_by` are JSON). */
export function toCallRow(row: Row, time: Time, json: (v: unknown) => unknown): CallRow {
  const agent = json(row['agent']) as { name: string };
  const team = row['team'] === null ? undefined : (json(row['team']) as { name: string });
  const by =
    row['admitted_by'] === null ? undefined : (json(row['admitted_by']) as { name: string });
  return {
    id: row['id'] as string,
    createdAt: time(row['created_at'])!,
    title: row['title'] as string,
    state: row['state'] as string,
    agentName: agent.name,
    teamName: team?.name,
    openedAt: time(row['opened_at']),
    claimedAt: time(row['claimed_at']),
    admittedAt: time(row['admitted_at']),
    admittedByName: by?.name,
    endedAt: time(row['ended_at']),
    updatedAt: time(row['updated_at'])!,
  };
}

/** The select list of the per-call export. */
export const CALL_ROW_COLUMNS = `c.id AS id, c.created_at AS created_at, c.title AS title,
  c.state AS state, c.agent AS agent, c.team AS team, c.claimed_at AS claimed_at,
  c.admitted_at AS admitted_at, c.admitted_by AS admitted_by, c.ended_at AS ended_at,
  c.updated_at AS updated_at, f.opened_at AS opened_at`;

/** Merges two histograms into a new one. */
export function mergedHistogram(
  a: Record<number, number>,
  b: Record<number, number>,
): Record<number, number> {
  const out: Record<number, number> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const key = Number(k);
    out[key] = (out[key] ?? 0) + v;
  }
  return out;
}

/** Checks a page size. */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new RangeError(`Bad limit ${limit}`);
  }
  return limit;
}
