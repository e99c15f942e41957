import pino from 'pino';

/** Levels in increasing severity; `silent` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Facts attached to a log line. Never put customer names, link codes, claim tokens or bearer tokens here. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured, one JSON object per line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` (`requestId`, `callId`) to every line. */
  child?(fields: LogFields): Logger;
}

/**
 * Field names whose values never reach a log line, whoever passes them by mistake: customer names,
 * link codes, claim and bearer tokens, cookies, secrets. pino replaces the value with "[redacted]".
 */
export const REDACTED_FIELDS: readonly string[] = [
  'name',
  'customerName',
  'displayName',
  'linkCode',
  'token',
  'claimToken',
  'accessToken',
  'idToken',
  'authorization',
  'cookie',
  'setCookie',
  'password',
  'secret',
  'clientSecret',
];

/** Scopes `logger` to `fields` (its own `child` when it has one). */
export function scoped(logger: Logger, fields: LogFields): Logger {
  if (logger.child) return logger.child(fields);
  const add =
    (log: (message: string, more?: LogFields) => void) => (message: string, more?: LogFields) =>
      log(message, { ...fields, ...more });
  return {
    debug: add((m, f) => logger.debug(m, f)),
    info: add((m, f) => logger.info(m, f)),
    warn: add((m, f) => logger.warn(m, f)),
    error: add((m, f) => logger.error(m, f)),
  };
}

type Write = (level: Exclude<LogLevel, 'silent'>, line: string) => void;

/**
 * A pino logger writing JSON lines (`time`, `level`, `message`, fields) to stdout (info and below)
 * and stderr (warn, error), or to `write` (tests). Keys in {@link REDACTED_FIELDS} are redacted at
 * any depth of one level, and link paths (`/j/<code>`) in texts are cut to `/j/…`.
 */
export function createLogger(level: LogLevel, write: Write = defaultWrite): Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]);
  const base = pino(
    {
      level,
      base: undefined,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths, censor: '[redacted]' },
    },
    {
      write(line: string) {
        const at = /"level":"(\w+)"/.exec(line)?.[1] as Exclude<LogLevel, 'silent'> | undefined;
        write(at ?? 'info', line.endsWith('\n') ? line.slice(0, -1) : line);
      },
    },
  );
  return wrap(base);
}

function wrap(p: pino.Logger): Logger {
  const log =
    (at: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields?: LogFields): void => {
      if (!p.isLevelEnabled(at)) return;
      p[at](scrubFields(fields) ?? {}, scrubText(message));
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => wrap(p.child(scrubFields(fields) ?? {})),
  };
}

/** Link paths in free text (messages, stacks): the code is the secret. */
const scrubText = (text: string): string => text.replace(/\/j\/[A-Za-z0-9_-]+/g, '/j/…');

function scrubFields(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields;
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? scrubText(v) : v;
  return out;
}

function defaultWrite(level: Exclude<LogLevel, 'silent'>, line: string): void {
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

/**
 * What diagnoses an error on a log line: name, code, message, stack, the chain of causes, and
 * Microsoft Graph's `request-id` / `client-request-id` when a Graph answer is in the chain.
 */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  const fields: Record<string, string | undefined> = {
    error: error.name,
    errorMessage: error.message,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    stack: error.stack,
  };
  const causes: string[] = [];
  const seen = new Set<unknown>([error]);
  for (let c: unknown = error; c instanceof Error;) {
    const ids = c as { requestId?: unknown; clientRequestId?: unknown };
    if (typeof ids.requestId === 'string') fields['graphRequestId'] ??= ids.requestId;
    if (typeof ids.clientRequestId === 'string') {
      fields['graphClientRequestId'] ??= ids.clientRequestId;
    }
    const next: unknown = c.cause;
    if (next === undefined || seen.has(next)) break;
    seen.add(next);
    causes.push(
      next instanceof Error
        ? `${next.name}: ${next.message}`
        : typeof next === 'string'
          ? next
          : 'a non-error cause',
    );
    c = next;
  }
  if (causes.length > 0) fields['cause'] = causes.join(' <- ');
  return fields;
}
