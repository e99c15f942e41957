// Teams mode's cloud adapters, in their own module so that an embedded server does not load Graph,
// MSAL and the Entra authenticator (build-app imports it on demand).
import { asAadObjectId, type RandomSource, type ReportsGroup } from '@shared';
import { GraphClient } from './adapters/graph/graph-client';
import { GraphAppInstaller } from './adapters/graph/graph-app-installer';
import { GraphMeetingProvider } from './adapters/graph/graph-meeting-provider';
import { GraphGroupMembership, GraphTeamDirectory } from './adapters/graph/graph-team-directory';
import type { GraphTokenSource } from './adapters/graph/graph-token-source';
import { MsalTokenSource } from './adapters/graph/msal-token-source';
import { BrowserMeetingProvider } from './adapters/meetings/browser-meeting-provider';
import type { CloudAdapters } from './build-app';
import type { TeamsConfig } from './config';
import { EntraAgentAuthenticator } from './http/auth/entra-agent-authenticator';
import { errorFields, type Logger } from './logger';

export { EntraAgentAuthenticator };

/** Teams mode: Entra SSO for the agent API, Graph for meetings and team membership. */
export function buildCloud(
  config: TeamsConfig,
  random: RandomSource,
  logger: Logger,
  tokens: GraphTokenSource | undefined,
): CloudAdapters {
  const t = config.teams;
  const graph = new GraphClient({
    baseUrl: t.graphBaseUrl,
    tokens:
      tokens ??
      new MsalTokenSource({
        clientId: t.clientId,
        clientSecret: t.clientSecret ?? '',
        tenantId: t.tenantId,
        authorityHost: t.authorityHost,
      }),
  });
  const auth = new EntraAgentAuthenticator({
    clientId: t.clientId,
    appIdUri: t.appIdUri,
    homeTenantId: t.tenantId,
    allowedTenantIds: t.allowedTenantIds,
    authorityHost: t.authorityHost,
    creatorGroupId: t.creatorGroupId,
    groupMembership: t.creatorGroupId ? new GraphGroupMembership({ graph }) : undefined,
  });
  const meetings =
    config.meetingProvider === 'teams'
      ? new GraphMeetingProvider({
          graph,
          lobbyOpenSeconds: t.lobbyOpenSeconds,
          // The meeting-sync outbox locks the lobby when the window ends (a persisted step).
          timers: undefined,
          installAppInMeeting: config.bot.teamsAppId
            ? { teamsAppId: config.bot.teamsAppId }
            : undefined,
          onBackgroundError: (error, meeting) =>
            logger.warn('Teams meeting background step failed', {
              meetingId: meeting.meetingId,
              ...errorFields(error),
            }),
        })
      : new BrowserMeetingProvider(random);
  const reportsGroupId = config.reports.groupId;
  const membership = new GraphGroupMembership({ graph });
  const reportsGroup: ReportsGroup = {
    isMember: (agentId) =>
      reportsGroupId
        ? membership.isMemberOf(asAadObjectId(agentId), reportsGroupId)
        : Promise.resolve(false),
  };
  const teamsAppId = config.bot.teamsAppId;
  return {
    auth,
    meetings,
    teams: new GraphTeamDirectory({ graph }),
    reportsGroup,
    installer: teamsAppId ? new GraphAppInstaller({ graph, teamsAppId }) : undefined,
  };
}
