import type { ReportScope } from '../domain/report';
import { AppError } from '../errors';
import type { ReportsGroup } from '../ports/report-store';
import type { TeamDirectory } from '../ports/team-directory';
import type { AgentPrincipal } from './context';

/** What deciding who may see which figures needs. */
export type ReportAccessDeps = {
  readonly teams: TeamDirectory;
  readonly reportsGroup: ReportsGroup;
};

/**
 * The one rule for every report surface (tab, JSON, CSV and any later one): agents see their own
 * figures, team members their team's, and organisation-wide figures need the reports group. Rejects
 * with `forbidden` otherwise.
 */
export async function authorizeReport(
  deps: ReportAccessDeps,
  principal: AgentPrincipal,
  scope: ReportScope,
): Promise<void> {
  switch (scope.kind) {
    case 'agent':
      if (scope.agentId !== principal.id)
        throw new AppError('forbidden', 'Agents see only their own figures');
      return;
    case 'team':
      if (!(await deps.teams.isMember(principal.id, scope.teamId)))
        throw new AppError('forbidden', 'Not a member of this team');
      return;
    case 'org':
      if (!(await deps.reportsGroup.isMember(principal.id)))
        throw new AppError('forbidden', 'Organisation-wide figures need the reports group');
      return;
  }
}
