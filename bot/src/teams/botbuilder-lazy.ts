// botbuilder, loaded on first use. It is the biggest thing the server would load (about 45 MB of
// resident memory and most of a second of start-up), and an embedded server, or a Teams one between
// bot turns, does not touch it: the lobby cards go out through our own Bot Connector client. The
// inbound bot (CloudAdapter, OneTimeCallBot) is built on the first turn, which loads it.
import type * as Botbuilder from 'botbuilder';
import type * as BotModule from './one-time-call-bot';

let botbuilderModule: typeof Botbuilder | undefined;
let botModule: typeof BotModule | undefined;

/** The botbuilder package. */
export function botbuilder(): typeof Botbuilder {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
  return (botbuilderModule ??= require('botbuilder') as typeof Botbuilder);
}

/** `./one-time-call-bot`, whose class extends botbuilder's `TeamsActivityHandler`. */
export function oneTimeCallBotModule(): typeof BotModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
  return (botModule ??= require('./one-time-call-bot') as typeof BotModule);
}
