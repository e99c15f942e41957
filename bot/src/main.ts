import http from 'node:http';
import type { Pool } from 'pg';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  asAadObjectId,
  sweepDueCalls,
  type CallDeps,
  type CallEventBus,
  type CallStore,
  type Clock,
  type ConversationStore,
  type NotificationOutbox,
  type MeetingProvider,
  type RandomSource,
  type ReportStore,
  type ReportsGroup,
  type SweepResult,
  type TeamDirectory,
} from '@shared';
import { GraphClient } from './adapters/graph/graph-client';
import { GraphMeetingProvider } from './adapters/graph/graph-meeting-provider';
import { GraphGroupMembership, GraphTeamDirectory } from './adapters/graph/graph-team-directory';
import { EntraTokenSource } from './adapters/graph/graph-token-source';
import { PostgresConversationStore } from './adapters/conversations/postgres-conversation-store';
import { PostgresNotificationOutbox } from './adapters/conversations/postgres-notification-outbox';
import { SqliteConversationStore } from './adapters/conversations/sqlite-conversation-store';
import { SqliteNotificationOutbox } from './adapters/conversations/sqlite-notification-outbox';
import { LocalMeetingProvider } from './adapters/meetings/local-meeting-provider';
import { SqliteCallStore } from './adapters/storage/sqlite-call-store';
import { PostgresCallStore } from './adapters/storage/postgres-call-store';
import { PostgresReportStore } from './adapters/reports/postgres-report-store';
import { SqliteReportStore } from './adapters/reports/sqlite-report-store';
import { ReportRoller } from './reports/report-roller';
import { PostgresCallEventBus } from './adapters/storage/postgres-call-event-bus';
import { InMemoryCallEventBus } from './adapters/system/in-memory-call-event-bus';
import { CryptoRandomSource, NodeHasher, SystemClock } from './adapters/system/node-system';
import { ConfigError, loadConfig, type Config } from './config';
import type { AgentAuthenticator } from './http/agent-auth';
import { createApp } from './http/app';
import { EntraAgentAuthenticator } from './http/auth/entra-agent-authenticator';
import { LocalAgentAuthenticator } from './http/local-agent-auth';
import { createLogger, errorFields, type Logger } from './logger';
import { createTeamsBot, type TeamsBot } from './teams';
import { createMeetingEventHandler } from './teams-meeting/meeting-events';

/** Parts a test (or another host) may replace; everything else comes from the config. */
export type ServerOverrides = {
  readonly clock?: Clock | undefined;
  readonly random?: RandomSource | undefined;
  readonly store?: CallStore | undefined;
  readonly bus?: CallEventBus | undefined;
  readonly meetings?: MeetingProvider | undefined;
  readonly teams?: TeamDirectory | undefined;
  readonly auth?: AgentAuthenticator | undefined;
  readonly logger?: Logger | undefined;
  readonly tabDir?: string | undefined;
  /** Run the sweeper on a timer. @default true */
  readonly sweeper?: boolean | undefined;
  readonly guessLimit?: { readonly limit: number; readonly windowMs: number } | undefined;
  /** Report roll-ups (default: next to the calls; none when `store` is overridden without it). */
  readonly reports?: ReportStore | undefined;
  /** Who sees organisation-wide figures. @default Teams: `REPORTS_GROUP_ID`; embedded: the local agent */
  readonly reportsGroup?: ReportsGroup | undefined;
  /** The bot's stores (default: next to the calls) and where its proactive requests go (tests). */
  readonly bot?:
    | {
        readonly conversations?: ConversationStore | undefined;
        readonly outbox?: NotificationOutbox | undefined;
        readonly connectorBaseUrlOverride?: string | undefined;
        /** Run the lobby notifier (proactive cards). @default true */
        readonly notifier?: boolean | undefined;
      }
    | undefined;
};

/** A running server. */
export type RunningServer = {
  readonly url: string;
  readonly port: number;
  readonly deps: CallDeps;
  readonly config: Config;
  /** One sweep now (tests drive time with an injected clock). */
  sweep(): Promise<SweepResult>;
  /** The Teams bot (tests drive its notifier with `flush`). */
  readonly bot: TeamsBot;
  /** One roll-up pass of the reports now; resolves how many events it took (0 without reports). */
  rollUpReports(): Promise<number>;
  close(): Promise<void>;
};

/** Embedded mode's team directory: on one machine there is one agent, a member of every team. */
const everyoneIsMember: TeamDirectory = { isMember: () => Promise.resolve(true) };

/** Teams mode: Entra SSO for the agent API, Graph for meetings and team membership. */
function buildTeamsAdapters(config: Config, logger: Logger) {
  const t = config.teams;
  if (!t.clientId || !t.tenantId)
    throw new Error('Teams mode needs AAD_APP_CLIENT_ID and AAD_APP_TENANT_ID');
  const graph = new GraphClient({
    baseUrl: t.graphBaseUrl,
    tokens: new EntraTokenSource({
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
          installAppInMeeting: t.teamsAppId ? { teamsAppId: t.teamsAppId } : undefined,
          onBackgroundError: (error, meeting) =>
            logger.warn('Teams meeting background step failed', {
              meetingId: meeting.meetingId,
              ...errorFields(error),
            }),
        })
      : undefined;
  const reportsGroupId = config.reports.groupId;
  const membership = new GraphGroupMembership({ graph });
  const reportsGroup: ReportsGroup = {
    isMember: (agentId) =>
      reportsGroupId
        ? membership.isMemberOf(asAadObjectId(agentId), reportsGroupId)
        : Promise.resolve(false),
  };
  return { auth, meetings, teams: new GraphTeamDirectory({ graph }), reportsGroup };
}

/** The calls' store and bus; with PostgreSQL also its pool, which the bot's stores share. */
function buildStorage(
  config: Config,
  logger: Logger,
): { store: CallStore; bus: CallEventBus; pool?: Pool | undefined } {
  if (config.storage.kind === 'postgres') {
    const store = new PostgresCallStore(config.storage.url, {
      onBackgroundError: (error) =>
        logger.warn('idle database connection failed', errorFields(error)),
    });
    const bus = new PostgresCallEventBus(config.storage.url, store, {
      onError: (error) => logger.warn('call change fan-out failed', errorFields(error)),
    });
    return { store, bus, pool: store.pool };
  }
  return {
    store: new SqliteCallStore(config.storage.file),
    bus: new InMemoryCallEventBus((error) =>
      logger.error('event listener failed', errorFields(error)),
    ),
  };
}

/**
 * The bot's conversation references and outbox, next to the calls. With PostgreSQL they borrow the
 * calls' pool (one pool per instance, not three); the call store closes it.
 */
function buildBotStores(
  config: Config,
  pool: Pool | undefined,
): {
  conversations: ConversationStore & { close(): Promise<void> };
  outbox: NotificationOutbox & { close(): Promise<void> };
} {
  if (config.storage.kind === 'postgres') {
    return {
      conversations: new PostgresConversationStore(pool ?? config.storage.url),
      outbox: new PostgresNotificationOutbox(pool ?? config.storage.url),
    };
  }
  return {
    conversations: new SqliteConversationStore(config.storage.file),
    outbox: new SqliteNotificationOutbox(config.storage.file),
  };
}

/** The composition root: the only place that constructs adapters. */
export async function startServer(
  config: Config,
  overrides: ServerOverrides = {},
): Promise<RunningServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const storage = overrides.store
    ? { store: overrides.store, bus: overrides.bus ?? new InMemoryCallEventBus() }
    : buildStorage(config, logger);
  const { store, bus } = storage;
  const sharedPool = 'pool' in storage ? storage.pool : undefined;
  await store.migrate();
  const random = overrides.random ?? new CryptoRandomSource();
  const teamsAdapters = config.mode === 'teams' ? buildTeamsAdapters(config, logger) : undefined;
  const server = http.createServer();
  // Long-lived SSE responses must not be cut by Node's request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const localHost = config.host.includes(':')
    ? `[${config.host}]`
    : config.host === '0.0.0.0'
      ? 'localhost'
      : config.host;
  const url = `http://${localHost}:${port}`;
  const publicBaseUrl = config.publicBaseUrlConfigured
    ? config.publicBaseUrl
    : `http://localhost:${port}`;

  const deps: CallDeps = {
    store,
    bus,
    clock: overrides.clock ?? new SystemClock(),
    random,
    hasher: new NodeHasher(),
    meetings: overrides.meetings ?? teamsAdapters?.meetings ?? new LocalMeetingProvider(random),
    teams: overrides.teams ?? teamsAdapters?.teams ?? everyoneIsMember,
    settings: {
      publicBaseUrl,
      linkGraceMinutes: config.calls.linkGraceMinutes,
      lobbyTimeoutSeconds: config.calls.lobbyTimeoutSeconds,
      earlyJoinMinutes: config.calls.earlyJoinMinutes,
      lobbyOpenSeconds: config.teams.lobbyOpenSeconds,
      defaultTimeZone: config.calls.defaultTimeZone,
      templates: config.calls.templates,
    },
  };
  const publicOrigin = new URL(publicBaseUrl).origin;
  const auth: AgentAuthenticator =
    overrides.auth ??
    teamsAdapters?.auth ??
    new LocalAgentAuthenticator(config.localAgent, [new URL(publicBaseUrl).hostname]);
  const allowedOrigins =
    config.mode === 'embedded'
      ? [
          publicOrigin,
          `http://localhost:${port}`,
          `http://127.0.0.1:${port}`,
          `http://[::1]:${port}`,
        ]
      : [publicOrigin];

  const ownBotStores =
    overrides.bot?.conversations && overrides.bot.outbox
      ? undefined
      : buildBotStores(config, sharedPool);
  const conversations = overrides.bot?.conversations ?? ownBotStores!.conversations;
  const outbox = overrides.bot?.outbox ?? ownBotStores!.outbox;
  await conversations.migrate();
  await outbox.migrate();
  const reports =
    overrides.reports ??
    (overrides.store
      ? undefined
      : config.storage.kind === 'postgres'
        ? new PostgresReportStore(sharedPool ?? config.storage.url)
        : new SqliteReportStore(config.storage.file));
  await reports?.migrate();
  const roller = reports
    ? new ReportRoller({
        reports,
        clock: deps.clock,
        logger,
        retentionDays: config.reports.retentionDays,
      })
    : undefined;
  const bot = createTeamsBot({
    deps,
    conversations,
    outbox,
    logger,
    config: {
      botId: config.teams.botId,
      botPassword: config.teams.botPassword,
      botTenantId: config.teams.botTenantId,
      botType: config.teams.botType,
      teamsAppId: config.teams.teamsAppId,
      publicBaseUrl,
      localAgent: config.localAgent,
      escalationSeconds: config.teams.escalationSeconds,
    },
    connectorBaseUrlOverride: overrides.bot?.connectorBaseUrlOverride,
    mayCreate: (principal) => auth.mayCreate?.(principal) ?? Promise.resolve(true),
    onMeetingEvent:
      config.meetingProvider === 'teams' ? createMeetingEventHandler(deps) : undefined,
    onEscalated: reports ? (callId, at) => reports.markEscalated(callId, at) : undefined,
  });

  const { app, streams } = createApp({
    botHandler: (req, res) => bot.handleActivity(req, res),
    botLoopbackOnly: !config.teams.botId,
    botReachable: (agentId) => bot.isReachable(asAadObjectId(agentId)),
    deliveryFailures: async (agentId) =>
      (await bot.deliveryFailures(asAadObjectId(agentId))).map(
        ({ callId, reason, attempts, at }) => ({
          callId,
          reason,
          attempts,
          at,
        }),
      ),
    deps,
    auth,
    mode: config.mode,
    logger,
    trustProxy: config.trustProxy,
    secureCookies: config.secureCookies,
    allowedOrigins,
    tabDir: overrides.tabDir ?? path.resolve(process.cwd(), 'dist/tab'),
    guessLimit: overrides.guessLimit,
    ready: () => store.ping(),
    reports:
      reports && roller
        ? {
            deps: {
              reports,
              clock: deps.clock,
              teams: deps.teams,
              reportsGroup: overrides.reportsGroup ??
                teamsAdapters?.reportsGroup ?? {
                  isMember: (agentId) => Promise.resolve(agentId === config.localAgent.id),
                },
              settings: { admitTargetSeconds: config.reports.admitTargetSeconds },
            },
            onOpened: (callId) => roller.noteOpened(callId),
          }
        : undefined,
  });
  server.on('request', app);
  if (overrides.bot?.notifier !== false) bot.start();
  if (overrides.sweeper !== false) roller?.start();

  const sweep = () => sweepDueCalls(deps);
  let sweeping = false;
  const timers: NodeJS.Timeout[] = [];
  if (overrides.sweeper !== false) {
    timers.push(
      setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweep()
          .then((r) => {
            if (r.expired + r.abandoned + r.ended > 0) logger.info('swept calls', r);
          })
          .catch((error: unknown) => logger.error('sweep failed', errorFields(error)))
          .finally(() => {
            sweeping = false;
          });
      }, config.calls.sweepIntervalSeconds * 1000),
      setInterval(() => {
        const before = new Date(
          deps.clock.now().getTime() - config.calls.retentionDays * 86_400_000,
        ).toISOString();
        store
          .purge(before)
          .then((n) => n > 0 && logger.info('purged old calls', { count: n }))
          .catch((error: unknown) => logger.error('purge failed', errorFields(error)));
        bot
          .purge(before)
          .catch((error: unknown) => logger.error('bot outbox purge failed', errorFields(error)));
      }, 3_600_000),
    );
    for (const t of timers) t.unref();
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const t of timers) clearInterval(t);
      streams.closeAll();
      await bot.stop();
      await roller?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await bus.close();
      await reports?.close();
      await store.close();
      await ownBotStores?.conversations.close();
      await ownBotStores?.outbox.close();
    })());

  const rollUpReports = () => roller?.tick() ?? Promise.resolve(0);
  return { url, port, deps, config, sweep, bot, rollUpReports, close };
}

/** `npm start`: read the config, start, and shut down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, { logger });
  const where =
    config.storage.kind === 'sqlite' ? `SQLite at ${config.storage.file}` : 'PostgreSQL';
  process.stdout.write(
    `\nOne-Time Call is running (${config.mode} mode, ${where}).\n` +
      `  Agent tab:      ${server.url}/\n` +
      `  Customer links: ${server.deps.settings.publicBaseUrl}/j/<code>\n` +
      `  Bot endpoint:   ${server.url}/api/messages\n\n`,
  );
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `One-Time Call failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
