import { z } from 'zod';
import { AppError } from '@shared';
import { GraphHttpError, type GraphClient } from './graph-client';
import type { GraphTokenRequest } from './graph-token-source';

const CatalogSchema = z.object({ value: z.array(z.object({ id: z.string().min(1) })) });

/**
 * This Teams app's id in the tenant's app catalog (`GET /appCatalogs/teamsApps?$filter=externalId
 * eq '{manifest id}'`), looked up once and shared by everything that installs the app (in an agent's
 * personal scope, in a meeting's chat). A failed lookup is not kept: the next install asks again.
 */
export class AppCatalogEntry {
  private id: Promise<string> | undefined;

  constructor(
    private readonly graph: GraphClient,
    private readonly teamsAppId: string,
  ) {}

  /** The `teamsApp@odata.bind` value of an install request, asked for with `as`. */
  async binding(as: GraphTokenRequest): Promise<string> {
    return `${this.graph.root}/appCatalogs/teamsApps/${await this.catalogId(as)}`;
  }

  private catalogId(as: GraphTokenRequest): Promise<string> {
    const teamsAppId = this.teamsAppId;
    this.id ??= this.graph
      .send({
        method: 'GET',
        path: '/appCatalogs/teamsApps',
        query: { $filter: `externalId eq '${teamsAppId.replace(/'/g, "''")}'` },
        as,
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
    this.id.catch(() => {
      this.id = undefined;
    });
    return this.id;
  }
}

/** Graph answered 409: the app is already installed there, which is what the install wanted. */
export function isAlreadyInstalled(error: unknown): boolean {
  return (
    error instanceof AppError && error.cause instanceof GraphHttpError && error.cause.status === 409
  );
}
