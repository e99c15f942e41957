import type { ErrorRequestHandler } from 'express';
import { AppError, type AppErrorCode, type ErrorBody } from '@shared';
import { errorFields, type Logger } from '../logger';

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
  'rate-limited': 'Too many attempts. Please wait a minute.',
  'upstream-unavailable': 'A service we depend on is not answering. Please try again.',
  internal: 'Something went wrong on our side.',
} as const satisfies Record<AppErrorCode, string>;

/** Turns anything thrown (AppError, body-parser errors, bugs) into an AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const type = (error as { type?: unknown } | undefined)?.type;
  if (type === 'entity.too.large') {
    return new AppError('payload-too-large', 'Body over the limit', { cause: error });
  }
  if (
    type === 'entity.parse.failed' ||
    type === 'charset.unsupported' ||
    type === 'encoding.unsupported'
  ) {
    return new AppError('invalid-input', 'Malformed body', { cause: error });
  }
  const status = (error as { status?: unknown } | undefined)?.status;
  if (status === 415)
    return new AppError('invalid-input', 'Unsupported media type', { cause: error });
  return new AppError('internal', 'Unexpected error', { cause: error });
}

/** The JSON body of an error. Validation details are safe (they describe the caller's own input). */
export function errorBody(error: AppError): ErrorBody {
  const message =
    error.code === 'invalid-input' && error.message !== 'Malformed body'
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

/** The JSON error handler for `/api`. Bugs are logged (no request data); callers see the code. */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (raw: unknown, req, res, next) => {
    if (res.headersSent) {
      next(raw);
      return;
    }
    const error = toAppError(raw);
    if (error.code === 'internal' || error.code === 'upstream-unavailable') {
      logger.error('request failed', {
        method: req.method,
        route: req.route ? String((req.route as { path?: unknown }).path) : undefined,
        ...errorFields(error.cause ?? error),
      });
    }
    res.status(STATUS_OF[error.code]).json(errorBody(error));
  };
}
