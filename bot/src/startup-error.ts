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
  const visit = (e: unknown, depth: number) => {
    if (depth > 5 || seen.has(e)) return;
    seen.add(e);
    if (!(e instanceof Error)) {
      if (typeof e === 'string' || typeof e === 'number') parts.push(String(e));
      return;
    }
    const code = (e as { code?: unknown }).code;
    const text = [e.message, typeof code === 'string' ? `(${code})` : ''].filter(Boolean).join(' ');
    if (text) parts.push(text);
    if (e instanceof AggregateError) for (const inner of e.errors) visit(inner, depth + 1);
    if (e.cause !== undefined) visit(e.cause, depth + 1);
  };
  visit(error, 0);
  const unique = [...new Set(parts)];
  return redactSecrets(unique.length ? unique.join(': ') : 'unknown error');
}
