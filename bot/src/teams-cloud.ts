// Teams mode's cloud adapters, in their own module so that an embedded server does not load Graph,
// MSAL and the Entra authenticator (build-app imports it on demand).
import {
  AppError,
  asAadObjectId,
  type RandomSource,
  type ReportsGroup,
  type TeamDirectory,
} from '@shared';
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
  // Graph reads with the app's own credentials. Teams mode with browser meetings may run without
  // a client secret: then there is no Graph, and what needs it is absent rather than built to fail
  // (config refuses the group checks and Teams meetings without the secret).
  const tokenSource =
    tokens ??
    (t.clientSecret
      ? new MsalTokenSource({
          clientId: t.clientId,
          clientSecret: t.clientSecret,
          tenantId: t.tenantId,
          authorityHost: t.authorityHost,
        })
      : undefined);
  const graph = tokenSource && new GraphClient({ baseUrl: t.graphBaseUrl, tokens: tokenSource });
  const needGraph = (what: string): never => {
    throw new Error(`${what} needs Graph, which needs AAD_APP_CLIENT_SECRET`);
  };
  const auth = new EntraAgentAuthenticator({
    clientId: t.clientId,
    appIdUri: t.appIdUri,
    homeTenantId: t.tenantId,
    allowedTenantIds: t.allowedTenantIds,
    authorityHost: t.authorityHost,
    creatorGroupId: t.creatorGroupId,
    groupMembership: t.creatorGroupId
      ? new GraphGroupMembership({ graph: graph ?? needGraph('CREATOR_GROUP_ID') })
      : undefined,
  });
  const meetings =
    config.meetingProvider === 'teams'
      ? new GraphMeetingProvider({
          graph: graph ?? needGraph('MEETING_PROVIDER=teams'),
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
  const membership = reportsGroupId
    ? new GraphGroupMembership({ graph: graph ?? needGraph('REPORTS_GROUP_ID') })
    : undefined;
  const reportsGroup: ReportsGroup = {
    isMember: (agentId) =>
      membership && reportsGroupId
        ? membership.isMemberOf(asAadObjectId(agentId), reportsGroupId)
        : Promise.resolve(false),
  };
  const teamsAppId = config.bot.teamsAppId;
  return {
    auth,
    meetings,
    teams: graph ? new GraphTeamDirectory({ graph }) : noTeamDirectory,
    reportsGroup,
    installer: graph && teamsAppId ? new GraphAppInstaller({ graph, teamsAppId }) : undefined,
  };
}

/**
 * Teams mode without Graph (no client secret): team membership cannot be read, so team queues and
 * team figures answer `403` saying why, instead of a Graph call with an empty secret failing as
 * `503` on every try.
 */
export const noTeamDirectory: TeamDirectory = {
  isMember: () =>
    Promise.reject(
      new AppError(
        'forbidden',
        'Team queues are not configured: team membership is read through Graph, which needs AAD_APP_CLIENT_SECRET',
      ),
    ),
};
