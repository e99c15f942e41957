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
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A logger writing JSON lines to stdout (info and below) and stderr (warn, error). */
export function createLogger(level: LogLevel, write = defaultWrite): Logger {
  const log = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
    if (ORDER[at] < ORDER[level]) return;
    write(at, JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function defaultWrite(level: Exclude<LogLevel, 'silent'>, line: string): void {
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** The safe part of an unknown error for a log line: its name, code and message, no stack of user data. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const requestId = upstreamRequestId(error);
    return {
      error: error.name,
      errorMessage: error.message,
      ...(typeof code === 'string' ? { errorCode: code } : {}),
      // Graph's `request-id`, which Microsoft support asks for.
      ...(requestId ? { upstreamRequestId: requestId } : {}),
    };
  }
  return { error: String(error) };
}

/** The first `requestId` along an error's `cause` chain (GraphHttpError carries Graph's). */
function upstreamRequestId(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const id = (current as { requestId?: unknown }).requestId;
    if (typeof id === 'string' && id) return id;
    current = current.cause;
  }
  return undefined;
}
