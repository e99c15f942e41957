/** Hides credentials in text that may quote a connection string (`postgres://user:secret@host`). */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/\s]*@/gi, '$1:***@')
    .replace(/\b(password|passwd|pwd)=[^&\s;]*/gi, '$1=***');
}

/**
 * One line naming why the start failed: every message and error code along the `cause` chain and
 * inside an `AggregateError` (pg reports "connection refused" to each address that way, with an
 * empty message), with credentials hidden.
 */
export function describeStartupError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  // Duck-typed, not `instanceof`: errors from another realm (a VM context, a worker) are errors too.
  const visit = (e: unknown, depth: number) => {
    if (depth > 5 || seen.has(e)) return;
    seen.add(e);
    if (typeof e === 'string') {
      parts.push(e);
      return;
    }
    if (typeof e !== 'object' || e === null) return;
    const { message, code, errors, cause } = e as {
      message?: unknown;
      code?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    const text = [
      typeof message === 'string' ? message : '',
      typeof code === 'string' ? `(${code})` : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (text) parts.push(text);
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
    if (cause !== undefined) visit(cause, depth + 1);
  };
  visit(error, 0);
  const unique = [...new Set(parts)];
  return redactSecrets(unique.length ? unique.join(': ') : 'unknown error');
}
