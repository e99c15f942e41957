import type { GroupMembership } from '../ports/group-membership';
import type { AgentPrincipal } from './context';

/** Who may use the app at all, and who may make links. */
export type AgentPolicySettings = {
  /** Tenants whose agents are served; empty: any tenant (embedded mode). */
  readonly tenantIds: readonly string[];
  /** Only members of this Entra group may create links; `undefined`: every agent may. */
  readonly creatorGroupId?: string | undefined;
};

/**
 * What the signed-in agent's token says about their groups, when there is a token (the tab):
 * `listed` (the `groups` claim), `overage` (too many groups to list), `absent` (no claim). The bot's
 * activities carry no token: `undefined`, and the directory is asked.
 */
export type TokenGroups =
  | { readonly kind: 'listed'; readonly ids: readonly string[] }
  | { readonly kind: 'overage' }
  | { readonly kind: 'absent' };

/**
 * The one permission policy the tab's API and the bot both ask: whether an agent belongs to a
 * served tenant, and whether they may create links (the creator group, checked from the token's
 * `groups` claim when it lists them, else with the directory, i.e. Graph with the app's permission).
 * Acting on a call is `loadForAgent` (owner or team member) on top of the tenant check.
 */
export class AgentPolicy {
  constructor(
    private readonly settings: AgentPolicySettings,
    private readonly membership?: GroupMembership | undefined,
  ) {}

  /** True when agents of `tenantId` are served (any tenant when none is configured). */
  tenantAllowed(tenantId: string | undefined): boolean {
    const allowed = this.settings.tenantIds;
    if (allowed.length === 0) return true;
    return (
      tenantId !== undefined && allowed.some((t) => t.toLowerCase() === tenantId.toLowerCase())
    );
  }

  /** Whether `principal` may create links. Never true for a foreign tenant. */
  async mayCreate(principal: AgentPrincipal, groups?: TokenGroups): Promise<boolean> {
    if (!this.tenantAllowed(principal.tenantId)) return false;
    const groupId = this.settings.creatorGroupId;
    if (!groupId) return true;
    if (groups?.kind === 'listed') {
      return groups.ids.some((id) => id.toLowerCase() === groupId.toLowerCase());
    }
    if (!this.membership) return false;
    return this.membership.isMemberOf(principal.id, groupId);
  }
}
