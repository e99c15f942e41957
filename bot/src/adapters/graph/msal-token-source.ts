import { request as httpsRequest, Agent } from 'node:https';
import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { AppError } from '@shared';
import type { GraphTokenRequest, GraphTokenSource } from './graph-token-source';

/** Settings of the MSAL confidential client. */
export type MsalTokenSourceOptions = {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The app's tenant (tokens are issued by it). */
  readonly tenantId: string;
  /** An https origin. @default "https://login.microsoftonline.com" */
  readonly authorityHost?: string | undefined;
  /** @default "https://graph.microsoft.com/.default" */
  readonly scope?: string | undefined;
  /** Extra trusted CA (PEM) for the token endpoint: the loopback fake's test CA. Production: unset. */
  readonly ca?: string | undefined;
  /**
   * On-behalf-of tokens fetched before the OBO cache starts afresh. MSAL's in-memory cache never drops
   * an expired entry it is not asked for again, and every new SSO token is a new entry. @default 500
   */
  readonly maxUserTokens?: number | undefined;
};

/**
 * Client credentials and on-behalf-of through `@azure/msal-node`: MSAL's token cache (app token, and
 * OBO tokens keyed by a hash of the agent's assertion) and claims challenges (`claims` forces a fresh
 * token carrying them). The authority's metadata is given from `authorityHost`, so MSAL makes no
 * instance-discovery call: it talks to that host's token endpoint only.
 */
export class MsalTokenSource implements GraphTokenSource {
  /** Client credentials. */
  private readonly app: ConfidentialClientApplication;
  /** On-behalf-of, with its own cache so that starting it afresh keeps the app token. */
  private obo: ConfidentialClientApplication;
  private oboFetched = 0;
  private readonly maxUserTokens: number;
  private readonly makeApp: () => ConfidentialClientApplication;
  private readonly scopes: string[];

  constructor(options: MsalTokenSourceOptions) {
    const host = new URL(options.authorityHost ?? 'https://login.microsoftonline.com');
    if (host.protocol !== 'https:')
      throw new AppError('internal', 'The Entra authority host must be an https origin (MSAL)');
    const origin = host.origin;
    const tenant = encodeURIComponent(options.tenantId);
    const authority = `${origin}/${tenant}`;
    this.scopes = [options.scope ?? 'https://graph.microsoft.com/.default'];
    this.maxUserTokens = options.maxUserTokens ?? 500;
    const networkClient = new HttpsNetworkClient(options.ca);
    this.makeApp = () =>
      new ConfidentialClientApplication({
        auth: {
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          authority,
          knownAuthorities: [host.host],
          // CP1: the app can handle claims challenges (continuous access evaluation).
          clientCapabilities: ['CP1'],
          authorityMetadata: JSON.stringify({
            token_endpoint: `${authority}/oauth2/v2.0/token`,
            authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
            issuer: `${authority}/v2.0`,
            jwks_uri: `${authority}/discovery/v2.0/keys`,
          }),
          cloudDiscoveryMetadata: JSON.stringify({
            tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
            metadata: [
              { preferred_network: host.host, preferred_cache: host.host, aliases: [host.host] },
            ],
          }),
        },
        system: { networkClient },
      });
    this.app = this.makeApp();
    this.obo = this.makeApp();
  }

  async getToken(request: GraphTokenRequest): Promise<string> {
    const obo = Boolean(request.userAssertion);
    const claims = request.claims ? { claims: request.claims } : {};
    try {
      const result = request.userAssertion
        ? await this.acquireOnBehalfOf(request.userAssertion, claims)
        : await this.app.acquireTokenByClientCredential({ scopes: this.scopes, ...claims });
      if (!result?.accessToken)
        throw new AppError('upstream-unavailable', 'Entra sent no access token');
      return result.accessToken;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw translate(error, obo);
    }
  }

  private async acquireOnBehalfOf(assertion: string, claims: { claims?: string }) {
    const app = this.obo;
    const result = await app.acquireTokenOnBehalfOf({
      oboAssertion: assertion,
      scopes: this.scopes,
      ...claims,
    });
    if (result && !result.fromCache && app === this.obo) {
      this.oboFetched += 1;
      if (this.oboFetched >= this.maxUserTokens) {
        this.obo = this.makeApp();
        this.oboFetched = 0;
      }
    }
    return result;
  }
}

/** Entra error codes that mean "not allowed", not "not reachable". */
const REFUSALS = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'invalid_client',
  'unauthorized_client',
]);

function translate(error: unknown, obo: boolean): AppError {
  const code =
    typeof error === 'object' && error !== null && 'errorCode' in error
      ? String(error.errorCode)
      : '';
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new AppError(
      'forbidden',
      'The app credentials were refused by Entra (check AAD_APP_CLIENT_SECRET)',
      { cause: error },
    );
  }
  if (REFUSALS.has(code)) {
    return new AppError(
      'forbidden',
      obo
        ? 'Microsoft Graph access for this agent needs consent or sign-in (an admin must grant the app its delegated permissions)'
        : 'The app may not get a Graph token (check its secret and admin consent)',
      { cause: error },
    );
  }
  return new AppError(
    'upstream-unavailable',
    `Entra refused the ${obo ? 'on-behalf-of' : 'app'} token request`,
    { cause: error },
  );
}

/** MSAL's network client on `node:https`, with an optional extra CA (no proxy support needed here). */
class HttpsNetworkClient implements INetworkModule {
  private readonly agent: Agent | undefined;

  constructor(ca: string | undefined) {
    this.agent = ca ? new Agent({ ca, keepAlive: false }) : undefined;
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout = 15_000,
  ): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const body = options?.body;
      const headers: Record<string, string> = { ...options?.headers };
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = httpsRequest(url, { method, headers, agent: this.agent, timeout }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch (error) {
            reject(
              new Error(`Entra answered ${res.statusCode ?? 0} with non-JSON`, { cause: error }),
            );
            return;
          }
          const responseHeaders: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers))
            if (value !== undefined)
              responseHeaders[key] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ headers: responseHeaders, body: parsed as T, status: res.statusCode ?? 0 });
        });
      });
      req.on('timeout', () => req.destroy(new Error('Entra token request timed out')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
