import type { AadObjectId } from '../domain/call';

/** Answers whether an agent belongs to a team (channel-tab queues). */
export interface TeamDirectory {
  /** Resolves `false` for unknown teams; rejects with `upstream-unavailable` when it cannot tell. */
  isMember(agentId: AadObjectId, teamId: string): Promise<boolean>;
}
