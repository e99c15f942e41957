import type { ConversationRef } from '@shared';

/** The Bot Framework facts of a conversation reference, kept as its `address`. */
export type BotFrameworkAddress = {
  /** `msteams` in Teams and in the Agents Playground. */
  readonly channelId: string;
  /** The Bot Connector origin to send to (from the activity that gave us the reference). */
  readonly serviceUrl: string;
  /** The bot's own channel account id (`28:<app id>` in Teams). */
  readonly botId: string;
  readonly botName?: string | undefined;
  /** The user's channel account id (`29:…`) in a personal chat. */
  readonly userId?: string | undefined;
};

/** The address to store with a reference (absent optional facts are left out). */
export function toChannelAddress(address: BotFrameworkAddress): ConversationRef['address'] {
  return Object.fromEntries(
    Object.entries(address).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** The Bot Framework address of a stored reference. */
export function botAddressOf(ref: ConversationRef): BotFrameworkAddress {
  const a = ref.address;
  return {
    channelId: a['channelId'] ?? 'msteams',
    serviceUrl: a['serviceUrl'] ?? '',
    botId: a['botId'] ?? '',
    botName: a['botName'],
    userId: a['userId'],
  };
}
