import { z } from 'zod';
import { AppError, type AadObjectId } from '@shared';
import { GraphHttpError, type GraphClient } from './graph-client';

const CatalogSchema = z.object({ value: z.array(z.object({ id: z.string().min(1) })) });

/**
 * Installs this Teams app in an agent's personal scope with the app's own identity
 * (`POST /users/{id}/teamwork/installedApps`, application permission
 * `TeamsAppInstallation.ReadWriteSelfForUser.All`), so the bot gets a personal chat with agents who
 * never opened it and their lobby cards reach them. The app must be in the tenant's app catalog
 * (published, `atk publish`); it is looked up by its manifest id once.
 */
export class GraphAppInstaller {
  private catalogId: Promise<string> | undefined;

  constructor(
    private readonly options: { readonly graph: GraphClient; readonly teamsAppId: string },
  ) {}

  /** Installs the app for `userId`; already installed (409) is success. */
  async installFor(userId: AadObjectId): Promise<'installed' | 'already-installed'> {
    const catalogId = await this.catalogIdOf();
    try {
      await this.options.graph.send({
        method: 'POST',
        path: `/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
        as: {},
        what: "install the app in the agent's personal scope",
        body: {
          'teamsApp@odata.bind': `${this.options.graph.root}/appCatalogs/teamsApps/${catalogId}`,
        },
      });
      return 'installed';
    } catch (error) {
      if (
        error instanceof AppError &&
        error.cause instanceof GraphHttpError &&
        error.cause.status === 409
      )
        return 'already-installed';
      throw error;
    }
  }

  private catalogIdOf(): Promise<string> {
    const teamsAppId = this.options.teamsAppId;
    this.catalogId ??= this.options.graph
      .send({
        method: 'GET',
        path: '/appCatalogs/teamsApps',
        query: { $filter: `externalId eq '${teamsAppId.replace(/'/g, "''")}'` },
        as: {},
        what: 'find the app in the tenant app catalog',
      })
      .then((json) => {
        const first = CatalogSchema.parse(json).value[0];
        if (!first) {
          throw new AppError(
            'not-found',
            `Teams app ${teamsAppId} is not in the tenant app catalog (publish it first)`,
          );
        }
        return first.id;
      });
    // A failed lookup is retried next time.
    this.catalogId.catch(() => {
      this.catalogId = undefined;
    });
    return this.catalogId;
  }
}
