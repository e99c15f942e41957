import { timingSafeEqual } from 'node:crypto';
import { AppError, asAadObjectId, type AgentPrincipal } from '@shared';
import type { AgentAuthenticator, AuthRequest } from './agent-auth';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** True for a loopback peer address (IPv4, IPv6 and IPv4-mapped). */
export const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && LOOPBACK.test(address);

/** True for a host name that always means this machine (`localhost`, `127.x.x.x`, `::1`). */
export const isLoopbackName = (name: string): boolean => {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === 'localhost' || n.endsWith('.localhost') || isLoopback(n);
};

/** Headers a proxy adds. Their presence means the socket's peer is not the client. */
const hasForwardingHeader = (headers: AuthRequest['headers']): boolean =>
  Object.keys(headers).some(
    (name) =>
      name === 'forwarded' ||
      name === 'via' ||
      name === 'x-real-ip' ||
      name.startsWith('x-forwarded-'),
  );

/** A request from this machine that did not come through a proxy (no forwarding headers). */
export const isLocalRequest = (
  remoteAddress: string | undefined,
  headers: AuthRequest['headers'],
): boolean => isLoopback(remoteAddress) && !hasForwardingHeader(headers);

/** The host name of a `Host` header (`localhost:3978` → `localhost`, `[::1]:80` → `::1`). */
function hostName(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length === 0) return undefined;
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return header.split(':')[0]!.toLowerCase();
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** Options of {@link LocalTrust}. */
export type LocalTrustOptions = {
  /** Origins of the tab on this machine (`http://localhost:3978`, …); a browser must be one of them. */
  readonly allowedOrigins: readonly string[];
  /** Further names of this machine; only loopback names are kept (`localhost`, `127.0.0.1`, …). */
  readonly hosts?: readonly string[] | undefined;
  /**
   * `LOCAL_AGENT_TOKEN`: every trusted request must carry `Authorization: Bearer <token>`. With a
   * valid token a proxy on this machine may add forwarding headers and its own `Host`.
   */
  readonly token?: string | undefined;
};

/**
 * The one rule for everything embedded mode trusts without a sign-in (the agent API, its event
 * stream, the bot endpoint and its card invokes): the request comes from this machine (loopback peer,
 * no proxy in between), names this machine (`Host`, against DNS rebinding), and a browser sent it from
 * the tab's own origin (`Origin`, `Sec-Fetch-Site`, against CSRF). Throws `unauthorized` or `forbidden`.
 */
export class LocalTrust {
  private readonly hosts: ReadonlySet<string>;
  private readonly token: Buffer | undefined;

  constructor(private readonly options: LocalTrustOptions) {
    this.hosts = new Set((options.hosts ?? []).map((h) => h.toLowerCase()).filter(isLoopbackName));
    this.token = options.token ? Buffer.from(options.token) : undefined;
  }

  /** Throws unless the request may act as this machine's agent. */
  check(request: AuthRequest): void {
    const h = request.headers;
    if (!isLoopback(request.remoteAddress)) {
      throw new AppError('unauthorized', 'Only accepted from this machine (loopback)');
    }
    const tokenOk = this.token !== undefined && this.hasToken(h['authorization']);
    if (this.token !== undefined && !tokenOk) {
      throw new AppError(
        'unauthorized',
        'LOCAL_AGENT_TOKEN is set: a valid bearer token is required',
      );
    }
    if (!tokenOk) {
      if (hasForwardingHeader(h)) {
        throw new AppError('unauthorized', 'Not accepted through a proxy (forwarding headers)');
      }
      const host = hostName(first(h['host']));
      if (!host || !(isLoopbackName(host) || this.hosts.has(host))) {
        throw new AppError('unauthorized', 'Only accepted for a local host name (DNS rebinding)');
      }
    }
    const origin = first(h['origin']);
    if (origin !== undefined && !this.options.allowedOrigins.includes(origin)) {
      throw new AppError('forbidden', 'Cross-origin request refused');
    }
    const site = first(h['sec-fetch-site']);
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new AppError('forbidden', `Cross-site request refused (${site})`);
    }
  }

  private hasToken(header: string | string[] | undefined): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(first(header)?.trim() ?? '');
    if (!match?.[1] || !this.token) return false;
    const given = Buffer.from(match[1]);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}

/**
 * Embedded mode: every request that passes {@link LocalTrust} is the configured local agent; anything
 * else is refused. The peer address is the socket's, so a forwarded-for header cannot fake it.
 */
export class LocalAgentAuthenticator implements AgentAuthenticator {
  constructor(
    private readonly agent: { readonly id: string; readonly name: string },
    private readonly trust: LocalTrust,
  ) {}

  // eslint-disable-next-line @typescript-eslint/require-await -- the port is async; the check is not
  async authenticate(request: AuthRequest): Promise<AgentPrincipal> {
    this.trust.check(request);
    return { id: asAadObjectId(this.agent.id), name: this.agent.name };
  }
}
