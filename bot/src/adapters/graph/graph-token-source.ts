import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@shared';

/** Whose Graph token to get: the signed-in agent's (on-behalf-of) or the app's own. */
export type GraphTokenRequest = {
  /** The agent's SSO token. `undefined`: client credentials (application permissions). */
  readonly userAssertion?: string | undefined;
};

/** Hands out Graph access tokens. */
export interface GraphTokenSource {
  getToken(request: GraphTokenRequest): Promise<string>;
}

/** Settings of the Entra token endpoint. */
export type EntraTokenSourceOptions = {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The app's tenant (tokens are issued by it). */
  readonly tenantId: string;
  /** @default "https://login.microsoftonline.com" */
  readonly authorityHost?: string | undefined;
  /** @default "https://graph.microsoft.com/.default" */
  readonly scope?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
  readonly now?: (() => number) | undefined;
};

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});
const TokenErrorSchema = z
  .object({
    error: z.string(),
    error_description: z.string().optional(),
    error_codes: z.array(z.number()).optional(),
  })
  .partial();

type Cached = { readonly token: string; readonly expiresAt: number };

/** Refresh this long before Entra's expiry, so a token never dies in flight. */
const EARLY_REFRESH_MS = 5 * 60_000;
const MAX_CACHED_USERS = 500;

/**
 * Client credentials and on-behalf-of against the Entra v2 token endpoint, with the documented form
 * fields. Plain fetch, not MSAL/TeamsFx: `OnBehalfOfUserCredential` (MSAL) insists on an https
 * authority it can discover, so it cannot be pointed at a loopback fake.
 */
export class EntraTokenSource implements GraphTokenSource {
  private appToken: Cached | undefined;
  private readonly userTokens = new Map<string, Cached>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: EntraTokenSourceOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async getToken(request: GraphTokenRequest): Promise<string> {
    const now = this.now();
    if (!request.userAssertion) {
      if (this.appToken && this.appToken.expiresAt > now) return this.appToken.token;
      this.appToken = await this.requestToken({ grant_type: 'client_credentials' });
      return this.appToken.token;
    }
    // Keyed by a hash: the SSO token itself is a credential and is never kept as a map key.
    const key = createHash('sha256').update(request.userAssertion).digest('hex');
    const cached = this.userTokens.get(key);
    if (cached && cached.expiresAt > now) return cached.token;
    const fresh = await this.requestToken({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: request.userAssertion,
      requested_token_use: 'on_behalf_of',
    });
    if (this.userTokens.size >= MAX_CACHED_USERS) this.evictExpired(now);
    this.userTokens.set(key, fresh);
    return fresh.token;
  }

  private evictExpired(now: number): void {
    for (const [key, value] of this.userTokens)
      if (value.expiresAt <= now) this.userTokens.delete(key);
    if (this.userTokens.size >= MAX_CACHED_USERS) this.userTokens.clear();
  }

  private async requestToken(fields: Record<string, string>): Promise<Cached> {
    const host = (this.options.authorityHost ?? 'https://login.microsoftonline.com').replace(
      /\/+$/,
      '',
    );
    const url = `${host}/${encodeURIComponent(this.options.tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope: this.options.scope ?? 'https://graph.microsoft.com/.default',
      ...fields,
    });
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
      });
    } catch (error) {
      throw new AppError('upstream-unavailable', 'The Entra token endpoint did not answer', {
        cause: error,
      });
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw tokenError(response.status, json, fields['grant_type'] ?? '');
    const parsed = TokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        'upstream-unavailable',
        'The Entra token endpoint sent an unexpected answer',
        {
          cause: parsed.error,
        },
      );
    }
    return {
      token: parsed.data.access_token,
      expiresAt: this.now() + parsed.data.expires_in * 1000 - EARLY_REFRESH_MS,
    };
  }
}

function tokenError(status: number, json: unknown, grant: string): AppError {
  const parsed = TokenErrorSchema.safeParse(json);
  const error = parsed.success ? parsed.data : {};
  const cause = new Error(
    `Entra token endpoint ${status}: ${error.error ?? 'unknown'} ${error.error_description ?? ''}`.trim(),
  );
  const obo = grant !== 'client_credentials';
  // AADSTS65001: consent missing; interaction_required: MFA / conditional access for the OBO token.
  if (
    error.error === 'invalid_grant' ||
    error.error === 'interaction_required' ||
    error.error === 'consent_required'
  ) {
    return new AppError(
      'forbidden',
      obo
        ? 'Microsoft Graph access for this agent needs consent or sign-in (an admin must grant the app its delegated permissions)'
        : 'The app may not get a Graph token (check its secret and admin consent)',
      { cause },
    );
  }
  if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
    return new AppError(
      'forbidden',
      'The app credentials were refused by Entra (check AAD_APP_CLIENT_SECRET)',
      { cause },
    );
  }
  return new AppError(
    'upstream-unavailable',
    `Entra refused the ${obo ? 'on-behalf-of' : 'app'} token request`,
    { cause },
  );
}
