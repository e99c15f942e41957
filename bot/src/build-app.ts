import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  asAadObjectId,
  type AadObjectId,
  sweepDueCalls,
  type CallDeps,
  type CallEventBus,
  type CallSettings,
  type CallSignalStore,
  type CallStore,
  type Clock,
  type ConversationStore,
  type MeetingProvider,
  type MeetingSyncOutbox,
  type NotificationOutbox,
  type RandomSource,
  type ReportStore,
  type ReportsGroup,
  type SweepResult,
  type TeamDirectory,
} from '@shared';
import { SqliteConversationStore } from './adapters/conversations/sqlite-conversation-store';
import { SqliteNotificationOutbox } from './adapters/conversations/sqlite-notification-outbox';
import type { GraphTokenSource } from './adapters/graph/graph-token-source';
import { SqliteMeetingSyncOutbox } from './adapters/meeting-sync/sqlite-meeting-sync-outbox';
import { BrowserMeetingProvider } from './adapters/meetings/browser-meeting-provider';
import { SqliteReportStore } from './adapters/reports/sqlite-report-store';
import { SqliteCallSignalStore } from './adapters/storage/sqlite-call-signal-store';
import { SqliteCallStore } from './adapters/storage/sqlite-call-store';
import { SqliteCheckpointer } from './adapters/storage/sqlite-checkpointer';
import { InMemoryCallEventBus } from './adapters/system/in-memory-call-event-bus';
import { CryptoRandomSource, NodeHasher, SystemClock } from './adapters/system/node-system';
import { TurnRestIceServers } from './adapters/system/turn-rest-ice-servers';
import { DEFAULT_LOBBY_OPEN_SECONDS, type Config } from './config';
import type { AgentAuthenticator } from './http/agent-auth';
import { createApp } from './http/app';
import { LocalAgentAuthenticator, LocalTrust } from './http/local-agent-auth';
import { createHttpServer, type ServerLimits } from './http/server-limits';
import type { StreamLimits } from './http/sse';
import { StartupGate } from './http/startup-gate';
import { createLogger, errorFields, type Logger } from './logger';
import { createBotConnector } from './teams/bot-connector';
import { createTeamsBot, type TeamsBot } from './teams/create-teams-bot';
import { ReportRoller } from './reports/report-roller';
import { createMeetingEventHandler } from './teams/meeting-activity';
import { MeetingSync } from './teams-meeting/meeting-sync';

/** Who signs agents in, where meetings come from, and who belongs to which team. */
export type CloudAdapters = {
  readonly auth: AgentAuthenticator;
  readonly meetings: MeetingProvider;
  readonly teams: TeamDirectory;
  /** Who sees organisation-wide figures. @default members of `REPORTS_GROUP_ID` (none when unset) */
  readonly reportsGroup?: ReportsGroup | undefined;
  /**
   * Installs the app for an agent who has no chat with the bot yet (Graph, app in the org
   * catalog), so their lobby cards reach them. `undefined`: not installed proactively.
   */
  readonly installer?: { installFor(agentId: AadObjectId): Promise<unknown> } | undefined;
};

/**
 * The few parts a test, a bench or another host may replace; everything else comes from the
 * config. Storage is configured (`DATABASE_URL`, `DATABASE_SCHEMA`, `DATA_DIR`), never injected.
 */
export type AppOverrides = {
  /** Tests drive time. @default the system clock */
  readonly clock?: Clock | undefined;
  readonly random?: RandomSource | undefined;
  /** @default a logger at `config.logLevel` */
  readonly logger?: Logger | undefined;
  /**
   * Teams mode only: Entra, Graph meetings and the team directory as the caller built them (tests
   * point them at loopback fakes and their clock). @default built from `config.teams`
   */
  readonly cloud?: CloudAdapters | undefined;
  /**
   * Teams mode only, when `cloud` is not given: where Graph tokens come from (tests: MSAL pointed at
   * the https fake Entra, trusting its test CA). @default MSAL against `config.teams.authorityHost`
   */
  readonly graphTokens?: GraphTokenSource | undefined;
  /**
   * Where the Bot Framework channel's signing keys are described, for the checks of `BOT_ID`'s
   * tokens on `/api/messages` (tests: the loopback fake Entra). @default the public cloud's
   */
  readonly botOpenIdMetadataUrl?: string | undefined;
  /** The built tab. @default `dist/tab` under the working directory */
  readonly tabDir?: string | undefined;
  /** Failed link guesses per address per window before `429`. @default 30 per 10 minutes */
  readonly guessLimit?: { readonly limit: number; readonly windowMs: number } | undefined;
  /** Run the sweeper and retention purge on timers. @default true */
  readonly sweeper?: boolean | undefined;
  /** Run the bot's lobby notifier (proactive cards). @default true */
  readonly notifier?: boolean | undefined;
  /** Timeouts and caps on what a client may hold (tests use short ones). @default production limits */
  readonly limits?:
    | { readonly server?: Partial<ServerLimits>; readonly streams?: Partial<StreamLimits> }
    | undefined;
};

/** A listening server. */
export type RunningServer = {
  readonly url: string;
  readonly port: number;
  readonly deps: CallDeps;
  readonly config: Config;
  /** One sweep now (tests drive time with an injected clock). */
  sweep(): Promise<SweepResult>;
  /** The Teams bot (tests drive its notifier with `flush`). */
  readonly bot: TeamsBot;
  /** One roll-up pass of the reports now; resolves how many events it took. */
  rollUpReports(): Promise<number>;
  /**
   * Teams meetings: the meeting-sync outbox's worker (tests run its rounds with `kick`).
   * `undefined` when meeting steps run inline (embedded meetings).
   */
  readonly meetingSync: MeetingSync | undefined;
  close(): Promise<void>;
};

/** Everything built, migrated and attached; nothing listening yet. */
export type BuiltApp = Omit<RunningServer, 'url' | 'port'> & {
  /** Binds `config.port` on `config.host` and starts the background work. The last step. */
  listen(): Promise<RunningServer>;
};

/** Embedded mode's team directory: on one machine there is one agent, a member of every team. */
const everyoneIsMember: TeamDirectory = { isMember: () => Promise.resolve(true) };

type Closable = { close(): Promise<void> };

/** The calls' store and bus and the bot's stores, on one storage. */
export type Storage = {
  store: CallStore;
  bus: CallEventBus & { listening?: () => Promise<void> };
  conversations: ConversationStore & Closable;
  outbox: NotificationOutbox & Closable;
  reports: ReportStore;
  signals: CallSignalStore;
  meetingSync: MeetingSyncOutbox & Closable;
};

/**
 * The stores of the configured storage. PostgreSQL's adapters (and `pg`) are loaded only when it is
 * configured: an embedded server does not carry them (see `postgres-storage.ts`).
 */
async function buildStorage(config: Config, logger: Logger): Promise<Storage> {
  if (config.storage.kind === 'postgres') {
    const { buildPostgresStorage } = await import('./postgres-storage');
    return buildPostgresStorage(config.storage, logger);
  }
  const file = config.storage.file;
  return {
    store: new SqliteCallStore(file),
    bus: new InMemoryCallEventBus((error) =>
      logger.error('event listener failed', errorFields(error)),
    ),
    conversations: new SqliteConversationStore(file),
    outbox: new SqliteNotificationOutbox(file),
    reports: new SqliteReportStore(file),
    signals: new SqliteCallSignalStore(file),
    meetingSync: new SqliteMeetingSyncOutbox(file),
  };
}

/**
 * The composition root, the only place that constructs adapters: builds and migrates the call
 * store, the bus and the bot's stores, builds the bot and the HTTP app and attaches every handler.
 * Nothing listens until `listen()`; a request that reaches the server before it is ready, or while
 * it closes, gets `503` with `Retry-After`.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<BuiltApp> {
  const {
    clock = new SystemClock(),
    random = new CryptoRandomSource(),
    logger = createLogger(config.logLevel),
    tabDir = path.resolve(process.cwd(), 'dist/tab'),
    sweeper = true,
    notifier = true,
  } = overrides;

  const {
    store,
    bus,
    conversations,
    outbox,
    signals,
    reports,
    meetingSync: syncOutbox,
  } = await buildStorage(config, logger);
  try {
    await store.migrate();
    await signals.migrate();
    await conversations.migrate();
    await outbox.migrate();
    await reports.migrate();
    await syncOutbox.migrate();
    await bus.listening?.();
  } catch (error) {
    // A failed start (an unreachable database) leaves nothing behind, such as the bus reconnecting.
    await Promise.allSettled([
      bus.close(),
      signals.close(),
      conversations.close(),
      outbox.close(),
      reports.close(),
      syncOutbox.close(),
      store.close(),
    ]);
    throw error;
  }

  // SQLite: the WAL is copied into the file by a worker thread, not by the requests' commits.
  const checkpointer =
    config.storage.kind === 'sqlite' && config.storage.file !== ':memory:'
      ? new SqliteCheckpointer(config.storage.file)
      : undefined;

  // Unless PUBLIC_BASE_URL is configured, the links follow the port actually bound (port 0 in tests).
  let publicBaseUrl = config.publicBaseUrl;
  const settings: CallSettings = {
    get publicBaseUrl() {
      return publicBaseUrl;
    },
    linkGraceMinutes: config.calls.linkGraceMinutes,
    lobbyTimeoutSeconds: config.calls.lobbyTimeoutSeconds,
    lobbyWarningSeconds: config.calls.lobbyWarningSeconds,
    earlyJoinMinutes: config.calls.earlyJoinMinutes,
    lobbyOpenSeconds:
      config.mode === 'teams' ? config.teams.lobbyOpenSeconds : DEFAULT_LOBBY_OPEN_SECONDS,
    defaultTimeZone: config.calls.defaultTimeZone,
    templates: config.calls.templates,
    // Graph meetings: moves answer at once, their meeting steps run from the persisted outbox.
    meetingSync: config.meetingProvider === 'teams' ? 'outbox' : 'inline',
  };
  const publicHost = new URL(config.publicBaseUrl).hostname;
  // Embedded mode also accepts the tab opened on this machine's loopback names (ports added on listen).
  const allowedOrigins = [new URL(config.publicBaseUrl).origin];
  const localTrust = new LocalTrust({
    allowedOrigins,
    hosts: [publicHost],
    token: config.localAgentToken,
  });
  // Teams mode's adapters (Graph, MSAL, Entra) are loaded only in Teams mode (`teams-cloud.ts`).
  const teamsCloud = config.mode === 'teams' ? await import('./teams-cloud') : undefined;
  const cloud: CloudAdapters =
    config.mode === 'teams' && teamsCloud
      ? (overrides.cloud ?? teamsCloud.buildCloud(config, random, logger, overrides.graphTokens))
      : {
          auth: new LocalAgentAuthenticator(config.localAgent, localTrust),
          meetings: new BrowserMeetingProvider(random),
          teams: everyoneIsMember,
        };
  const deps: CallDeps = {
    store,
    bus,
    clock,
    random,
    hasher: new NodeHasher(),
    meetings: cloud.meetings,
    teams: cloud.teams,
    settings,
    room: {
      signals,
      ice: new TurnRestIceServers({
        urls: config.browserCall.iceServers,
        secret: config.browserCall.turnSecret,
      }),
      settings: {
        reconnectSeconds: config.browserCall.reconnectSeconds,
        iceTransportPolicy: config.browserCall.iceTransportPolicy,
      },
    },
  };
  const agentPolicy =
    teamsCloud && cloud.auth instanceof teamsCloud.EntraAgentAuthenticator
      ? cloud.auth.policy
      : undefined;
  const bot = createTeamsBot({
    deps,
    conversations,
    outbox,
    logger,
    connector: createBotConnector(config.bot.registration, {
      openIdMetadataUrl: overrides.botOpenIdMetadataUrl,
    }),
    config: {
      teamsAppId: config.bot.teamsAppId,
      publicBaseUrl: config.publicBaseUrl,
      localAgent: config.localAgent,
      escalationSeconds: config.bot.escalationSeconds,
    },
    // One policy for the tab and the bot: the authenticator's (tenants, creator group via Graph).
    mayCreate: (principal) => cloud.auth.mayCreate?.(principal) ?? Promise.resolve(true),
    tenantAllowed: agentPolicy ? (tenantId) => agentPolicy.tenantAllowed(tenantId) : undefined,
    onMeetingEvent:
      config.meetingProvider === 'teams' ? createMeetingEventHandler(deps) : undefined,
    onEscalated: (callId, at) => reports.markEscalated(callId, at),
  });
  const roller = new ReportRoller({
    reports,
    clock,
    logger,
    retentionDays: config.reports.retentionDays,
  });

  const { handle, streams } = createApp({
    botHandler: (req, res) => bot.handleActivity(req, res),
    botLoopbackOnly: config.bot.registration === undefined,
    localTrust,
    streamLimits: overrides.limits?.streams,
    botReachable: (agentId) => bot.isReachable(asAadObjectId(agentId)),
    deliveryFailures: async (agentId) =>
      (await bot.deliveryFailures(asAadObjectId(agentId))).map(
        ({ callId, reason, attempts, at }) => ({ callId, reason, attempts, at }),
      ),
    deps,
    auth: cloud.auth,
    mode: config.mode,
    logger,
    trustProxy: config.trustProxy,
    secureCookies: config.secureCookies,
    allowedOrigins,
    tabDir,
    guessLimit: overrides.guessLimit,
    ready: () => store.ping(),
    customerSite: config.customerPages,
    cardDelivered: async (callId) => (await outbox.sentCards(callId)).length > 0,
    reports: {
      deps: {
        reports,
        clock,
        teams: cloud.teams,
        // Embedded mode: the one local agent is the organisation.
        reportsGroup: cloud.reportsGroup ?? {
          isMember: (agentId) =>
            Promise.resolve(config.mode === 'embedded' && agentId === config.localAgent.id),
        },
        settings: { admitTargetSeconds: config.reports.admitTargetSeconds },
      },
      onOpened: (callId) => roller.noteOpened(callId),
    },
  });
  const gate = new StartupGate(handle);
  const server = createHttpServer(gate.handle, {
    limits: overrides.limits?.server,
    trustProxy: config.trustProxy,
  });

  // A new link's agent without a bot chat gets the app installed now, before a customer waits.
  const installer = cloud.installer;
  const stopInstalling = installer
    ? bus.subscribe(({ call, event }) => {
        if (event.type !== 'created') return;
        void bot
          .isReachable(call.agent.id)
          .then((reachable) => (reachable ? undefined : installer.installFor(call.agent.id)))
          .catch((error: unknown) =>
            logger.warn('proactive install of the app for an agent failed', {
              callId: call.id,
              ...errorFields(error),
            }),
          );
      })
    : undefined;

  const meetingSync =
    settings.meetingSync === 'outbox'
      ? new MeetingSync({ deps, outbox: syncOutbox, logger })
      : undefined;

  const sweep = () => sweepDueCalls(deps);
  const timers: NodeJS.Timeout[] = [];
  const startBackground = () => {
    if (notifier) bot.start();
    if (notifier) meetingSync?.start();
    if (!sweeper) return;
    roller.start();
    let sweeping = false;
    timers.push(
      setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweep()
          .then((r) => {
            if (r.expired + r.abandoned + r.timedOut + r.ended + r.peerGone + r.seatsAbsent > 0)
              logger.info('swept calls', r);
          })
          .catch((error: unknown) => logger.error('sweep failed', errorFields(error)))
          .finally(() => {
            sweeping = false;
          });
      }, config.calls.sweepIntervalSeconds * 1000),
      setInterval(() => {
        const before = new Date(
          clock.now().getTime() - config.calls.retentionDays * 86_400_000,
        ).toISOString();
        store
          .purge(before)
          .then((n) => n > 0 && logger.info('purged old calls', { count: n }))
          .catch((error: unknown) => logger.error('purge failed', errorFields(error)));
        bot
          .purge(before)
          .catch((error: unknown) => logger.error('bot outbox purge failed', errorFields(error)));
        syncOutbox
          .purge(before)
          .catch((error: unknown) => logger.error('meeting-sync purge failed', errorFields(error)));
      }, 3_600_000),
    );
    for (const t of timers) t.unref();
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      gate.drain();
      for (const t of timers) clearInterval(t);
      streams.closeAll();
      await bot.stop();
      await roller.stop();
      await meetingSync?.stop();
      stopInstalling?.();
      if (server.listening) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      }
      await bus.close();
      await conversations.close();
      await outbox.close();
      await reports.close();
      await signals.close();
      await syncOutbox.close();
      await checkpointer?.stop();
      await store.close();
    })());

  const listen = async (): Promise<RunningServer> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const localHost = config.host.includes(':')
      ? `[${config.host}]`
      : config.host === '0.0.0.0'
        ? 'localhost'
        : config.host;
    if (!config.publicBaseUrlConfigured) publicBaseUrl = `http://localhost:${port}`;
    allowedOrigins[0] = new URL(publicBaseUrl).origin;
    if (config.mode === 'embedded') {
      allowedOrigins.push(
        `http://localhost:${port}`,
        `http://127.0.0.1:${port}`,
        `http://[::1]:${port}`,
      );
    }
    gate.open();
    startBackground();
    return {
      url: `http://${localHost}:${port}`,
      port,
      deps,
      config,
      sweep,
      bot,
      rollUpReports,
      meetingSync,
      close,
    };
  };

  const rollUpReports = () => roller.tick();
  return { deps, config, sweep, bot, rollUpReports, meetingSync, close, listen };
}
