import type { AadObjectId } from '../domain/call';

/**
 * How a channel adapter reaches a conversation: its own facts (for Teams, the Bot Connector's
 * service URL and the bot's and user's channel accounts), kept with the reference as plain strings
 * and never read by the core.
 */
export type ChannelAddress = Readonly<Record<string, string>>;

/**
 * Where somebody can be reached proactively: a conversation, its language, and the channel
 * adapter's address for it, as plain data (no SDK types), so any store can keep it as JSON.
 */
export type ConversationRef = {
  /** The personal chat's id, or the team's channel (thread) id. */
  readonly conversationId: string;
  /** `personal`, `channel` or `groupChat`; `undefined` when the channel did not say. */
  readonly conversationType?: string | undefined;
  readonly tenantId?: string | undefined;
  /** The person's client locale (`de-DE`), when the channel sent one; cards follow it. */
  readonly locale?: string | undefined;
  /** When the reference was last stored (ISO-8601 UTC). */
  readonly updatedAt: string;
  /** The channel adapter's address of the conversation (opaque to the core). */
  readonly address: ChannelAddress;
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
