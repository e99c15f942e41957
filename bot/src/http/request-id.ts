import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { scoped, type Logger } from '../logger';

/** An id a caller (a proxy, Teams) may pass on: short and plain, or we make our own. */
const ACCEPTED = /^[A-Za-z0-9._:-]{8,64}$/;

type Scope = { readonly requestId: string; readonly logger: Logger };

/** Each response's request id and logger; kept off the response object, so plain Node works too. */
const scopes = new WeakMap<ServerResponse, Scope>();

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Gives a request its `request-id` (the caller's `request-id` / `x-request-id` when it is a plain
 * token, else a new UUID) and echoes it in the response header. The logger scoped to it is built
 * by {@link requestLogger} only when a line is written: most requests write none, and a child
 * logger per request was a visible share of the server's time under load.
 */
export function assignRequestId(req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  const given = firstHeader(req.headers['request-id']) ?? firstHeader(req.headers['x-request-id']);
  const requestId = given !== undefined && ACCEPTED.test(given) ? given : randomUUID();
  res.setHeader('request-id', requestId);
  scopes.set(res, { requestId, logger });
}

/** {@link assignRequestId} as Express middleware. */
export function requestIds(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    assignRequestId(req, res, logger);
    next();
  };
}

/** The request's logger (scoped to its `request-id`), further scoped to a call when one is named. */
export function requestLogger(res: ServerResponse, fallback: Logger, callId?: string): Logger {
  const scope = scopes.get(res);
  if (scope === undefined) return callId ? scoped(fallback, { callId }) : fallback;
  const { requestId, logger } = scope;
  return scoped(logger, callId ? { requestId, callId } : { requestId });
}
