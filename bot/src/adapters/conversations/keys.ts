import type { ConversationKey, ConversationRef } from '@shared';
import { asAadObjectId } from '@shared';

/** The stored form of a key: `personal:<agentId>` or `team:<teamId>`. */
export const conversationKeyText = (key: ConversationKey): string =>
  key.kind === 'personal' ? `personal:${key.agentId}` : `team:${key.teamId}`;

/** The inverse of {@link conversationKeyText}; `undefined` for anything else. */
export function parseConversationKey(text: string): ConversationKey | undefined {
  const at = text.indexOf(':');
  const kind = text.slice(0, at);
  const id = text.slice(at + 1);
  if (at < 0 || !id) return undefined;
  if (kind === 'personal') return { kind, agentId: asAadObjectId(id) };
  if (kind === 'team') return { kind, teamId: id };
  return undefined;
}

/** A stored reference read back; fields the store does not know are dropped. */
export function decodeRef(json: string): ConversationRef {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const text = (k: string) => (typeof raw[k] === 'string' ? raw[k] : undefined);
  const stored =
    typeof raw['address'] === 'object' && raw['address'] !== null
      ? (raw['address'] as Record<string, unknown>)
      : // Rows written before references had an address kept the channel's facts at the top level.
        Object.fromEntries(Object.entries(raw).filter(([k]) => !CORE_FIELDS.has(k)));
  return {
    conversationId: text('conversationId') ?? '',
    conversationType: text('conversationType'),
    tenantId: text('tenantId'),
    locale: text('locale'),
    updatedAt: text('updatedAt') ?? new Date(0).toISOString(),
    address: Object.fromEntries(
      Object.entries(stored).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  };
}

const CORE_FIELDS: ReadonlySet<string> = new Set([
  'conversationId',
  'conversationType',
  'tenantId',
  'locale',
  'updatedAt',
  'address',
]);
