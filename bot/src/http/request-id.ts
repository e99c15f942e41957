import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { scoped, type Logger } from '../logger';

/** An id a caller (a proxy, Teams) may pass on: short and plain, or we make our own. */
const ACCEPTED = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * Gives every request a `request-id` (the caller's `request-id` / `x-request-id` when it is a plain
 * token, else a new UUID), echoes it in the response header, and puts a logger scoped to it in
 * `res.locals.logger`, so each line of one request can be found together.
 */
export function requestIds(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get('request-id') ?? req.get('x-request-id');
    const requestId = given && ACCEPTED.test(given) ? given : randomUUID();
    res.set('request-id', requestId);
    res.locals['logger'] = scoped(logger, { requestId });
    next();
  };
}

/** The request's logger (scoped to its `request-id`), further scoped to a call when one is named. */
export function requestLogger(res: Response, fallback: Logger, callId?: string): Logger {
  const logger = (res.locals['logger'] as Logger | undefined) ?? fallback;
  return callId ? scoped(logger, { callId }) : logger;
}
