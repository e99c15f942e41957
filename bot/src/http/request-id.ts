import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { scoped, type Logger } from '../logger';

/** An id a caller (a proxy, Teams) may pass on: short and plain, or we make our own. */
const ACCEPTED = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * Gives every request a `request-id` (the caller's `request-id` / `x-request-id` when it is a plain
 * token, else a new UUID) and echoes it in the response header. The logger scoped to it is built by
 * {@link requestLogger} only when a line is written: most requests write none, and a child logger
 * per request was a visible share of the server's time under load.
 */
export function requestIds(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get('request-id') ?? req.get('x-request-id');
    const requestId = given && ACCEPTED.test(given) ? given : randomUUID();
    res.set('request-id', requestId);
    res.locals['requestId'] = requestId;
    res.locals['logger'] = logger;
    next();
  };
}

/** The request's logger (scoped to its `request-id`), further scoped to a call when one is named. */
export function requestLogger(res: Response, fallback: Logger, callId?: string): Logger {
  const logger = (res.locals['logger'] as Logger | undefined) ?? fallback;
  const requestId = res.locals['requestId'] as string | undefined;
  if (requestId === undefined) return callId ? scoped(logger, { callId }) : logger;
  return scoped(logger, callId ? { requestId, callId } : { requestId });
}
