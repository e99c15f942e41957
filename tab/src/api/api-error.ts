import type { AppErrorCode, CallState, FieldIssue } from '@shared';

/** Why a request failed: the server's stable code, or what went wrong before one arrived. */
export type ApiErrorCode = AppErrorCode | 'network' | 'bad-response';

/** A failed request. The tab shows localized text per `code`; `message` is for the console only. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number | undefined,
    /** For `state-conflict`: the call's current state. */
    readonly state?: CallState | undefined,
    options?: ErrorOptions & { readonly fields?: readonly FieldIssue[] | undefined },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.fields = options?.fields ?? [];
  }
  /** For `invalid-input`: which request fields the server refused, and why. */
  readonly fields: readonly FieldIssue[];
}

/** The refused fields of anything thrown by the API client (none unless it was `invalid-input`). */
export const fieldsOf = (error: unknown): readonly FieldIssue[] =>
  error instanceof ApiError ? error.fields : [];

/** The error code of anything thrown by the API client (`internal` for a bug). */
export const errorCodeOf = (error: unknown): ApiErrorCode =>
  error instanceof ApiError ? error.code : 'internal';
