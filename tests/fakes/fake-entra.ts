import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  base64url,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { testTls } from './test-ca';

/** One signing key the fake publishes (or keeps secret, to mint tokens with an unknown `kid`). */
export type FakeSigningKey = {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
};

/** A request the fake saw on its token endpoint, form fields decoded. */
export type TokenRequest = {
  readonly tenant: string;
  readonly form: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
};

/** A scripted answer for the next token request. */
export type TokenFailure = { readonly status: number; readonly body: Record<string, unknown> };

/** Where the Bot Framework's OpenID metadata lives on the fake (override for `ToBotFromChannelOpenIdMetadataUrl`). */
export const BOT_OPENID_PATH = '/botframework/v1/.well-known/openidconfiguration';

/**
 * A loopback Microsoft Entra ID: the v2 JWKS (`/<tenant>/discovery/v2.0/keys`), the OpenID metadata of
 * the Bot Framework channel, and the v2 token endpoint (`/<tenant>/oauth2/v2.0/token`) for client
 * credentials and on-behalf-of. Keys are RSA keys made at test time; `sign` mints tokens.
 */
export class FakeEntra {
  private server: Server | undefined;
  private httpsServer: Server | undefined;
  private published: FakeSigningKey[] = [];
  private tokenCounter = 0;
  private readonly tokenFailures: TokenFailure[] = [];
  /** How many times each JWKS was fetched. */
  readonly jwksFetches = { entra: 0, botFramework: 0 };
  readonly tokenRequests: TokenRequest[] = [];
  url = '';
  /**
   * The same endpoints over https, with a certificate from the test CA (`ca`): MSAL accepts only an
   * https authority. The plain `url` stays for JWKS/OpenID consumers that are not MSAL.
   */
  httpsUrl = '';
  /** The test CA (PEM) that signed `httpsUrl`'s certificate. */
  ca = '';

  static async start(): Promise<FakeEntra> {
    const fake = new FakeEntra();
    fake.published.push(await FakeEntra.makeKey('key-1'));
    await fake.listen();
    return fake;
  }

  /** A fresh RSA key; publish it with `publish`, or keep it unpublished for an unknown `kid`. */
  static async makeKey(kid: string): Promise<FakeSigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
    return { kid, privateKey, jwk };
  }

  get currentKey(): FakeSigningKey {
    const key = this.published[0];
    if (!key) throw new Error('no published key');
    return key;
  }

  /** Adds a key to the JWKS (key rotation). */
  publish(key: FakeSigningKey): void {
    this.published.push(key);
  }

  /** Signs `claims` (RS256) with a published key unless another key is given. */
  async sign(claims: JWTPayload, key: FakeSigningKey = this.currentKey): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .sign(key.privateKey);
  }

  /** Queues a failure for the next token request. */
  failNextToken(failure: TokenFailure): void {
    this.tokenFailures.push(failure);
  }

  async stop(): Promise<void> {
    await Promise.all(
      [this.server, this.httpsServer].map(async (server) => {
        if (!server) return;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  }

  private async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    };
    const tls = testTls();
    const server = createServer(handler);
    const httpsServer = createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
    this.server = server;
    this.httpsServer = httpsServer;
    await Promise.all(
      [server, httpsServer].map(
        (s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve)),
      ),
    );
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.httpsUrl = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;
    this.ca = tls.ca;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };

    if (req.method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(url.pathname)) {
      this.jwksFetches.entra += 1;
      return json(200, { keys: this.published.map((k) => k.jwk) });
    }
    if (req.method === 'GET' && url.pathname === BOT_OPENID_PATH) {
      return json(200, {
        issuer: 'https://api.botframework.com',
        jwks_uri: `${this.url}/botframework/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/botframework/v1/.well-known/keys') {
      this.jwksFetches.botFramework += 1;
      // The real channel keys carry endorsements (the channel ids they may sign for).
      return json(200, {
        keys: this.published.map((k) => ({ ...k.jwk, endorsements: ['msteams'] })),
      });
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method === 'POST' && token?.[1]) {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      this.tokenRequests.push({ tenant: token[1], form, headers: req.headers });
      const failure = this.tokenFailures.shift();
      if (failure) return json(failure.status, failure.body);
      this.tokenCounter += 1;
      const kind = form['grant_type'] === 'client_credentials' ? 'app' : 'obo';
      return json(200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `fake-${kind}-token-${this.tokenCounter}`,
      });
    }
    return json(404, { error: 'not_found', path: url.pathname });
  }
}

/** An unsigned token (`alg: none`), which every validator must refuse. */
export function unsignedToken(claims: JWTPayload): string {
  const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The claims of a valid Teams SSO token for the tab (v1 issuer, `access_as_user`), valid one hour. */
export function teamsSsoClaims(options: {
  readonly tenantId: string;
  readonly clientId: string;
  readonly host: string;
  readonly objectId: string;
  readonly name: string;
  /** Seconds since the epoch. */
  readonly now: number;
}): JWTPayload {
  return {
    aud: `api://${options.host}/${options.clientId}`,
    iss: `https://sts.windows.net/${options.tenantId}/`,
    tid: options.tenantId,
    oid: options.objectId,
    name: options.name,
    scp: 'access_as_user',
    iat: options.now,
    nbf: options.now,
    exp: options.now + 3600,
  };
}
