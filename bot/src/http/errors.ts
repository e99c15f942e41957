import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { AppError, type AppErrorCode, type ErrorBody } from '@shared';
import { errorFields, type Logger } from '../logger';
import { sendJson } from './plain-http';
import { requestLogger } from './request-id';

/** The HTTP status of every error code: the one place that maps codes to statuses. */
export const STATUS_OF = {
  'invalid-input': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'state-conflict': 409,
  'claimed-elsewhere': 409,
  'wrong-state': 409,
  'call-busy': 409,
  'session-replaced': 409,
  'out-of-order': 409,
  'too-early': 409,
  'link-dead': 410,
  'payload-too-large': 413,
  'rate-limited': 429,
  'upstream-unavailable': 503,
  internal: 500,
} as const satisfies Record<AppErrorCode, number>;

/** What an API caller reads: stable, safe, never the internal message. */
export const PUBLIC_MESSAGE = {
  'invalid-input': 'The request is not valid.',
  unauthorized: 'Sign-in is required.',
  forbidden: 'You are not allowed to do this.',
  'not-found': 'Not found.',
  'state-conflict': 'The call is no longer in a state that allows this.',
  'claimed-elsewhere': 'This link is already in use on another device.',
  'wrong-state': 'The call is not open for talking in its current state.',
  'call-busy': 'This call is already open in another window.',
  'session-replaced': 'This call was opened in another window.',
  'out-of-order': 'A message arrived out of order.',
  'too-early': 'This call has not opened yet.',
  'link-dead': 'This link can no longer be used.',
  'payload-too-large': 'The request body is too large.',
  'rate-limited': 'Too many attempts. Please wait and try again (see Retry-After).',
  'upstream-unavailable': 'A service we depend on is not answering. Please try again.',
  internal: 'Something went wrong on our side.',
} as const satisfies Record<AppErrorCode, string>;

/**
 * Turns anything thrown (AppError, body-parser, static-file and URI-decoding errors, bugs) into an
 * AppError: the one mapping of client mistakes. A library error that says it is the client's
 * (`expose` with a 4xx status, as `http-errors` makes them) is a 4xx; anything else is `internal`.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown };
  const type = e?.type;
  if (type === 'entity.too.large') {
    return new AppError('payload-too-large', 'Body over the limit', { cause: error });
  }
  if (
    type === 'entity.parse.failed' ||
    type === 'charset.unsupported' ||
    type === 'encoding.unsupported' ||
    type === 'parameters.too.many' ||
    type === 'request.aborted' ||
    type === 'request.size.invalid'
  ) {
    return new AppError('invalid-input', MALFORMED, { cause: error });
  }
  // Express's router throws a URIError (status 400) for a path with malformed percent-encoding.
  if (error instanceof URIError) return new AppError('invalid-input', MALFORMED, { cause: error });
  const status =
    typeof e?.status === 'number'
      ? e.status
      : typeof e?.statusCode === 'number'
        ? e.statusCode
        : undefined;
  if (status !== undefined && status >= 400 && status < 500 && e?.expose === true) {
    if (status === 404) return new AppError('not-found', 'No such file', { cause: error });
    if (status === 413) return new AppError('payload-too-large', 'Body over the limit');
    return new AppError('invalid-input', MALFORMED, { cause: error });
  }
  return new AppError('internal', 'Unexpected error', { cause: error });
}

const MALFORMED = 'Malformed body';

/** True for the codes that mean our fault (logged as errors); every other code is the caller's. */
export const isServerFault = (error: AppError): boolean => STATUS_OF[error.code] >= 500;

/** `Retry-After` for a refusal that says when to come back (`details.retryAfterSeconds`). */
export function setRetryAfter(res: ServerResponse, error: AppError): void {
  const seconds = error.details?.['retryAfterSeconds'];
  if (typeof seconds === 'number' && Number.isFinite(seconds)) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(seconds))));
  }
}

/** The JSON body of an error. Validation details are safe (they describe the caller's own input). */
export function errorBody(error: AppError): ErrorBody {
  const message =
    error.code === 'invalid-input' && error.message !== MALFORMED
      ? `The request is not valid: ${error.message}`
      : PUBLIC_MESSAGE[error.code];
  return {
    error: {
      code: error.code,
      message,
      ...(error.details && error.code !== 'internal' ? { details: { ...error.details } } : {}),
    },
  };
}

/**
 * Answers a failed API request with its JSON error. Server faults are logged as errors with the
 * whole error (stack, causes, Graph's request ids); a client mistake is logged at debug level
 * only. No request data reaches the log.
 */
export function sendJsonError(
  res: ServerResponse,
  raw: unknown,
  logger: Logger,
  where: {
    readonly method: string | undefined;
    readonly route?: string | undefined;
    readonly callId?: string | undefined;
  },
): void {
  const error = toAppError(raw);
  const fields = { method: where.method, route: where.route, code: error.code };
  const log = requestLogger(res, logger, where.callId);
  if (isServerFault(error)) log.error('request failed', { ...fields, ...errorFields(error) });
  else log.debug('request refused', fields);
  setRetryAfter(res, error);
  res.setHeader('Cache-Control', 'no-store');
  sendJson(res, STATUS_OF[error.code], errorBody(error));
}

/**
 * {@link sendJsonError} outside Express: a response already under way (an event stream) can only
 * be cut off.
 */
export function failRequest(
  res: ServerResponse,
  raw: unknown,
  logger: Logger,
  where: Parameters<typeof sendJsonError>[3],
): void {
  if (res.headersSent) res.destroy();
  else sendJsonError(res, raw, logger, where);
}

/** {@link sendJsonError} as Express's error handler (for `/api`, and the last one of the app). */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (raw: unknown, req, res, next) => {
    if (res.headersSent) {
      next(raw);
      return;
    }
    sendJsonError(res, raw, logger, {
      method: req.method,
      route: req.route ? String((req.route as { path?: unknown }).path) : undefined,
      callId: typeof req.params['id'] === 'string' ? req.params['id'] : undefined,
    });
  };
}
