import type { ConversationKey, ConversationRef, OutboxEntry } from '@shared';
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

/** The database row of an outbox entry, as both adapters read it. */
export type OutboxRow = {
  readonly id: string;
  readonly call_id: string;
  readonly agent_id: string;
  readonly seq: number | string;
  readonly kind: string;
  readonly target: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly due_at: string | Date;
  readonly last_error: string | null;
  readonly created_at: string | Date;
  readonly updated_at: string | Date;
};

const iso = (value: string | Date): string =>
  value instanceof Date ? value.toISOString() : new Date(value).toISOString();

/** Turns a row into an entry. */
export function rowToEntry(row: OutboxRow): OutboxEntry {
  const target = row.target ? parseConversationKey(row.target) : undefined;
  return {
    id: row.id,
    callId: row.call_id,
    agentId: asAadObjectId(row.agent_id),
    seq: Number(row.seq),
    kind: row.kind as OutboxEntry['kind'],
    ...(target ? { target } : {}),
    status: row.status as OutboxEntry['status'],
    attempts: row.attempts,
    dueAt: iso(row.due_at),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
