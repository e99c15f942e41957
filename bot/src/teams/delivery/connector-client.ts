import type { ConversationRef } from '@shared';
import { botAddressOf } from '../bot-address';
import type { AdaptiveCard } from '../cards/card-types';

/** A Bot Connector answer that was not a success. `retryAfterMs` from a `Retry-After` header. */
export class DeliveryError extends Error {
  constructor(
    /** HTTP status; `undefined` when the connector could not be reached at all. */
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
  /** 429, 5xx and network failures are worth another attempt; other 4xx are not. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

/** Posts and updates cards. The outbox's only way out of the process. */
export interface CardSender {
  /** Posts a new message with the card; resolves the conversation and activity it now lives in. */
  send(
    ref: ConversationRef,
    card: AdaptiveCard,
    options?: { readonly channelId?: string | undefined },
  ): Promise<{
    readonly conversationId: string;
    readonly activityId: string;
  }>;
  /** Replaces the card of a message the bot sent before. */
  update(ref: ConversationRef, activityId: string, card: AdaptiveCard): Promise<void>;
}

/** Gives the bearer token for outbound connector calls; `undefined` when authentication is off. */
export type TokenProvider = () => Promise<string | undefined>;

/** Options of {@link BotConnectorClient}. */
export type BotConnectorClientOptions = {
  readonly token: TokenProvider;
  /** Sends every request here instead of the reference's `serviceUrl` (tests, benchmarks). */
  readonly serviceUrlOverride?: string | undefined;
  /** Per-request time limit. @default 10000 */
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
};

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The Bot Connector REST calls the outbox needs (`POST /v3/conversations/{id}/activities`,
 * `POST /v3/conversations`, `PUT /v3/conversations/{id}/activities/{activityId}`), made with plain
 * `fetch`. botbuilder's connector pipeline retries 429 by itself with real sleeps inside the call;
 * the outbox must see every 429 and its `Retry-After` to persist the retry and free the worker.
 */
export class BotConnectorClient implements CardSender {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: BotConnectorClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async send(
    ref: ConversationRef,
    card: AdaptiveCard,
    options: { readonly channelId?: string | undefined } = {},
  ): Promise<{ conversationId: string; activityId: string }> {
    const activity = this.activity(ref, card);
    if (options.channelId) {
      // A new post in a team channel is a new conversation (thread) in that channel.
      const { botId, botName } = botAddressOf(ref);
      const body = {
        isGroup: true,
        bot: { id: botId, ...(botName ? { name: botName } : {}) },
        ...(ref.tenantId ? { tenantId: ref.tenantId } : {}),
        channelData: {
          channel: { id: options.channelId },
          ...(ref.tenantId ? { tenant: { id: ref.tenantId } } : {}),
        },
        activity,
      };
      const created = await this.request('POST', ref, '/v3/conversations', body);
      const conversationId = stringField(created, 'id');
      const activityId = stringField(created, 'activityId');
      if (!conversationId || !activityId) {
        throw new DeliveryError(502, undefined, 'Connector created a conversation without ids');
      }
      return { conversationId, activityId };
    }
    const path = `/v3/conversations/${encodeURIComponent(ref.conversationId)}/activities`;
    const sent = await this.request('POST', ref, path, activity);
    const activityId = stringField(sent, 'id');
    if (!activityId)
      throw new DeliveryError(502, undefined, 'Connector answered without an activity id');
    return { conversationId: ref.conversationId, activityId };
  }

  async update(ref: ConversationRef, activityId: string, card: AdaptiveCard): Promise<void> {
    const path = `/v3/conversations/${encodeURIComponent(ref.conversationId)}/activities/${encodeURIComponent(activityId)}`;
    await this.request('PUT', ref, path, { ...this.activity(ref, card), id: activityId });
  }

  private activity(ref: ConversationRef, card: AdaptiveCard) {
    const { botId, botName, userId, channelId } = botAddressOf(ref);
    return {
      type: 'message',
      from: { id: botId, ...(botName ? { name: botName } : {}) },
      conversation: { id: ref.conversationId, ...(ref.tenantId ? { tenantId: ref.tenantId } : {}) },
      ...(userId ? { recipient: { id: userId } } : {}),
      channelId,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    };
  }

  private async request(
    method: 'POST' | 'PUT',
    ref: ConversationRef,
    path: string,
    body: unknown,
  ): Promise<unknown> {
    const base = (this.options.serviceUrlOverride ?? botAddressOf(ref).serviceUrl).replace(
      /\/+$/,
      '',
    );
    const token = await this.options.token();
    let response: Response;
    try {
      response = await this.fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(
        undefined,
        undefined,
        `Connector unreachable (${method} ${path.split('/')[2] ?? ''})`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new DeliveryError(
        response.status,
        parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        `Connector answered ${response.status}`,
      );
    }
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return {};
    }
  }
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field ? field : undefined;
}
