import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ConversationRef } from '@shared';
import type { AdaptiveCard } from '../../bot/src/teams/cards/card-types';
import { DeliveryError, type CardSender } from '../../bot/src/teams/delivery/connector-client';

/** One request the fake connector received. */
export type ConnectorRequest = {
  readonly method: string;
  readonly path: string;
  /** The conversation in the path (`undefined` for `POST /v3/conversations`). */
  readonly conversationId: string | undefined;
  readonly activityId: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
  /** `process.hrtime.bigint()` at arrival (benchmarks only; tests never assert on it). */
  readonly receivedAt: bigint;
  /** The status the fake answered. */
  readonly status: number;
  /** The activity id the fake answered with (successful sends, replies, channel posts). */
  readonly answeredId: string | undefined;
};

/** A programmed failure: answer `status` (with `Retry-After` when given) to the next matching request. */
export type ConnectorFailure = {
  readonly status: number;
  readonly retryAfter?: string | undefined;
};

/**
 * A loopback Bot Connector: the `/v3/conversations` routes the bot uses, recording everything, with
 * programmable failures (429 with `Retry-After`, 500). Answers ids `activity-<n>` and `conversation-<n>`.
 */
export class FakeBotConnector {
  readonly requests: ConnectorRequest[] = [];
  private readonly failures: ConnectorFailure[] = [];
  private server: Server | undefined;
  private counter = 0;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  /** The base URL (`http://127.0.0.1:<port>/`), valid after `start`. */
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    const handle =
      (kind: 'send' | 'reply' | 'update' | 'create') =>
      (req: express.Request, res: express.Response) => {
        const params = req.params as Record<string, string | undefined>;
        const failure = this.failures.shift();
        const status = failure?.status ?? (kind === 'create' ? 201 : 200);
        if (!failure) this.counter += 1;
        const answeredId = failure || kind === 'update' ? undefined : `activity-${this.counter}`;
        this.requests.push({
          method: req.method,
          path: req.path,
          conversationId: params['conversationId'],
          activityId: params['activityId'],
          authorization: req.headers.authorization,
          body: (req.body ?? {}) as Record<string, unknown>,
          receivedAt: process.hrtime.bigint(),
          status,
          answeredId,
        });
        this.notify();
        if (failure) {
          if (failure.retryAfter !== undefined) res.set('Retry-After', failure.retryAfter);
          res
            .status(failure.status)
            .json({ error: { code: 'Fake', message: `fake ${failure.status}` } });
          return;
        }
        if (kind === 'create') {
          res.status(201).json({ id: `conversation-${this.counter}`, activityId: answeredId });
        } else if (kind === 'update') {
          res.json({ id: params['activityId'] });
        } else {
          res.json({ id: answeredId });
        }
      };
    app.post('/v3/conversations', handle('create'));
    app.post('/v3/conversations/:conversationId/activities', handle('send'));
    app.post('/v3/conversations/:conversationId/activities/:activityId', handle('reply'));
    app.put('/v3/conversations/:conversationId/activities/:activityId', handle('update'));
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server!.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
    return this;
  }

  /** The next `count` requests get `failure`. */
  failNext(failure: ConnectorFailure, count = 1): void {
    for (let i = 0; i < count; i += 1) this.failures.push(failure);
  }

  /** Successful posts of new messages (sends, replies and channel posts), in arrival order. */
  get posted(): ConnectorRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.status < 300);
  }

  /** Successful card updates. */
  get updated(): ConnectorRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' && r.status < 300);
  }

  /** Resolves once `predicate` holds (checked on every request), or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('FakeBotConnector: timed out waiting')),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  clear(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.predicate()) return true;
      w.resolve();
      return false;
    });
  }
}

/** The card inside a recorded activity (send/update), or inside a channel post's `activity`. */
export function cardOf(request: ConnectorRequest): AdaptiveCard {
  const activity = (request.body['activity'] ?? request.body) as {
    attachments?: { content?: AdaptiveCard }[];
  };
  const card = activity.attachments?.[0]?.content;
  if (!card) throw new Error(`No card in ${request.method} ${request.path}`);
  return card;
}

/** A recorded send or update, for {@link FakeCardSender}. */
export type SenderCall =
  | {
      readonly op: 'send';
      readonly ref: ConversationRef;
      readonly card: AdaptiveCard;
      readonly channelId: string | undefined;
      readonly activityId: string;
    }
  | {
      readonly op: 'update';
      readonly ref: ConversationRef;
      readonly card: AdaptiveCard;
      readonly activityId: string;
    };

/** An in-process {@link CardSender}: records, and throws programmed {@link DeliveryError}s. */
export class FakeCardSender implements CardSender {
  readonly calls: SenderCall[] = [];
  /** Runs inside every `send`, before it answers (to race a state change against a delivery). */
  beforeSend: (() => Promise<unknown>) | undefined;
  private readonly failures: DeliveryError[] = [];
  private counter = 0;

  failNext(status: number | undefined, retryAfterMs?: number, count = 1): void {
    for (let i = 0; i < count; i += 1) {
      this.failures.push(new DeliveryError(status, retryAfterMs, `fake ${status ?? 'network'}`));
    }
  }

  get sends(): Extract<SenderCall, { op: 'send' }>[] {
    return this.calls.filter((c): c is Extract<SenderCall, { op: 'send' }> => c.op === 'send');
  }

  get updates(): Extract<SenderCall, { op: 'update' }>[] {
    return this.calls.filter((c): c is Extract<SenderCall, { op: 'update' }> => c.op === 'update');
  }

  async send(
    ref: ConversationRef,
    card: AdaptiveCard,
    options: { readonly channelId?: string | undefined } = {},
  ): Promise<{ conversationId: string; activityId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    await this.beforeSend?.();
    this.counter += 1;
    const activityId = `activity-${this.counter}`;
    const conversationId = options.channelId ? `thread-${this.counter}` : ref.conversationId;
    this.calls.push({ op: 'send', ref, card, channelId: options.channelId, activityId });
    return { conversationId, activityId };
  }

  update(ref: ConversationRef, activityId: string, card: AdaptiveCard): Promise<void> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.calls.push({ op: 'update', ref, card, activityId });
    return Promise.resolve();
  }
}
