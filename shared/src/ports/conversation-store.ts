import type { AadObjectId } from '../domain/call';

/**
 * Where the bot can reach somebody proactively: the facts of a Bot Framework conversation reference,
 * as plain data (no SDK types), so any store can keep it as JSON.
 */
export type ConversationRef = {
  /** `msteams` in Teams and in the Agents Playground. */
  readonly channelId: string;
  /** The Bot Connector origin to send to (from the activity that gave us the reference). */
  readonly serviceUrl: string;
  /** The personal chat's id, or the team's General channel (thread) id. */
  readonly conversationId: string;
  /** `personal`, `channel` or `groupChat`; `undefined` when the channel did not say. */
  readonly conversationType?: string | undefined;
  readonly tenantId?: string | undefined;
  /** The bot's own channel account id (`28:<app id>` in Teams). */
  readonly botId: string;
  readonly botName?: string | undefined;
  /** The user's channel account id (`29:…`) in a personal chat. */
  readonly userId?: string | undefined;
  /** The user's client locale (`de-DE`), when the channel sent one; cards follow it. */
  readonly locale?: string | undefined;
  /** When the reference was last stored (ISO-8601 UTC). */
  readonly updatedAt: string;
};

/** Whose conversation: an agent's personal chat with the bot, or a team the bot is installed in. */
export type ConversationKey =
  | { readonly kind: 'personal'; readonly agentId: AadObjectId }
  | { readonly kind: 'team'; readonly teamId: string };

/**
 * Conversation references, saved when the app is installed or an agent writes to the bot, removed
 * on uninstall. Every adapter passes `tests/contract/conversation-store.contract.ts`.
 */
export interface ConversationStore {
  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** Stores (or replaces) the reference for `key`. */
  put(key: ConversationKey, ref: ConversationRef): Promise<void>;
  /** `undefined` when the bot cannot reach `key` (never installed, or uninstalled). */
  get(key: ConversationKey): Promise<ConversationRef | undefined>;
  /** Forgets `key`. Resolves `false` when nothing was stored. */
  remove(key: ConversationKey): Promise<boolean>;
}
