// The bot's public surface for bot/src/main.ts. botbuilder stays inside bot/src/teams.
export { BOT_COMMANDS, OneTimeCallBot } from './one-time-call-bot';
export {
  createTeamsBot,
  tabUrlFor,
  type TeamsBot,
  type TeamsBotConfig,
  type TeamsBotOptions,
} from './create-teams-bot';
export type { DeliveryFailure, LobbyNotifierTuning } from './outbox/lobby-notifier';
export { createBotConnector, type BotConnector } from './bot-connector';
