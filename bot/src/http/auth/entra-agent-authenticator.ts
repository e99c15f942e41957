import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { z } from 'zod';
import {
  AgentPolicy,
  AppError,
  asAadObjectId,
  type AadObjectId,
  type AgentPrincipal,
  type TokenGroups,
} from '@shared';
import type { AgentAuthenticator, AuthRequest } from '../agent-auth';

/** Answers whether a user is in an Entra group when the token cannot tell (group overage). */
export interface GroupMembership {
  isMemberOf(userId: AadObjectId, groupId: string): Promise<boolean>;
}

/** Settings of the Teams SSO check. */
export type EntraAgentAuthenticatorOptions = {
  /** The Entra app (client) id the tab's SSO token is issued for. */
  readonly clientId: string;
  /** Its Application ID URI, `api://<tab host>/<client id>`; also accepted as audience. */
  readonly appIdUri: string | undefined;
  /** Tenants whose agents may use the app. Empty: only `homeTenantId`. */
  readonly allowedTenantIds: readonly string[];
  /** The app's own tenant. */
  readonly homeTenantId: string;
  /** @default "https://login.microsoftonline.com" */
  readonly authorityHost?: string | undefined;
  /** Only members of this Entra group may create links. `undefined`: everyone allowed in. */
  readonly creatorGroupId?: string | undefined;
  /** Asked when the token carries the group overage claim instead of `groups`. */
  readonly groupMembership?: GroupMembership | undefined;
  /** The delegated scope the tab's token must carry. @default "access_as_user" */
  readonly requiredScope?: string | undefined;
  /** @default 120 */
  readonly clockSkewSeconds?: number | undefined;
  /** Minimum time between two JWKS fetches (an unknown `kid` triggers one). @default 30000 */
  readonly jwksCooldownMs?: number | undefined;
  /** The time tokens are checked against; tests pass a fixed clock. */
  readonly now?: (() => Date) | undefined;
};

const ClaimsSchema = z.object({
  oid: z.string().min(1),
  tid: z.string().min(1),
  iss: z.string().min(1),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  upn: z.string().optional(),
  scp: z.string().optional(),
});

const GroupClaimsSchema = z.object({
  groups: z.array(z.string()).optional(),
  hasgroups: z.union([z.boolean(), z.string()]).optional(),
  _claim_names: z.object({ groups: z.string().optional() }).partial().optional(),
});

const unauthorized = (message: string, cause?: unknown) =>
  new AppError('unauthorized', message, cause === undefined ? undefined : { cause });

/**
 * Teams mode: the tab sends the SSO token from `authentication.getAuthToken()` as a bearer token.
 * Accepts only RS256 tokens signed by a key of the tenant's JWKS, for this app (audience), from an
 * allowed tenant (issuer v1 or v2), unexpired (with a small skew), carrying the delegated scope.
 */
export class EntraAgentAuthenticator implements AgentAuthenticator {
  private agentPolicy: AgentPolicy | undefined;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly authorityHost: string;
  private readonly tenants: ReadonlySet<string>;

  constructor(private readonly options: EntraAgentAuthenticatorOptions) {
    this.authorityHost = (options.authorityHost ?? 'https://login.microsoftonline.com').replace(
      /\/+$/,
      '',
    );
    const tenants =
      options.allowedTenantIds.length > 0 ? options.allowedTenantIds : [options.homeTenantId];
    this.tenants = new Set(tenants.map((t) => t.toLowerCase()));
    // One tenant: its own key set. Several: the common key set (the same keys sign for every tenant).
    const keySet = this.tenants.size === 1 ? [...this.tenants][0] : 'common';
    this.jwks = createRemoteJWKSet(new URL(`${this.authorityHost}/${keySet}/discovery/v2.0/keys`), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      timeoutDuration: 5_000,
    });
  }

  async authenticate(request: AuthRequest): Promise<AgentPrincipal> {
    const token = bearerToken(request.headers['authorization']);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (error) {
      throw unauthorized('The bearer token is not a JWT', error);
    }
    // Checked before any key lookup: `alg: none` and HS* (key confusion) never reach the verifier.
    if (header.alg !== 'RS256') {
      throw unauthorized(`Token algorithm ${String(header.alg)} is not accepted (RS256 only)`);
    }
    const payload = await this.verify(token);
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthorized('The token lacks oid, tid or iss');
    const { oid, tid, iss, scp } = claims.data;
    const expectedIssuers = [
      `https://sts.windows.net/${tid}/`,
      `${this.authorityHost}/${tid}/v2.0`,
    ];
    if (!expectedIssuers.includes(iss)) {
      throw unauthorized(`Issuer ${iss} does not match the token's tenant`);
    }
    if (!this.tenants.has(tid.toLowerCase())) {
      throw new AppError('forbidden', `Tenant ${tid} is not allowed to use this app`);
    }
    const requiredScope = this.options.requiredScope ?? 'access_as_user';
    // App-only tokens carry `roles`, not `scp`: an agent is always a signed-in user.
    if (!scp?.split(' ').includes(requiredScope)) {
      throw unauthorized(`The token lacks the delegated scope ${requiredScope}`);
    }
    return {
      id: asAadObjectId(oid),
      name: claims.data.name ?? claims.data.preferred_username ?? claims.data.upn ?? oid,
      tenantId: tid,
      userAssertion: token,
    };
  }

  /**
   * The core's {@link AgentPolicy}, with the groups the tab's token lists. Without a token (the
   * bot's `new`) or with the overage claim, the policy asks Graph (application permission).
   */
  async mayCreate(principal: AgentPrincipal): Promise<boolean> {
    const { creatorGroupId, groupMembership } = this.options;
    if (
      creatorGroupId &&
      !groupMembership &&
      principal.userAssertion &&
      tokenGroups(principal.userAssertion).kind === 'overage'
    ) {
      throw new AppError(
        'forbidden',
        'The token carries the group overage claim (the user is in too many groups to list); ' +
          'grant the app Graph application permissions User.Read.All and GroupMember.Read.All so the group can be checked',
      );
    }
    return this.policy.mayCreate(
      principal,
      principal.userAssertion ? tokenGroups(principal.userAssertion) : undefined,
    );
  }

  /** The policy the bot asks too (same tenants, same creator group, same directory). */
  get policy(): AgentPolicy {
    this.agentPolicy ??= new AgentPolicy(
      {
        tenantIds: [this.options.homeTenantId, ...this.options.allowedTenantIds],
        creatorGroupId: this.options.creatorGroupId,
      },
      this.options.groupMembership,
    );
    return this.agentPolicy;
  }

  private async verify(token: string): Promise<JWTPayload> {
    const audience = [
      this.options.clientId,
      ...(this.options.appIdUri ? [this.options.appIdUri] : []),
    ];
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        algorithms: ['RS256'],
        audience,
        // jose checks `exp` only when present: a token without one would never expire.
        requiredClaims: ['exp'],
        clockTolerance: this.options.clockSkewSeconds ?? 120,
        ...(this.options.now ? { currentDate: this.options.now() } : {}),
      });
      return payload;
    } catch (error) {
      throw translateJoseError(error);
    }
  }
}

function bearerToken(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value.trim()) : null;
  if (!match?.[1]) throw unauthorized('No bearer token in the Authorization header');
  return match[1];
}

function translateJoseError(error: unknown): AppError {
  if (error instanceof joseErrors.JWTExpired) return unauthorized('The token has expired', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return unauthorized('The token is for another audience', error);
    if (error.claim === 'nbf') return unauthorized('The token is not valid yet', error);
    if (error.claim === 'exp') return unauthorized('The token carries no expiry (exp)', error);
    return unauthorized(`The token's ${error.claim} claim is invalid`, error);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return unauthorized('The token signature is invalid', error);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return unauthorized('The token is signed by an unknown key (kid not in the JWKS)', error);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return unauthorized('The token algorithm is not accepted', error);
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof TypeError) {
    return new AppError('upstream-unavailable', 'The Entra signing keys could not be fetched', {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JOSEError)
    return unauthorized(`The token is invalid (${error.code})`, error);
  return new AppError('internal', 'Token validation failed unexpectedly', { cause: error });
}

/** What the token says about the user's groups. */
function tokenGroups(token: string): TokenGroups {
  const parsed = GroupClaimsSchema.safeParse(decodeJwt(token));
  if (!parsed.success) return { kind: 'absent' };
  const { groups: ids, hasgroups, _claim_names: names } = parsed.data;
  if (ids) return { kind: 'listed', ids };
  const overage = names?.groups !== undefined || hasgroups === true || hasgroups === 'true';
  return overage ? { kind: 'overage' } : { kind: 'absent' };
}
