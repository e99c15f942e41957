import { z } from 'zod';
import { REPORT_COUNT_KEYS, daysBetween, type ReportCounts } from '../domain/report';
import { isTimeZone } from './calls';

/** The longest report range in days (a little more than a year, within the roll-ups' retention). */
export const REPORT_MAX_DAYS = 400;

const DATE = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'must be a real calendar date',
    },
  );

/**
 * `GET /api/reports` and `/api/reports.csv` query. `scope=me` (default) is the caller's own calls,
 * `team` needs `teamId`, `org` is everybody's; `agentId` asks for an agent's figures (only one's own
 * are allowed). Dates are inclusive local days in `timeZone`.
 */
export const ReportQuerySchema = z
  .strictObject({
    scope: z.enum(['me', 'agent', 'team', 'org']).default('me'),
    agentId: z.string().min(1).max(200).optional(),
    teamId: z.string().min(1).max(200).optional(),
    from: DATE,
    to: DATE,
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, { message: 'must be an IANA time zone' })
      .default('UTC'),
    targetSeconds: z.coerce.number().int().min(1).max(3600).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.scope === 'team' && !q.teamId)
      ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'required when scope is team' });
    if (q.scope === 'agent' && !q.agentId)
      ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'required when scope is agent' });
    if (q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (daysBetween(q.from, q.to) > REPORT_MAX_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range must be at most ${REPORT_MAX_DAYS} days`,
      });
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

const count = z.number().int().min(0);
const countsShape = Object.fromEntries(REPORT_COUNT_KEYS.map((k) => [k, count])) as Record<
  keyof ReportCounts,
  typeof count
>;
/** The counts of a report or a day. */
export const ReportCountsSchema = z.object(countsShape);

/** p50/p90/max in whole seconds; absent when nothing was measured. */
export const DurationSummarySchema = z.object({
  count,
  p50: z.number().optional(),
  p90: z.number().optional(),
  max: z.number().optional(),
  withinTarget: z.number().min(0).max(1).optional(),
});

/** The figures of one scope over a range of local days. */
export const ReportSchema = z.object({
  scope: z.object({ kind: z.enum(['agent', 'team', 'org']), id: z.string().optional() }),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  targetSeconds: z.number(),
  totals: ReportCountsSchema,
  timeToAdmit: DurationSummarySchema,
  callLength: DurationSummarySchema,
  /** Share (0…1) of the team's answered lobby cards answered only after escalation; team scope. */
  escalationShare: z.number().min(0).max(1).nullable().optional(),
  days: z.array(z.object({ date: z.string(), counts: ReportCountsSchema })),
  /** Arrivals by local weekday (0 = Monday) × hour (0–23). */
  heatMap: z.array(z.array(count)),
  /** Time to admit in bands; `toSeconds` absent for the last, open band. */
  waitDistribution: z.array(
    z.object({ fromSeconds: z.number(), toSeconds: z.number().optional(), count }),
  ),
});
export type Report = z.infer<typeof ReportSchema>;

/** Who did something, as the audit trail names them. */
export const HistoryActorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), name: z.string() }),
  z.object({ kind: z.literal('customer') }),
  z.object({ kind: z.literal('system'), reason: z.string() }),
]);

/** `GET /api/calls/:id/history`: what happened, when, by whom. */
export const CallHistoryResponseSchema = z.object({
  callId: z.string(),
  entries: z.array(
    z.object({
      at: z.string(),
      type: z.string(),
      fromState: z.string().optional(),
      toState: z.string(),
      actor: HistoryActorSchema,
      /** English one-line label of the actor: the agent's name, "customer" or "system: expired". */
      by: z.string(),
    }),
  ),
});
export type CallHistoryResponse = z.infer<typeof CallHistoryResponseSchema>;
