import { z } from 'zod';
import { APP_ERROR_CODES } from '../errors';

/**
 * One bad field of an `invalid-input` error, in `details.fields`: `field` is the dotted path in the
 * request (`startsAt`, `team.id`; `body` for the body as a whole), `reason` a stable word (zod's
 * issue code such as `too_big`, or the core's own such as `ends-in-past`) a client maps to its text.
 */
export const FieldIssueSchema = z.object({ field: z.string(), reason: z.string() });
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** The `details.fields` of a zod failure: one entry per issue, in zod's order. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : 'body',
    reason: issue.code,
  }));
}

/** Every JSON error: a stable `code` to branch on and a human `message`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(APP_ERROR_CODES as [string, ...string[]]),
    message: z.string(),
    /** Safe facts: `state` on a conflict, `fields` (see `FieldIssueSchema`) on `invalid-input`. */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Turns a zod failure into one readable line: `title: must not be empty; durationMinutes: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
