import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  checkTemplateOverrides,
  isTimeZone,
  parseSupportContact,
  resolveTemplates,
  type Locale,
  type MessageTemplates,
  type SupportContact,
  type TemplateOverrides,
} from '@shared';

/** A configuration that cannot run. `problems` names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const url = (what: string) =>
  z.string().refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: `must be an http(s) URL (${what})` },
  );

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/**
 * Longest a Teams lobby stays open after an admission when nothing else is configured (it closes
 * earlier once the customer's join is seen): long enough to install the Teams app on a phone.
 */
export const DEFAULT_LOBBY_OPEN_SECONDS = 600;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  PORT: int(0, 65535, 3978),
  HOST: optionalText,
  PUBLIC_BASE_URL: url('the origin customers open, e.g. https://calls.contoso.com').optional(),
  DATA_DIR: optionalText,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
    .optional(),
  LOBBY_TIMEOUT_SECONDS: int(30, 86_400, 900),
  LOBBY_WARNING_SECONDS: int(10, 3600, 120),
  SUPPORT_CONTACT: optionalText.refine((v) => v === undefined || !!parseSupportContact(v), {
    message: 'must be a phone number (+49 30 1234567), an email address or an https:// URL',
  }),
  BRAND_NAME: optionalText.refine((v) => v === undefined || v.length <= 80, {
    message: 'must be at most 80 characters',
  }),
  BRAND_LOGO_FILE: optionalText.refine(
    (v) => v === undefined || /\.(png|svg|jpe?g|webp)$/i.test(v),
    { message: 'must be a .png, .svg, .jpg or .webp file' },
  ),
  LINK_GRACE_MINUTES: int(0, 10_080, 60),
  EARLY_JOIN_MINUTES: int(0, 10_080, 30),
  RETENTION_DAYS: int(1, 3650, 30),
  SWEEP_INTERVAL_SECONDS: int(1, 3600, 15),
  DEFAULT_TIME_ZONE: z
    .string()
    .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' })
    .optional(),
  LOCAL_AGENT_ID: optionalText,
  LOCAL_AGENT_NAME: optionalText,
  LOCAL_AGENT_TOKEN: optionalText,
  TEMPLATES_FILE: optionalText,
  TRUST_PROXY: int(0, 10, 0),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  SECURE_COOKIES: bool(false).optional(),
  // Teams mode (Agents Toolkit names).
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  BOT_TENANT_ID: optionalText,
  TEAMS_APP_ID: optionalText,
  AAD_APP_CLIENT_ID: optionalText,
  AAD_APP_TENANT_ID: optionalText,
  AAD_APP_CLIENT_SECRET: optionalText,
  ALLOWED_TENANT_IDS: list,
  // `local` is the old name of `browser` (kept so existing env files still start).
  MEETING_PROVIDER: z
    .enum(['browser', 'teams', 'local'])
    .optional()
    .transform((v) => (v === 'local' ? 'browser' : v)),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant']).optional(),
  AAD_APP_ID_URI: z
    .string()
    .regex(/^api:\/\/\S+$/, { message: 'must be an api:// Application ID URI' })
    .optional(),
  ENTRA_AUTHORITY_HOST: url('the Entra authority, https://login.microsoftonline.com').optional(),
  GRAPH_BASE_URL: url('Microsoft Graph, https://graph.microsoft.com/v1.0').optional(),
  CREATOR_GROUP_ID: optionalText,
  LOBBY_OPEN_SECONDS: int(10, 3600, DEFAULT_LOBBY_OPEN_SECONDS),
  // The browser call (provider `browser`).
  ICE_SERVERS: list,
  TURN_SECRET: optionalText,
  ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).optional(),
  CALL_RECONNECT_SECONDS: int(10, 3600, 120),
  BOT_ESCALATION_SECONDS: int(0, 86_400, 60),
  REPORT_ADMIT_TARGET_SECONDS: int(1, 3600, 60),
  REPORT_RETENTION_DAYS: int(1, 3650, 400),
  REPORTS_GROUP_ID: optionalText,
});

/** Settings both modes share. */
type BaseConfig = {
  readonly port: number;
  readonly host: string;
  /** Origin of the short links. Derived from the listening port unless `PUBLIC_BASE_URL` is set. */
  readonly publicBaseUrl: string;
  /** True when `PUBLIC_BASE_URL` was configured (else it follows the actual port). */
  readonly publicBaseUrlConfigured: boolean;
  readonly secureCookies: boolean;
  readonly trustProxy: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly storage:
    | { readonly kind: 'sqlite'; readonly file: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        /** `DATABASE_SCHEMA`: the tables live in this schema (created when missing). */
        readonly schema?: string | undefined;
      };
  /** What the customer pages show besides the call: the way back, the company. */
  readonly customerPages: CustomerPagesConfig;
  readonly calls: {
    readonly lobbyTimeoutSeconds: number;
    /** `LOBBY_WARNING_SECONDS`, at most half the lobby timeout. @default 120 */
    readonly lobbyWarningSeconds: number;
    readonly linkGraceMinutes: number;
    readonly earlyJoinMinutes: number;
    readonly retentionDays: number;
    readonly sweepIntervalSeconds: number;
    readonly defaultTimeZone: string;
    readonly templates: Readonly<Record<Locale, MessageTemplates>>;
  };
  readonly localAgent: { readonly id: string; readonly name: string };
  readonly reports: {
    /** `REPORT_ADMIT_TARGET_SECONDS`: the "admitted within" target. @default 60 */
    readonly admitTargetSeconds: number;
    /** `REPORT_RETENTION_DAYS`: how long the roll-ups are kept. @default 400 */
    readonly retentionDays: number;
    /** `REPORTS_GROUP_ID`: Entra group whose members see organisation-wide figures (Teams mode). */
    readonly groupId: string | undefined;
  };
  /** The browser call: ICE servers, TURN credentials, reconnect limit. */
  readonly browserCall: {
    /** `ICE_SERVERS`: `stun:`/`turn:`/`turns:` URLs. @default [] (host candidates: one machine or LAN) */
    readonly iceServers: readonly string[];
    /** `TURN_SECRET`: coturn's `static-auth-secret`, for TURN REST credentials. */
    readonly turnSecret: string | undefined;
    /** `ICE_TRANSPORT_POLICY`. @default "all" */
    readonly iceTransportPolicy: 'all' | 'relay';
    /** `CALL_RECONNECT_SECONDS`: how long a vanished side may take to return. @default 120 */
    readonly reconnectSeconds: number;
  };
  /** `LOCAL_AGENT_TOKEN`: embedded mode's trusted requests must carry it as a bearer token. */
  readonly localAgentToken?: string | undefined;
  readonly bot: BotSettings;
};

/** The customer pages' deployment-wide extras. */
export type CustomerPagesConfig = {
  /** `SUPPORT_CONTACT`: offered on every dead-end page; `undefined`: only the agent is named. */
  readonly supportContact: SupportContact | undefined;
  /** `BRAND_NAME`: the company name shown above the lobby. */
  readonly brandName: string | undefined;
  /**
   * `BRAND_LOGO_FILE`, read at start-up and served from our own origin (`/brand/logo`), so the
   * customer pages' CSP stays `img-src 'self'`. `undefined`: no logo.
   */
  readonly brandLogo: { readonly bytes: Buffer; readonly contentType: string } | undefined;
};

/** The bot's Bot Framework registration and behaviour, in either mode. */
export type BotSettings = {
  /**
   * `BOT_ID` with its password: channel JWTs are checked. Unset: no authentication, and the bot
   * endpoint accepts only this machine (the Agents Playground).
   */
  readonly registration:
    | {
        readonly id: string;
        readonly password: string;
        /** Set for a single-tenant bot registration. */
        readonly tenantId: string | undefined;
        /**
         * `BOT_TYPE`. @default "SingleTenant" when there is a bot tenant (`BOT_TENANT_ID`, or in
         * Teams mode `AAD_APP_TENANT_ID`: the toolkit's `botFramework/create` registers a
         * single-tenant bot), else "MultiTenant"
         */
        readonly type: 'MultiTenant' | 'SingleTenant';
      }
    | undefined;
  /** The Teams app id; the cards' "Open" button deep-links to its personal tab `home`. */
  readonly teamsAppId: string | undefined;
  /** `BOT_ESCALATION_SECONDS`: card to the team channel / reminder when nobody reacts; 0 = off. @default 60 */
  readonly escalationSeconds: number;
};

/** One machine, one agent: no Entra, no Graph, meetings on this server. */
export type EmbeddedConfig = BaseConfig & {
  readonly mode: 'embedded';
  /** Our own WebRTC call. */
  readonly meetingProvider: 'browser';
};

/** Inside Microsoft Teams: Entra SSO for the agent API, Graph for meetings and team membership. */
export type TeamsConfig = BaseConfig & {
  readonly mode: 'teams';
  /** `browser`: our own WebRTC call; `teams`: Teams meetings through Graph. @default "teams" */
  readonly meetingProvider: 'browser' | 'teams';
  readonly teams: {
    readonly clientId: string;
    readonly tenantId: string;
    /** Required when `meetingProvider` is "teams". */
    readonly clientSecret: string | undefined;
    readonly allowedTenantIds: readonly string[];
    /** The SSO token audience besides the client id. @default "api://<PUBLIC_BASE_URL host>/<client id>" */
    readonly appIdUri: string;
    /** @default "https://login.microsoftonline.com" */
    readonly authorityHost: string;
    /** @default "https://graph.microsoft.com/v1.0" */
    readonly graphBaseUrl: string;
    /** Only members of this Entra group may create links; `undefined`: every agent may. */
    readonly creatorGroupId: string | undefined;
    /** Longest the Teams lobby stays open after an admission (closed earlier when the customer is seen). @default 600 */
    readonly lobbyOpenSeconds: number;
  };
};

/**
 * The validated, frozen configuration, one shape per mode, so that impossible combinations (Teams
 * meetings without Entra, Entra without a tenant) cannot be expressed. The only reader of
 * `process.env` is `loadConfig`.
 */
export type Config = EmbeddedConfig | TeamsConfig;

const TemplateOverridesSchema = z.partialRecord(
  z.enum(['en', 'de']),
  z.strictObject({
    emailSubject: z.string().min(1).optional(),
    emailBody: z.string().min(1).optional(),
    sms: z.string().min(1).optional(),
    smsShort: z.string().min(1).optional(),
    defaultTitle: z.string().min(1).max(120).optional(),
  }),
);

function readTemplates(
  file: string | undefined,
  cwd: string,
  problems: string[],
): TemplateOverrides {
  if (!file) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    problems.push(`TEMPLATES_FILE: cannot read ${file} as JSON (${(error as Error).message})`);
    return {};
  }
  const parsed = TemplateOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(
        `TEMPLATES_FILE: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
      );
    }
    return {};
  }
  const overrides = parsed.data as TemplateOverrides;
  for (const p of checkTemplateOverrides(overrides)) problems.push(`TEMPLATES_FILE: ${p}`);
  return overrides;
}

/** `stun:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, `turns:host[:port][?transport=tcp]` (RFC 7064/7065). */
const ICE_URL =
  /^(stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/;

/** What is wrong with the browser call's ICE settings, one line per problem. */
function iceProblems(
  urls: readonly string[],
  turnSecret: string | undefined,
  policy: 'all' | 'relay' | undefined,
): string[] {
  const problems: string[] = [];
  for (const url of urls) {
    const match = ICE_URL.exec(url);
    const port = match?.[3] === undefined ? undefined : Number(match[3]);
    if (!match || (port !== undefined && (port < 1 || port > 65535))) {
      problems.push(
        `ICE_SERVERS: "${url}" is not a stun:, turn: or turns: URL (e.g. turn:turn.contoso.com:3478?transport=udp)`,
      );
    } else if (match[1] === 'stun' && match[4]) {
      problems.push(`ICE_SERVERS: "${url}": a stun: URL takes no ?transport`);
    } else if (match[1] === 'turns' && match[4] === 'udp') {
      problems.push(`ICE_SERVERS: "${url}": turns: runs over TCP/TLS, not udp`);
    }
  }
  const hasTurn = urls.some((u) => /^turns?:/.test(u));
  if (turnSecret && !hasTurn) {
    problems.push('TURN_SECRET: set, but ICE_SERVERS lists no turn: or turns: URL');
  }
  if (policy === 'relay' && !hasTurn) {
    problems.push('ICE_TRANSPORT_POLICY: "relay" needs a turn: or turns: URL in ICE_SERVERS');
  }
  return problems;
}

/**
 * Reads and validates the environment once, at start. Throws `ConfigError` naming every bad key.
 * Embedded mode unless Teams settings (`AAD_APP_CLIENT_ID`) are present.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const templates = readTemplates(e.TEMPLATES_FILE, cwd, problems);
  const mode = e.AAD_APP_CLIENT_ID ? 'teams' : 'embedded';
  if (e.BOT_ID && !e.BOT_PASSWORD) problems.push('BOT_PASSWORD: required when BOT_ID is set');
  if (mode === 'teams' && !e.PUBLIC_BASE_URL) {
    problems.push('PUBLIC_BASE_URL: required in Teams mode (the https origin customers open)');
  }
  const meetingProvider = e.MEETING_PROVIDER ?? (mode === 'teams' ? 'teams' : 'browser');
  if (meetingProvider === 'teams' && mode !== 'teams') {
    problems.push('MEETING_PROVIDER: "teams" needs AAD_APP_CLIENT_ID (Teams mode)');
  }
  if (mode === 'teams' && !e.AAD_APP_TENANT_ID) {
    problems.push(
      'AAD_APP_TENANT_ID: required in Teams mode (the tenant whose SSO tokens are accepted)',
    );
  }
  if (meetingProvider === 'teams' && mode === 'teams' && !e.AAD_APP_CLIENT_SECRET) {
    problems.push(
      'AAD_APP_CLIENT_SECRET: required for Teams meetings (Graph on-behalf-of and app tokens)',
    );
  }
  // Group checks read Graph with the app's own credentials: without the secret every check would
  // fail at run time (a 5xx on each new link), so the combination is refused here.
  for (const [name, value] of [
    ['CREATOR_GROUP_ID', e.CREATOR_GROUP_ID],
    ['REPORTS_GROUP_ID', e.REPORTS_GROUP_ID],
  ] as const) {
    if (value && mode === 'teams' && !e.AAD_APP_CLIENT_SECRET) {
      problems.push(
        `${name}: needs AAD_APP_CLIENT_SECRET (group membership is read through Graph)`,
      );
    }
  }
  if (e.DATABASE_SCHEMA && !e.DATABASE_URL) {
    problems.push('DATABASE_SCHEMA: needs DATABASE_URL (a schema of PostgreSQL)');
  }
  problems.push(...iceProblems(e.ICE_SERVERS, e.TURN_SECRET, e.ICE_TRANSPORT_POLICY));
  const brandLogo = e.BRAND_LOGO_FILE ? readLogo(path.resolve(cwd, e.BRAND_LOGO_FILE)) : undefined;
  if (typeof brandLogo === 'string') problems.push(`BRAND_LOGO_FILE: ${brandLogo}`);
  if (problems.length > 0) throw new ConfigError(problems);

  const host = e.HOST ?? '127.0.0.1';
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const dataDir = path.resolve(cwd, e.DATA_DIR ?? '.data');
  // Provisioning registers a single-tenant bot in the app's own tenant (botFramework/create).
  const teamsTenant = e.AAD_APP_CLIENT_ID && e.PUBLIC_BASE_URL ? e.AAD_APP_TENANT_ID : undefined;
  const botTenantId = e.BOT_TENANT_ID ?? teamsTenant;
  const base: BaseConfig = {
    port: e.PORT,
    host,
    publicBaseUrl,
    publicBaseUrlConfigured: e.PUBLIC_BASE_URL !== undefined,
    secureCookies: e.SECURE_COOKIES ?? publicBaseUrl.startsWith('https://'),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    storage: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA }
      : { kind: 'sqlite', file: path.join(dataDir, 'one-time-call.sqlite') },
    customerPages: {
      supportContact: e.SUPPORT_CONTACT ? parseSupportContact(e.SUPPORT_CONTACT) : undefined,
      brandName: e.BRAND_NAME,
      brandLogo: typeof brandLogo === 'object' ? brandLogo : undefined,
    },
    calls: {
      lobbyTimeoutSeconds: e.LOBBY_TIMEOUT_SECONDS,
      lobbyWarningSeconds: Math.min(
        e.LOBBY_WARNING_SECONDS,
        Math.floor(e.LOBBY_TIMEOUT_SECONDS / 2),
      ),
      linkGraceMinutes: e.LINK_GRACE_MINUTES,
      earlyJoinMinutes: e.EARLY_JOIN_MINUTES,
      retentionDays: e.RETENTION_DAYS,
      sweepIntervalSeconds: e.SWEEP_INTERVAL_SECONDS,
      defaultTimeZone: e.DEFAULT_TIME_ZONE ?? 'UTC',
      templates: resolveTemplates(templates, meetingProvider),
    },
    browserCall: {
      iceServers: e.ICE_SERVERS,
      turnSecret: e.TURN_SECRET,
      iceTransportPolicy: e.ICE_TRANSPORT_POLICY ?? 'all',
      reconnectSeconds: e.CALL_RECONNECT_SECONDS,
    },
    localAgent: {
      id: e.LOCAL_AGENT_ID ?? 'local-agent',
      name: e.LOCAL_AGENT_NAME ?? 'Local agent',
    },
    reports: {
      admitTargetSeconds: e.REPORT_ADMIT_TARGET_SECONDS,
      retentionDays: e.REPORT_RETENTION_DAYS,
      groupId: e.REPORTS_GROUP_ID,
    },
    localAgentToken: e.LOCAL_AGENT_TOKEN,
    bot: {
      registration:
        e.BOT_ID && e.BOT_PASSWORD
          ? {
              id: e.BOT_ID,
              password: e.BOT_PASSWORD,
              tenantId: botTenantId,
              type: e.BOT_TYPE ?? (botTenantId ? 'SingleTenant' : 'MultiTenant'),
            }
          : undefined,
      teamsAppId: e.TEAMS_APP_ID,
      escalationSeconds: e.BOT_ESCALATION_SECONDS,
    },
  };
  if (!e.AAD_APP_CLIENT_ID || !e.AAD_APP_TENANT_ID || !e.PUBLIC_BASE_URL) {
    return Object.freeze({ ...base, mode: 'embedded', meetingProvider: 'browser' } as const);
  }
  const config: TeamsConfig = {
    ...base,
    mode: 'teams',
    meetingProvider,
    teams: {
      clientId: e.AAD_APP_CLIENT_ID,
      tenantId: e.AAD_APP_TENANT_ID,
      clientSecret: e.AAD_APP_CLIENT_SECRET,
      allowedTenantIds: e.ALLOWED_TENANT_IDS,
      appIdUri:
        e.AAD_APP_ID_URI ?? `api://${new URL(e.PUBLIC_BASE_URL).host}/${e.AAD_APP_CLIENT_ID}`,
      authorityHost: (e.ENTRA_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(
        /\/+$/,
        '',
      ),
      graphBaseUrl: (e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, ''),
      creatorGroupId: e.CREATOR_GROUP_ID,
      lobbyOpenSeconds: e.LOBBY_OPEN_SECONDS,
    },
  };
  return Object.freeze(config);
}

const LOGO_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** The brand logo's bytes and type, or why it cannot be used. At most 256 KB: it loads on phones. */
function readLogo(file: string): { bytes: Buffer; contentType: string } | string {
  const contentType = LOGO_TYPES[path.extname(file).toLowerCase()];
  if (!contentType) return 'must be a .png, .svg, .jpg or .webp file';
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return `cannot read ${file}`;
  }
  if (bytes.length === 0 || bytes.length > 256 * 1024) return 'must be a file of 1 byte to 256 KB';
  return { bytes, contentType };
}
