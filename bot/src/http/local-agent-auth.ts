import { AppError, asAadObjectId, type AgentPrincipal } from '@shared';
import type { AgentAuthenticator, AuthRequest } from './agent-auth';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** True for a loopback peer address (IPv4, IPv6 and IPv4-mapped). */
export const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && LOOPBACK.test(address);

/**
 * Embedded mode: every request from this machine is the configured local agent; anything else is
 * refused. The peer address is the socket's, so a forwarded-for header cannot fake it.
 */
export class LocalAgentAuthenticator implements AgentAuthenticator {
  constructor(private readonly agent: { readonly id: string; readonly name: string }) {}

  authenticate(request: AuthRequest): Promise<AgentPrincipal> {
    if (!isLoopback(request.remoteAddress)) {
      return Promise.reject(
        new AppError('unauthorized', 'The embedded agent is only accepted from loopback'),
      );
    }
    return Promise.resolve({ id: asAadObjectId(this.agent.id), name: this.agent.name });
  }
}
