import type { AgentPrincipal } from '@shared';

/** What an authenticator may look at. */
export type AuthRequest = {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The TCP peer address (`req.socket.remoteAddress`), never a forwarded header. */
  readonly remoteAddress: string | undefined;
};

/**
 * Turns a request into the agent behind it. Rejects with `AppError('unauthorized')` when there is no
 * valid identity and `AppError('forbidden')` when the identity may not use the app (tenant, group).
 * Embedded mode: `LocalAgentAuthenticator` (loopback only). Teams mode: Entra SSO tokens.
 */
export interface AgentAuthenticator {
  authenticate(request: AuthRequest): Promise<AgentPrincipal>;
  /** Whether this agent may create links (an optional Entra group restriction). @default true */
  mayCreate?(principal: AgentPrincipal): Promise<boolean>;
}
