import { AppError, asAadObjectId, type AgentPrincipal } from '@shared';
import type { AgentAuthenticator, AuthRequest } from './agent-auth';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** True for a loopback peer address (IPv4, IPv6 and IPv4-mapped). */
export const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && LOOPBACK.test(address);

/** A request from this machine that did not come through a proxy (no forwarding headers). */
export const isLocalRequest = (
  remoteAddress: string | undefined,
  headers: AuthRequest['headers'],
): boolean =>
  isLoopback(remoteAddress) &&
  headers['x-forwarded-for'] === undefined &&
  headers['forwarded'] === undefined;

/** The host name of a `Host` header (`localhost:3978` → `localhost`, `[::1]:80` → `::1`). */
function hostName(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length === 0) return undefined;
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return header.split(':')[0]!.toLowerCase();
}

/**
 * Embedded mode: every request from this machine is the configured local agent; anything else is
 * refused. The peer address is the socket's, so a forwarded-for header cannot fake it; a request
 * that came through a proxy (it carries forwarding headers) is refused, and so is a `Host` that is
 * not this machine's, which stops DNS-rebinding pages in the agent's own browser.
 */
export class LocalAgentAuthenticator implements AgentAuthenticator {
  private readonly hosts: ReadonlySet<string>;

  constructor(
    private readonly agent: { readonly id: string; readonly name: string },
    extraHosts: readonly string[] = [],
  ) {
    this.hosts = new Set([
      'localhost',
      '127.0.0.1',
      '::1',
      ...extraHosts.map((h) => h.toLowerCase()),
    ]);
  }

  authenticate(request: AuthRequest): Promise<AgentPrincipal> {
    const h = request.headers;
    if (!isLocalRequest(request.remoteAddress, h)) {
      return Promise.reject(
        new AppError('unauthorized', 'The embedded agent is only accepted from loopback'),
      );
    }
    const host = hostName(h['host']);
    if (!host || !this.hosts.has(host)) {
      return Promise.reject(
        new AppError('unauthorized', 'The embedded agent is only accepted for a local host name'),
      );
    }
    return Promise.resolve({ id: asAadObjectId(this.agent.id), name: this.agent.name });
  }
}
