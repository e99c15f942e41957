/**
 * Every failure the core anticipates. Callers branch on `code`, never on the message.
 * - `invalid-input`: a request, form, card action or setting failed validation.
 * - `unauthorized`: no valid identity came with the request.
 * - `forbidden`: the identity may not do this (wrong agent, tenant or group).
 * - `not-found`: no such call or link (also used for codes that never existed).
 * - `state-conflict`: the call's state does not allow the action (two clicks, stale card).
 * - `link-dead`: the link ended, expired, was revoked or declined (HTTP 410).
 * - `claimed-elsewhere`: another browser claimed the link first.
 * - `wrong-state`: the browser call's signalling is refused in this call state (not admitted/in call).
 * - `call-busy`: the call is already open in another window (the seat is held by a live session).
 * - `session-replaced`: this window's session was superseded by another window (a stale tab).
 * - `out-of-order`: a signalling message's `seq` is not above the session's last one.
 * - `too-early`: the customer came long before the call's start; nothing changed.
 * - `rate-limited`: too many failed guesses from one address.
 * - `payload-too-large`: a body over the size limit.
 * - `upstream-unavailable`: Graph, the Bot Connector or the database did not answer.
 * - `internal`: a bug; the edge shows a generic message.
 */
export type AppErrorCode =
  | 'invalid-input'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'state-conflict'
  | 'link-dead'
  | 'claimed-elsewhere'
  | 'wrong-state'
  | 'call-busy'
  | 'session-replaced'
  | 'out-of-order'
  | 'too-early'
  | 'rate-limited'
  | 'payload-too-large'
  | 'upstream-unavailable'
  | 'internal';

/** Every code, for exhaustive tables at the edges. */
export const APP_ERROR_CODES: readonly AppErrorCode[] = [
  'invalid-input',
  'unauthorized',
  'forbidden',
  'not-found',
  'state-conflict',
  'link-dead',
  'claimed-elsewhere',
  'wrong-state',
  'call-busy',
  'session-replaced',
  'out-of-order',
  'too-early',
  'rate-limited',
  'payload-too-large',
  'upstream-unavailable',
  'internal',
];

/** A failure the core anticipates. `message` is for logs, never for users; `details` may be shown. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: ErrorOptions & { readonly details?: Readonly<Record<string, unknown>> },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.details = options?.details;
  }
  /** Extra facts safe to return to the caller (for example the call's current state on a conflict). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

/** True for an AppError with one of the given codes. */
export function isAppError(error: unknown, ...codes: AppErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}
