import { z } from 'zod';
import { APP_ERROR_CODES } from '../errors';

/** Every JSON error: a stable `code` to branch on and a human `message`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(APP_ERROR_CODES as [string, ...string[]]),
    message: z.string(),
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
