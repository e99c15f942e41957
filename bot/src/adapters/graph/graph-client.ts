import { z } from 'zod';
import { AppError } from '@shared';
import type { GraphTokenRequest, GraphTokenSource } from './graph-token-source';

/** Settings of the small Graph HTTP client. */
export type GraphClientOptions = {
  readonly tokens: GraphTokenSource;
  /** @default "https://graph.microsoft.com/v1.0" */
  readonly baseUrl?: string | undefined;
  /** Retries after a 429 or 5xx. @default 3 */
  readonly maxRetries?: number | undefined;
  /** The longest `Retry-After` honoured; longer waits give up at once. @default 30000 */
  readonly maxRetryAfterMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Waits between retries; tests record instead of sleeping. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly now?: (() => number) | undefined;
};

/** One Graph call. */
export type GraphRequest = {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the base URL, starting with `/`, segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly body?: unknown;
  readonly as: GraphTokenRequest;
  /** What the call does, for error messages ("create the calendar event"). */
  readonly what: string;
};

/** A Graph error answer, kept as the `cause` of the AppError the caller sees. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly graphCode: string | undefined,
    message: string,
    readonly requestId: string | undefined,
    /** Graph's echo of our `client-request-id`, for a support case with Microsoft. */
    readonly clientRequestId?: string | undefined,
    /** Graph's `Retry-After` (429/503), for a caller that retries later (the meeting-sync outbox). */
    readonly retryAfterMs?: number | undefined,
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

const GraphErrorSchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).partial(),
});

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * fetch + bearer token + JSON, with bounded retries on 429 (honouring `Retry-After`) and 5xx
 * (exponential backoff). Errors become `AppError`: 403 `forbidden`, 404 `not-found`, everything else
 * `upstream-unavailable`; the Graph answer is the `cause`.
 */
export class GraphClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: GraphClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /** The Graph root requests go to (`…/v1.0`), for `@odata.bind` references. */
  get root(): string {
    return this.baseUrl;
  }

  /** Sends the request; resolves the parsed JSON body, or `undefined` for an empty answer (202/204). */
  async send(request: GraphRequest): Promise<unknown> {
    let token = await this.options.tokens.getToken(request.as);
    const url = new URL(this.baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const maxRetries = this.options.maxRetries ?? 3;
    let claimsAnswered = false;

    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method: request.method,
          headers,
          ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        });
      } catch (error) {
        if (attempt < maxRetries) {
          await this.sleep(backoffMs(attempt));
          continue;
        }
        throw new AppError(
          'upstream-unavailable',
          `Microsoft Graph did not answer (${request.what})`,
          { cause: error },
        );
      }
      if (response.ok) {
        const text = await response.text();
        return text ? (JSON.parse(text) as unknown) : undefined;
      }
      // A claims challenge (continuous access evaluation): one retry with a token carrying the claims.
      const claims =
        response.status === 401 && !claimsAnswered
          ? claimsChallenge(response.headers.get('www-authenticate'))
          : undefined;
      if (claims !== undefined) {
        claimsAnswered = true;
        await response.body?.cancel();
        token = await this.options.tokens.getToken({ ...request.as, claims });
        headers['authorization'] = `Bearer ${token}`;
        attempt -= 1;
        continue;
      }
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < maxRetries) {
        const wait = this.retryDelay(response, attempt);
        if (wait !== undefined) {
          await response.body?.cancel();
          await this.sleep(wait);
          continue;
        }
      }
      throw await this.toAppError(response, request.what);
    }
  }

  /** The wait before the next try; `undefined` when Graph asks for longer than we are willing to wait. */
  private retryDelay(response: Response, attempt: number): number | undefined {
    const header = response.headers.get('retry-after');
    if (header === null) return backoffMs(attempt);
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - this.now();
    if (!Number.isFinite(ms)) return backoffMs(attempt);
    const wait = Math.max(0, ms);
    return wait > (this.options.maxRetryAfterMs ?? 30_000) ? undefined : wait;
  }

  private async toAppError(response: Response, what: string): Promise<AppError> {
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = GraphErrorSchema.safeParse(json);
    const graphCode = parsed.success ? parsed.data.error.code : undefined;
    const graphMessage = parsed.success ? parsed.data.error.message : undefined;
    const retryAfter = response.headers.get('retry-after');
    const retryAfterSeconds = retryAfter === null ? NaN : Number(retryAfter);
    const retryAfterMs = Number.isFinite(retryAfterSeconds)
      ? retryAfterSeconds * 1000
      : retryAfter !== null && Number.isFinite(Date.parse(retryAfter))
        ? Math.max(0, Date.parse(retryAfter) - this.now())
        : undefined;
    const cause = new GraphHttpError(
      response.status,
      graphCode,
      `Graph ${response.status} ${graphCode ?? ''}: ${graphMessage ?? response.statusText}`,
      response.headers.get('request-id') ?? undefined,
      response.headers.get('client-request-id') ?? undefined,
      retryAfterMs,
    );
    switch (response.status) {
      case 403:
        return new AppError(
          'forbidden',
          `Microsoft Graph refused to ${what} (403 ${graphCode ?? 'Forbidden'}). The app is missing a Graph ` +
            'permission or admin consent, or, for application permissions on online meetings, the Teams ' +
            'application access policy (New-CsApplicationAccessPolicy / Grant-CsApplicationAccessPolicy) for this user',
          { cause },
        );
      case 404:
        return new AppError('not-found', `Microsoft Graph found nothing to ${what}`, { cause });
      default:
        return new AppError(
          'upstream-unavailable',
          `Microsoft Graph could not ${what} (${response.status})`,
          { cause },
        );
    }
  }
}

/**
 * The claims of a `WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64 JSON>"`
 * challenge, decoded to the JSON MSAL takes; `undefined` when the header carries none.
 */
export function claimsChallenge(header: string | null): string | undefined {
  const raw = header ? /\bclaims="([^"]+)"/i.exec(header)?.[1] : undefined;
  if (!raw) return undefined;
  return Buffer.from(raw, 'base64').toString('utf8');
}

/** 0.5 s, 1 s, 2 s, … capped at 8 s. */
const backoffMs = (attempt: number) => Math.min(8000, 500 * 2 ** attempt);
