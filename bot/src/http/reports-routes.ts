import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import {
  AppError,
  ReportQuerySchema,
  authorizeReport,
  describeIssues,
  getCallHistory,
  getReport,
  instantsOfDays,
  localMinuteFormatter,
  scopeOf,
  type AgentPrincipal,
  type CallDeps,
  type CallRow,
  type ReportDeps,
  type ReportQuery,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { drainedOrClosed } from './back-pressure';
import { requestLogger } from './request-id';
import type { AgentAuthenticator } from './agent-auth';
import { agentOf } from './agent-routes';
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

type Format = (ms: number) => string;

/** Milliseconds of an optional ISO instant. */
const msOf = (iso: string | undefined): number | undefined =>
  iso === undefined ? undefined : Date.parse(iso);

/** `YYYY-MM-DD HH:mm` in the report's zone (what a spreadsheet shows). */
const local = (ms: number | undefined, format: Format): string | undefined =>
  ms === undefined ? undefined : format(ms);

const secondsBetween = (from: number | undefined, to: number | undefined) =>
  from !== undefined && to !== undefined ? Math.max(0, Math.floor((to - from) / 1000)) : undefined;

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

function csvRow(row: CallRow, format: Format): string {
  // Each instant is parsed once and serves both its cell and the durations.
  const claimed = msOf(row.claimedAt);
  const admitted = msOf(row.admittedAt);
  const ended = msOf(row.endedAt);
  return csvLine([
    row.id,
    local(Date.parse(row.createdAt), format),
    row.title,
    row.teamName,
    row.agentName,
    row.state,
    local(msOf(row.openedAt), format),
    local(claimed, format),
    local(admitted, format),
    row.admittedByName,
    secondsBetween(claimed, admitted),
    local(ended, format),
    secondsBetween(admitted, ended),
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
    res.locals['principal'] = await agentOf(req, res, auth);
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
    const format = localMinuteFormatter(query.timeZone);
    const page = (after?: { createdAt: string; id: string }) =>
      reports.reports.callRows({ scope, ...range, after, limit: PAGE });
    let next: Promise<CallRow[]> | undefined = page();
    try {
      while (next) {
        const rows: CallRow[] = await next;
        // The next page is asked for before this one is formatted and written, so the database
        // reads while Node formats (PostgreSQL; SQLite answers at once either way).
        const tail: CallRow | undefined = rows.length === PAGE ? rows[rows.length - 1] : undefined;
        next = tail ? page({ createdAt: tail.createdAt, id: tail.id }) : undefined;
        let chunk = '';
        for (const row of rows) chunk += csvRow(row, format);
        // Back-pressure: at most one page waits in memory while the client takes this one; a client
        // gone mid-download closes the response instead of draining it, which must end the wait.
        if (chunk && !res.write(chunk)) await drainedOrClosed(res);
        if (res.destroyed) {
          void next?.catch(() => undefined);
          break;
        }
      }
      res.end();
    } catch (error) {
      // A page asked for ahead and no longer wanted may fail too: nobody waits for it.
      void next?.catch(() => undefined);
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
