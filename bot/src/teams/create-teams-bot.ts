import type { Request, Response } from 'botbuilder';
import type {
  AadObjectId,
  AgentPrincipal,
  CallDeps,
  ConversationStore,
  NotificationOutbox,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import type { BotConnector } from './bot-connector';
import { cardLocale } from './cards/card-strings';
import { buildErrorCard, buildNoticeCard } from './cards/command-cards';
import { describeMeetingWarning, type MeetingEventHandler } from './meeting-activity';
import type { CardSender } from './delivery/connector-client';
import { botbuilder, oneTimeCallBotModule } from './botbuilder-lazy';
import type { OneTimeCallBot } from './one-time-call-bot';
import {
  LobbyNotifier,
  type DeliveryFailure,
  type LobbyNotifierTuning,
} from './outbox/lobby-notifier';

/** The bot's behaviour (from `bot/src/config.ts`). */
export type TeamsBotConfig = {
  /** The Teams app id; the cards' "Open" button deep-links to its personal tab `home`. */
  readonly teamsAppId?: string | undefined;
  readonly publicBaseUrl: string;
  /** Embedded mode's only agent: whoever talks to an unregistered bot acts as this agent. */
  readonly localAgent: { readonly id: string; readonly name: string };
  /** Post to the team channel / remind the agent when nobody reacted. 0 turns it off. @default 60 */
  readonly escalationSeconds?: number | undefined;
};

/** Options of {@link createTeamsBot}. */
export type TeamsBotOptions = {
  readonly deps: CallDeps;
  readonly conversations: ConversationStore;
  readonly outbox: NotificationOutbox;
  readonly config: TeamsBotConfig;
  readonly logger: Logger;
  /** The Bot Framework adapter and card sender, built by the composition root (`createBotConnector`). */
  readonly connector: BotConnector;
  readonly tuning?: Partial<LobbyNotifierTuning> | undefined;
  /** The optional creator-group check of the tab's API, for the bot's `new` command. */
  readonly mayCreate?: ((principal: AgentPrincipal) => Promise<boolean>) | undefined;
  /**
   * The tenant rule of the same policy: activities from other tenants are answered as from an
   * unknown user and change nothing. `undefined`: every tenant (embedded mode).
   */
  readonly tenantAllowed?: ((tenantId: string | undefined) => boolean) | undefined;
  /**
   * Teams mode: `createMeetingEventHandler(deps)`. Meeting events then move calls on, and warnings
   * (a third person, a join before admission) reach the agent's personal chat.
   */
  readonly onMeetingEvent?: MeetingEventHandler | undefined;
  /** See `LobbyNotifierOptions.onEscalated`. */
  readonly onEscalated?: ((callId: string, at: string) => Promise<void>) | undefined;
};

/** The running bot, as the server uses it. */
export type TeamsBot = {
  /** `POST /api/messages` (the Bot Framework endpoint). Needs the JSON body already parsed. */
  handleActivity(req: Request, res: Response): Promise<void>;
  /** Starts the lobby notifier (event log polling, bus wake-ups, delivery). */
  start(): void;
  /** Stops the notifier and waits for the round in progress. */
  stop(): Promise<void>;
  /** Whether the bot has a personal chat with the agent (`/api/me` → `botReachable`). */
  isReachable(agentId: AadObjectId): Promise<boolean>;
  /** The agent's failed card deliveries, newest first (for the tab). */
  deliveryFailures(agentId: AadObjectId): Promise<DeliveryFailure[]>;
  /** One notifier round now; resolves when it is done (tests and benchmarks drive it). */
  flush(): Promise<void>;
  /** Retention: forgets finished notifications and sent-card ids older than `before` (ISO). */
  purge(before: string): Promise<number>;
  /** The handler, for `TestAdapter` turns. */
  readonly bot: OneTimeCallBot;
};

/** The tab's address for the cards' "Open" button. */
export function tabUrlFor(config: Pick<TeamsBotConfig, 'teamsAppId' | 'publicBaseUrl'>): string {
  return config.teamsAppId
    ? `https://teams.microsoft.com/l/entity/${encodeURIComponent(config.teamsAppId)}/home`
    : `${config.publicBaseUrl.replace(/\/+$/, '')}/`;
}

/**
 * Assembles the Teams bot from built parts: inbound turns through the connector's adapter, and the
 * lobby notifier for proactive cards through its sender. Constructs no adapter of its own.
 */
export function createTeamsBot(options: TeamsBotOptions): TeamsBot {
  const { config, logger, deps } = options;
  const { registered } = options.connector;
  const sender: CardSender = options.connector.sender;
  const tabUrl = tabUrlFor(config);
  // The inbound bot is built on its first turn: it loads botbuilder (see `botbuilder-lazy.ts`).
  let turns: OneTimeCallBot | undefined;
  const buildTurns = (): OneTimeCallBot => {
    const { CardFactory, MessageFactory } = botbuilder();
    const { OneTimeCallBot } = oneTimeCallBotModule();
    options.connector.adapter.onTurnError = async (context, error) => {
      logger.error('bot turn failed', {
        activityType: context.activity.type,
        ...errorFields(error),
      });
      if (context.activity.type !== 'message') return;
      const card = buildErrorCard('internal', cardLocale(context.activity.locale), tabUrl);
      await context
        .sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)))
        .catch(() => undefined);
    };
    return new OneTimeCallBot({
      deps,
      conversations: options.conversations,
      logger,
      tabUrl,
      // Real Teams only: the Agents Playground does not support card refresh.
      autoRefresh: registered,
      localAgent: registered ? undefined : config.localAgent,
      mayCreate: options.mayCreate,
      tenantAllowed: options.tenantAllowed,
      meetingEvents: options.onMeetingEvent
        ? {
            handle: options.onMeetingEvent,
            warnAgent: async (call, warning) => {
              const ref = await options.conversations.get({
                kind: 'personal',
                agentId: call.agent.id,
              });
              if (!ref) {
                logger.warn('meeting warning not delivered: no bot chat', {
                  callId: call.id,
                  kind: warning.kind,
                });
                return;
              }
              const locale = cardLocale(ref.locale);
              const card = buildNoticeCard(
                describeMeetingWarning(warning, call.title, locale),
                locale,
                tabUrl,
              );
              await sender.send(ref, card).catch((error: unknown) => {
                logger.warn('meeting warning not delivered', {
                  callId: call.id,
                  ...errorFields(error),
                });
              });
            },
          }
        : undefined,
    });
  };
  const bot = (): OneTimeCallBot => (turns ??= buildTurns());
  const notifier = new LobbyNotifier({
    deps,
    conversations: options.conversations,
    outbox: options.outbox,
    sender,
    logger,
    tabUrl,
    // Real Teams only: the Agents Playground does not support card refresh.
    autoRefresh: registered,
    escalationSeconds: config.escalationSeconds ?? 60,
    tuning: options.tuning,
    onEscalated: options.onEscalated,
  });
  return {
    handleActivity: (req, res) => {
      const handler = bot();
      return options.connector.adapter.process(req, res, (context) => handler.run(context));
    },
    start: () => notifier.start(),
    stop: () => notifier.stop(),
    isReachable: async (agentId) =>
      (await options.conversations.get({ kind: 'personal', agentId })) !== undefined,
    deliveryFailures: (agentId) => notifier.failures(agentId),
    flush: () => notifier.kick(),
    purge: (before) => options.outbox.purge(before),
    get bot() {
      return bot();
    },
  };
}
