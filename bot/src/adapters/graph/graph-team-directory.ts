import { z } from 'zod';
import { AppError, isAppError, type AadObjectId, type TeamDirectory } from '@shared';
import type { GraphClient } from './graph-client';

const ListSchema = z.object({ value: z.array(z.object({}).passthrough()) });
const CheckSchema = z.object({ value: z.array(z.string()) });

type Cached = { readonly member: boolean; readonly until: number };

/** Settings shared by the directory lookups. */
export type GraphDirectoryOptions = {
  readonly graph: GraphClient;
  /** How long an answer is reused. @default 60 */
  readonly cacheSeconds?: number | undefined;
  readonly now?: (() => number) | undefined;
};

/**
 * Team membership for channel-tab queues: `GET /teams/{id}/members` filtered by the agent's object id,
 * with the app's token (application permission TeamMember.Read.All). Answers are cached briefly:
 * the tab asks on every list and every action.
 */
export class GraphTeamDirectory implements TeamDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly now: () => number;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  async isMember(agentId: AadObjectId, teamId: string): Promise<boolean> {
    const key = `${teamId}\n${agentId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.member;
    let member: boolean;
    try {
      const list = ListSchema.parse(
        await this.options.graph.send({
          method: 'GET',
          path: `/teams/${encodeURIComponent(teamId)}/members`,
          query: {
            $filter: `(microsoft.graph.aadUserConversationMember/userId eq '${odataString(agentId)}')`,
          },
          as: {},
          what: 'check the team membership',
        }),
      );
      member = list.value.length > 0;
    } catch (error) {
      // Contract: an unknown team is simply "not a member"; otherwise we cannot tell.
      if (!isAppError(error, 'not-found')) {
        const message = error instanceof Error ? error.message : 'Graph failed';
        throw new AppError('upstream-unavailable', `Team membership unknown: ${message}`, {
          cause: error,
        });
      }
      member = false;
    }
    this.cache.set(key, { member, until: this.now() + (this.options.cacheSeconds ?? 60) * 1000 });
    return member;
  }
}

/**
 * Entra group membership (the authenticator's `GroupMembership`, matched structurally: adapters do
 * not import the http layer) for when the token's `groups` claim cannot tell (overage):
 * `POST /users/{id}/checkMemberGroups` (transitive) with the app's token
 * (application permissions User.Read.All + GroupMember.Read.All).
 */
export class GraphGroupMembership {
  constructor(private readonly options: GraphDirectoryOptions) {}

  async isMemberOf(userId: AadObjectId, groupId: string): Promise<boolean> {
    const result = CheckSchema.parse(
      await this.options.graph.send({
        method: 'POST',
        path: `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
        body: { groupIds: [groupId] },
        as: {},
        what: 'check the creator group membership',
      }),
    );
    return result.value.some((id) => id.toLowerCase() === groupId.toLowerCase());
  }
}

const odataString = (s: string) => s.replace(/'/g, "''");
