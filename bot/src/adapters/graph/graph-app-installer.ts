import type { AadObjectId } from '@shared';
import { AppCatalogEntry, isAlreadyInstalled } from './graph-app-catalog';
import type { GraphClient } from './graph-client';

/**
 * Installs this Teams app in an agent's personal scope with the app's own identity
 * (`POST /users/{id}/teamwork/installedApps`, application permission
 * `TeamsAppInstallation.ReadWriteSelfForUser.All`), so the bot gets a personal chat with agents who
 * never opened it and their lobby cards reach them. The app must be in the tenant's app catalog
 * (published, `atk publish`); it is looked up by its manifest id once.
 */
export class GraphAppInstaller {
  private readonly catalog: AppCatalogEntry;

  constructor(
    private readonly options: { readonly graph: GraphClient; readonly teamsAppId: string },
  ) {
    this.catalog = new AppCatalogEntry(options.graph, options.teamsAppId);
  }

  /** Installs the app for `userId`; already installed (409) is success. */
  async installFor(userId: AadObjectId): Promise<'installed' | 'already-installed'> {
    const teamsApp = await this.catalog.binding({});
    try {
      await this.options.graph.send({
        method: 'POST',
        path: `/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
        as: {},
        what: "install the app in the agent's personal scope",
        body: {
          'teamsApp@odata.bind': teamsApp,
        },
      });
      return 'installed';
    } catch (error) {
      if (isAlreadyInstalled(error)) return 'already-installed';
      throw error;
    }
  }
}
