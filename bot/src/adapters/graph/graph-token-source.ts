/** Whose Graph token to get: the signed-in agent's (on-behalf-of) or the app's own. */
export type GraphTokenRequest = {
  /** The agent's SSO token. `undefined`: client credentials (application permissions). */
  readonly userAssertion?: string | undefined;
  /** A claims challenge from Graph (decoded JSON of `WWW-Authenticate: … claims="…"`): get a fresh token carrying it. */
  readonly claims?: string | undefined;
};

/** Hands out Graph access tokens (production: `MsalTokenSource`). */
export interface GraphTokenSource {
  getToken(request: GraphTokenRequest): Promise<string>;
}
