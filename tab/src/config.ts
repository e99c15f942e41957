import { z } from 'zod';

const EnvSchema = z.object({
  /** Where the agent API lives; empty means the same origin that served the tab. */
  VITE_API_BASE_URL: z.string().default(''),
  /** How long to wait for Teams before running standalone. */
  VITE_TEAMS_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
});

export type TabConfig = {
  readonly apiBaseUrl: string;
  readonly teamsInitTimeoutMs: number;
};

/** The only reader of `import.meta.env`. Throws one error naming every bad key. */
export function readConfig(env: Record<string, unknown> = import.meta.env): TabConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const keys = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Invalid tab configuration: ${keys}`);
  }
  return Object.freeze({
    apiBaseUrl: parsed.data.VITE_API_BASE_URL.replace(/\/+$/, ''),
    teamsInitTimeoutMs: parsed.data.VITE_TEAMS_INIT_TIMEOUT_MS,
  });
}
