import type { Request, RequestHandler, Response } from 'express';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { AppError, describeIssues } from '@shared';
import { isLoopbackName, type LocalTrust } from './local-agent-auth';

/** The part of an activity the server relies on before botbuilder sees it. */
const ActivityEnvelopeSchema = z.looseObject({
  type: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(2048),
  channelId: z.string().min(1).max(256),
  conversation: z.looseObject({ id: z.string().min(1).max(1024) }),
});

/** Options of {@link botEndpoint}. */
export type BotEndpointOptions = {
  readonly handler: (req: Request, res: Response) => Promise<void>;
  /**
   * No Bot Framework authentication (no `BOT_ID`): the request must pass the local-trust rule, and
   * the activity's `serviceUrl` must be on this machine. `undefined`: channel JWTs are checked.
   */
  readonly localTrust: LocalTrust | undefined;
};

/** True for an http(s) URL whose host is this machine. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(host);
  } catch {
    return false;
  }
}

/**
 * A bearer token that decodes as a JWT without a numeric `exp`. botbuilder's verifier (jsonwebtoken)
 * accepts such a token forever; checked here before it runs. Anything undecodable is left to it.
 */
export function jwtLacksExpiry(authorization: string | string[] | undefined): boolean {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = /^Bearer\s+(\S+)$/i.exec(value?.trim() ?? '');
  if (!match?.[1]) return false;
  try {
    return typeof decodeJwt(match[1]).exp !== 'number';
  } catch {
    return false;
  }
}

/**
 * `POST /api/messages` (after the JSON body parser). Refuses before botbuilder runs: a caller that is
 * not trusted, a body that is not an activity (`400`), a foreign `serviceUrl` in embedded mode (it
 * would be stored and receive every later lobby card), and a channel token without `exp`.
 */
export function botEndpoint(options: BotEndpointOptions): RequestHandler {
  return async (req, res) => {
    const trust = options.localTrust;
    if (trust) trust.check({ headers: req.headers, remoteAddress: req.socket.remoteAddress });
    else if (jwtLacksExpiry(req.headers.authorization)) {
      throw new AppError('unauthorized', 'The channel token carries no exp claim');
    }
    const envelope = ActivityEnvelopeSchema.safeParse(req.body);
    if (!envelope.success) {
      throw new AppError('invalid-input', `activity: ${describeIssues(envelope.error)}`);
    }
    if (trust && !isLoopbackUrl(envelope.data.serviceUrl)) {
      throw new AppError(
        'forbidden',
        'Without BOT_ID the bot talks only to a channel on this machine (serviceUrl)',
      );
    }
    await options.handler(req, res);
  };
}
