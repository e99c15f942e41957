import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type InvokeResponse,
} from 'botbuilder';
import {
  ACTIVE_STATES,
  AppError,
  TITLE_MAX,
  asAadObjectId,
  createCall,
  humanText,
  isAppError,
  toCallDto,
  type AgentPrincipal,
  type CallDeps,
  type CallRecord,
  type ConversationKey,
  type ConversationRef,
  type ConversationStore,
  type Locale,
  type MeetingWarning,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { toChannelAddress } from './bot-address';
import { MEETING_EVENT_NAMES, type MeetingEventHandler } from './meeting-activity';
import {
  isSubmitValue,
  parseInvokeAction,
  parseSubmitAction,
  runCardAction,
  type ParsedAction,
} from './card-actions';
import { cardLocale, cardStrings } from './cards/card-strings';
import type { AdaptiveCard } from './cards/card-types';
import {
  buildCallListCard,
  buildErrorCard,
  buildHelpCard,
  buildNewLinkCard,
} from './cards/command-cards';

/** What the bot's handlers need. */
export type OneTimeCallBotOptions = {
  readonly deps: CallDeps;
  readonly conversations: ConversationStore;
  readonly logger: Logger;
  readonly tabUrl: string;
  /** See `LobbyCardOptions.autoRefresh`. */
  readonly autoRefresh?: boolean | undefined;
  /**
   * Embedded mode (no `BOT_ID`): whoever talks to the bot is the configured local agent, as the tab
   * outside Teams is. `undefined` in Teams mode, where the Entra object id of the sender counts.
   */
  readonly localAgent: { readonly id: string; readonly name: string } | undefined;
  /** Whether an agent may create links (the optional creator group). @default always */
  readonly mayCreate?: ((principal: AgentPrincipal) => Promise<boolean>) | undefined;
  /** Whether agents of a tenant are served (the policy's tenant rule). @default every tenant */
  readonly tenantAllowed?: ((tenantId: string | undefined) => boolean) | undefined;
  /** Teams meeting events (participant join/leave, meeting start/end) of a call's meeting. */
  readonly meetingEvents?:
    | {
        readonly handle: MeetingEventHandler;
        /** Tells the call's agent about a warning, in their personal chat. */
        readonly warnAgent: (call: CallRecord, warning: MeetingWarning) => Promise<void>;
      }
    | undefined;
};

const MEETING_EVENTS: ReadonlySet<string> = new Set(Object.values(MEETING_EVENT_NAMES));

/** Personal-chat commands, as listed in the manifest's `commandLists`. */
export const BOT_COMMANDS = [
  { title: 'new', description: 'Make a new one-time call link' },
  { title: 'list', description: 'Show your active calls' },
  { title: 'help', description: 'What this bot can do' },
] as const;

const ADAPTIVE_CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

type TeamChannelData = {
  readonly team?: { readonly id?: string; readonly aadGroupId?: string } | undefined;
  readonly tenant?: { readonly id?: string } | undefined;
};

const cardReply = (card: AdaptiveCard) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

/**
 * The Teams bot: remembers where it can reach agents and teams, answers `new` / `list` / `help`,
 * and runs the lobby card's buttons (`adaptiveCard/action`, and the `Action.Submit` fallback).
 */
export class OneTimeCallBot extends TeamsActivityHandler {
  constructor(private readonly options: OneTimeCallBotOptions) {
    super();
    this.onInstallationUpdate(async (context, next) => {
      const action = context.activity.action ?? '';
      if (action.startsWith('remove')) await this.forget(context);
      else await this.remember(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added = context.activity.membersAdded?.some((m) => m.id === botId) ?? false;
      const removed = context.activity.membersRemoved?.some((m) => m.id === botId) ?? false;
      if (removed) await this.forget(context);
      if (added) {
        await this.remember(context);
        if (this.isPersonal(context.activity)) {
          await context.sendActivity(
            cardReply(buildHelpCard(this.locale(context), this.options.tabUrl, 'welcome')),
          );
        }
      }
      await next();
    });
    this.onEvent(async (context, next) => {
      await this.onMeetingEvent(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.remember(context);
      if (isSubmitValue(context.activity.value)) await this.onSubmit(context);
      else await this.onCommandText(context);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    let card: AdaptiveCard;
    try {
      card = await this.cardFor(context, parseInvokeAction(context.activity.value));
    } catch (error) {
      // A bug or a store outage: the clicker still gets an answer within Teams' invoke timeout.
      this.options.logger.error('card action crashed', {
        ...errorFields(error),
      });
      card = buildErrorCard('internal', this.locale(context), this.options.tabUrl);
    }
    return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_RESPONSE, value: card } };
  }

  private async cardFor(context: TurnContext, parsed: ParsedAction): Promise<AdaptiveCard> {
    const locale = this.locale(context);
    const { tabUrl, logger, deps } = this.options;
    if (!parsed.ok) {
      logger.info('card action with a bad payload', { name: context.activity.name ?? 'message' });
      return buildErrorCard('badPayload', locale, tabUrl, parsed.callId);
    }
    const principal = this.principal(context.activity);
    if (!principal) return buildErrorCard('unknownUser', locale, tabUrl, parsed.action.callId);
    await this.remember(context);
    const { autoRefresh } = this.options;
    return runCardAction({ deps, locale, tabUrl, logger, autoRefresh }, principal, parsed.action);
  }

  /** Moves the call on (in the call, ended) and warns its agent; a bad payload is logged, not fatal. */
  private async onMeetingEvent(context: TurnContext): Promise<void> {
    const meetingEvents = this.options.meetingEvents;
    const name = context.activity.name;
    if (!meetingEvents || !name || !MEETING_EVENTS.has(name)) return;
    try {
      const outcome = await meetingEvents.handle(context.activity);
      if (!outcome?.call) return;
      for (const warning of outcome.warnings) await meetingEvents.warnAgent(outcome.call, warning);
    } catch (error) {
      const level = isAppError(error, 'invalid-input') ? 'info' : 'error';
      this.options.logger[level]('meeting event not applied', {
        name,
        ...errorFields(error),
      });
    }
  }

  /** The `Action.Submit` fallback: run the action and replace the card it came from. */
  private async onSubmit(context: TurnContext): Promise<void> {
    const card = await this.cardFor(context, parseSubmitAction(context.activity.value));
    const replyTo = context.activity.replyToId;
    if (replyTo) {
      try {
        await context.updateActivity({
          type: 'message',
          id: replyTo,
          attachments: [CardFactory.adaptiveCard(card)],
        });
        return;
      } catch (error) {
        this.options.logger.info('could not update the submitted card; replying instead', {
          ...errorFields(error),
        });
      }
    }
    await context.sendActivity(cardReply(card));
  }

  private async onCommandText(context: TurnContext): Promise<void> {
    const text = (
      TurnContext.removeRecipientMention(context.activity) ??
      context.activity.text ??
      ''
    ).trim();
    const [word = '', ...rest] = text.split(/\s+/);
    const locale = this.locale(context);
    const { tabUrl, deps } = this.options;
    switch (word.toLowerCase()) {
      case '':
      case 'help':
      case 'hilfe':
        await context.sendActivity(cardReply(buildHelpCard(locale, tabUrl)));
        return;
      case 'list':
      case 'liste': {
        const principal = this.principal(context.activity);
        if (!principal) {
          await context.sendActivity(cardReply(buildErrorCard('unknownUser', locale, tabUrl)));
          return;
        }
        const calls = await deps.store.list({
          agentId: principal.id,
          states: ACTIVE_STATES,
          limit: 50,
        });
        await context.sendActivity(
          cardReply(buildCallListCard(calls.map(toCallDto), deps.clock.now(), locale, tabUrl)),
        );
        return;
      }
      case 'new':
      case 'neu':
        await this.onNew(context, rest.join(' '), locale);
        return;
      default:
        await context.sendActivity(cardReply(buildHelpCard(locale, tabUrl, 'unknown')));
    }
  }

  private async onNew(context: TurnContext, titleText: string, locale: Locale): Promise<void> {
    const { tabUrl, deps, logger, mayCreate } = this.options;
    const s = (card: AdaptiveCard) => context.sendActivity(cardReply(card));
    if (!this.isPersonal(context.activity)) {
      await context.sendActivity(MessageFactory.text(cardStrings(locale).onlyPersonal));
      return;
    }
    const principal = this.principal(context.activity);
    if (!principal) {
      await s(buildErrorCard('unknownUser', locale, tabUrl));
      return;
    }
    try {
      if (mayCreate && !(await mayCreate(principal))) {
        throw new AppError('forbidden', `Agent ${principal.id} may not create links`);
      }
      const title = humanText(TITLE_MAX).safeParse(titleText);
      const created = await createCall(deps, principal, {
        ...(title.success ? { title: title.data } : {}),
        customerLocale: locale,
      });
      logger.info('link created from the bot chat', { callId: created.call.id });
      await s(buildNewLinkCard(created, locale, tabUrl));
    } catch (error) {
      if (!isAppError(error, 'forbidden', 'invalid-input')) {
        logger.error('new link from the bot chat failed', {
          ...errorFields(error),
        });
      }
      await s(
        buildErrorCard(
          isAppError(error, 'forbidden') ? 'notAvailable' : 'internal',
          locale,
          tabUrl,
        ),
      );
    }
  }

  /** The agent behind an activity; `undefined` when Teams did not send an Entra object id. */
  private principal(activity: Activity): AgentPrincipal | undefined {
    const local = this.options.localAgent;
    if (local) return { id: asAadObjectId(local.id), name: local.name };
    const oid = activity.from?.aadObjectId;
    if (!oid) return undefined;
    const channelData = activity.channelData as TeamChannelData | undefined;
    const tenantId = activity.conversation?.tenantId ?? channelData?.tenant?.id;
    // A foreign tenant's agent is nobody to us: same answer as an unknown user, nothing changes.
    if (this.options.tenantAllowed && !this.options.tenantAllowed(tenantId)) return undefined;
    return { id: asAadObjectId(oid), name: activity.from.name || oid, tenantId };
  }

  private locale(context: TurnContext): Locale {
    return cardLocale(context.activity.locale);
  }

  private isPersonal(activity: Activity): boolean {
    const type = activity.conversation?.conversationType;
    return type === 'personal' || (type === undefined && !activity.conversation?.isGroup);
  }

  /** The keys this activity's conversation is stored under. */
  private keysOf(activity: Activity): ConversationKey[] {
    const team = (activity.channelData as TeamChannelData | undefined)?.team;
    if (team?.id) {
      return [team.id, team.aadGroupId]
        .filter((id): id is string => typeof id === 'string' && id.length > 0)
        .map((teamId) => ({ kind: 'team', teamId }));
    }
    if (!this.isPersonal(activity)) return [];
    const principal = this.principal(activity);
    return principal ? [{ kind: 'personal', agentId: principal.id }] : [];
  }

  /** Stores where this conversation can be reached. Never fails the turn: a store outage is logged. */
  private async remember(context: TurnContext): Promise<void> {
    try {
      await this.store(context.activity);
    } catch (error) {
      this.options.logger.warn('could not store the conversation reference', {
        ...errorFields(error),
      });
    }
  }

  private async store(activity: Activity): Promise<void> {
    const keys = this.keysOf(activity);
    if (keys.length === 0 || !activity.serviceUrl || !activity.conversation?.id) return;
    const channelData = activity.channelData as TeamChannelData | undefined;
    const isTeam = keys[0]?.kind === 'team';
    const ref: ConversationRef = {
      // In a team, the General channel's id is the team's (thread) id; posts go to a channel by id.
      conversationId: isTeam
        ? (channelData?.team?.id ?? activity.conversation.id)
        : activity.conversation.id,
      conversationType: activity.conversation.conversationType,
      tenantId: activity.conversation.tenantId ?? channelData?.tenant?.id,
      locale: activity.locale,
      updatedAt: this.options.deps.clock.now().toISOString(),
      address: toChannelAddress({
        channelId: activity.channelId,
        serviceUrl: activity.serviceUrl,
        botId: activity.recipient?.id ?? '',
        botName: activity.recipient?.name,
        userId: isTeam ? undefined : activity.from?.id,
      }),
    };
    for (const key of keys) await this.options.conversations.put(key, ref);
  }

  private async forget(context: TurnContext): Promise<void> {
    for (const key of this.keysOf(context.activity)) {
      await this.options.conversations.remove(key);
      this.options.logger.info('bot conversation removed', { scope: key.kind });
    }
  }
}
