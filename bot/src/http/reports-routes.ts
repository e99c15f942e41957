import { once } from 'node:events';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import {
  AppError,
  ReportQuerySchema,
  authorizeReport,
  describeIssues,
  getCallHistory,
  getReport,
  instantsOfDays,
  localClock,
  scopeOf,
  type AgentPrincipal,
  type CallDeps,
  type CallRow,
  type LocalTime,
  type ReportDeps,
  type ReportQuery,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { requestLogger } from './request-id';
import type { AgentAuthenticator } from './agent-auth';
import { CSV_BOM, csvLine } from './csv';

/** What the reports API needs. */
export type ReportsRoutesOptions = {
  readonly deps: CallDeps;
  readonly reports: ReportDeps;
  readonly auth: AgentAuthenticator;
  readonly logger: Logger;
};

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 1000;

function parseQuery(input: unknown): ReportQuery {
  const result = ReportQuerySchema.safeParse(input);
  if (!result.success) throw new AppError('invalid-input', describeIssues(result.error));
  return result.data;
}

const principalOf = (res: Response): AgentPrincipal => res.locals['principal'] as AgentPrincipal;

type Clock = (ms: number) => LocalTime;

/** `YYYY-MM-DD HH:mm` in the report's zone (what a spreadsheet shows). */
function local(iso: string | undefined, clock: Clock): string | undefined {
  if (iso === undefined) return undefined;
  const t = clock(Date.parse(iso));
  return `${t.date} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

const secondsBetween = (from: string | undefined, to: string | undefined) =>
  from !== undefined && to !== undefined
    ? Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 1000))
    : undefined;

/** The columns of the per-call export, in order. */
export const CSV_HEADER = [
  'call_id',
  'created',
  'title',
  'team',
  'agent',
  'outcome',
  'opened',
  'arrived',
  'admitted',
  'admitted_by',
  'time_to_admit_s',
  'ended',
  'call_length_s',
] as const;

function csvRow(row: CallRow, clock: Clock): string {
  return csvLine([
    row.id,
    local(row.createdAt, clock),
    row.title,
    row.teamName,
    row.agentName,
    row.state,
    local(row.openedAt, clock),
    local(row.claimedAt, clock),
    local(row.admittedAt, clock),
    row.admittedByName,
    secondsBetween(row.claimedAt, row.admittedAt),
    local(row.endedAt, clock),
    secondsBetween(row.admittedAt, row.endedAt),
  ]);
}

/**
 * `GET /api/reports` (figures as JSON), `GET /api/reports.csv` (one row per call, streamed page by
 * page) and `GET /api/calls/:id/history` (a call's audit trail). Read-only; the same authorisation
 * rule as every other report surface.
 */
export function reportsRoutes(options: ReportsRoutesOptions): Router {
  const { deps, reports, auth, logger } = options;
  const router = express.Router();
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    res.locals['principal'] = await auth.authenticate({
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
    });
    next();
  };

  router.get('/reports', authenticate, async (req, res) => {
    res.json(await getReport(reports, principalOf(res), parseQuery(req.query)));
  });

  router.get('/reports.csv', authenticate, async (req, res) => {
    const query = parseQuery(req.query);
    const principal = principalOf(res);
    const scope = scopeOf(principal, query);
    await authorizeReport(reports, principal, scope);
    const range = instantsOfDays(query.from, query.to, query.timeZone);
    res
      .status(200)
      .set('Content-Type', 'text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', `attachment; filename="calls-${query.from}-${query.to}.csv"`);
    res.write(CSV_BOM + csvLine([...CSV_HEADER]));
    let after: { createdAt: string; id: string } | undefined;
    const clock = localClock(query.timeZone);
    try {
      for (;;) {
        const rows = await reports.reports.callRows({ scope, ...range, after, limit: PAGE });
        let chunk = '';
        for (const row of rows) chunk += csvRow(row, clock);
        // Back-pressure: the next page is read only when the client took this one.
        if (chunk && !res.write(chunk)) await once(res, 'drain');
        if (rows.length < PAGE || res.destroyed) break;
        const tail = rows[rows.length - 1]!;
        after = { createdAt: tail.createdAt, id: tail.id };
      }
      res.end();
    } catch (error) {
      // Headers are gone: the only honest signal left is a broken download.
      requestLogger(res, logger).error('CSV export failed mid-stream', errorFields(error));
      res.destroy();
    }
  });

  router.get('/calls/:id/history', authenticate, async (req, res) => {
    const id = String(req.params['id'] ?? '');
    if (!ID.test(id)) throw new AppError('not-found', 'Malformed call id');
    res.json(await getCallHistory(deps, principalOf(res), id.toLowerCase()));
  });

  return router;
}
