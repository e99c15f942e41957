import { Pool, type PoolConfig } from 'pg';
import { AppError, isAppError } from '@shared';
import { quoteIdent } from './migrations';

/** Options of {@link createPostgresPool}. */
export type PostgresPoolOptions = {
  /**
   * Schema for every table (created by the migrations when missing); every pooled connection gets it
   * as its `search_path`. Tests use a fresh one each. @default the server's search_path ("public")
   */
  readonly schema?: string | undefined;
  /** Most connections this pool opens. @default 10 */
  readonly max?: number | undefined;
  /** Shown in `pg_stat_activity`. @default "one-time-call" */
  readonly applicationName?: string | undefined;
  /** Errors of idle pooled connections (the server restarted, the network dropped). @default ignored */
  readonly onBackgroundError?: ((error: Error) => void) | undefined;
};

/** A `pg` pool set up the way every PostgreSQL adapter of this app expects. */
export function createPostgresPool(
  connectionString: string,
  options: PostgresPoolOptions = {},
): Pool {
  const config: PoolConfig = {
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'one-time-call',
  };
  if (options.schema !== undefined) config.options = `-c search_path=${quoteIdent(options.schema)}`;
  const pool = new Pool(config);
  // Without a listener an idle client's error would crash the process; the next query reconnects.
  pool.on('error', (error) => options.onBackgroundError?.(error));
  return pool;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '3D000', // invalid_catalog_name: the database does not exist
]);

const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|connection terminated|cannot use a pool after calling end|client has encountered a connection error|not queryable/i;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `error` says the database could not be reached or dropped the connection. */
export function isUnreachable(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * A driver error as an AppError (keeping the cause): unreachable → `upstream-unavailable`, a unique
 * key taken → `state-conflict`, anything else → `internal`. AppErrors pass through.
 */
export function translatePgError(error: unknown, message: string): AppError {
  if (isAppError(error)) return error;
  if (isUnreachable(error)) return new AppError('upstream-unavailable', message, { cause: error });
  if (codeOf(error) === '23505') {
    return new AppError('state-conflict', `${message}: the key is taken`, { cause: error });
  }
  return new AppError('internal', message, { cause: error });
}
