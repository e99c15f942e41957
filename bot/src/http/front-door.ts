import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AgentPrincipal } from '@shared';
import type { Logger } from '../logger';
import type { AgentAuthenticator } from './agent-auth';
import { agentJson, agentRequest } from './agent-routes';
import { answerCustomer, langOf, type CustomerHandlers } from './customer-routes';
import { failRequest } from './errors';
import { clientAddress, readBody } from './plain-http';
import { assignRequestId } from './request-id';
import { setBaseHeaders } from './security-headers';

/** What the front door serves itself; everything else goes on to Express. */
export type FrontDoorOptions = {
  readonly logger: Logger;
  readonly auth: AgentAuthenticator;
  readonly allowedOrigins: readonly string[];
  /** Express `trust proxy` hops, as the app has them. */
  readonly trustProxy: number;
  /** `POST /api/calls` once the agent is known and the body read. */
  readonly createCall: (
    req: IncomingMessage,
    res: ServerResponse,
    principal: AgentPrincipal,
  ) => Promise<void>;
  /** The customer's pages under `/j/:code`. */
  readonly customer: CustomerHandlers;
};

/** A link code as it appears in a path: nothing that needs decoding. */
const PLAIN_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The routes every agent and customer hits most (link creation, the customer's claim and status
 * poll, the customer's pages), answered by the same handlers as the Express routes but without
 * Express's router in between, which alone cost several times a bare Node server's work per
 * request. Only exact, canonical paths are taken here (`/api/calls`, `/j/<plain code>[/page]`,
 * GET or POST); any other spelling (a trailing slash, other letter case, percent-encoding, HEAD)
 * goes on to `fallback`, the Express app, which serves it with the same handlers. Both add the
 * same request id and base headers, check the same origin and agent, and map errors the same way.
 */
export function frontDoor(options: FrontDoorOptions, fallback: RequestListener): RequestListener {
  const { logger } = options;

  async function createCall(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const principal = await agentRequest(req, res, options);
      await readBody(agentJson, req, res);
      await options.createCall(req, res, principal);
    } catch (error) {
      failRequest(res, error, logger, { method: req.method, route: '/calls' });
    }
  }

  return (req, res) => {
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const method = req.method;
    if (path === '/api/calls' && method === 'POST') {
      assignRequestId(req, res, logger);
      setBaseHeaders(res);
      void createCall(req, res);
      return;
    }
    if (path.startsWith('/j/') && (method === 'GET' || method === 'POST')) {
      const slash = path.indexOf('/', 3);
      const code = slash < 0 ? path.slice(3) : path.slice(3, slash);
      const handler = options.customer.get(`${method} ${slash < 0 ? '' : path.slice(slash)}`);
      if (handler && PLAIN_CODE.test(code)) {
        assignRequestId(req, res, logger);
        setBaseHeaders(res);
        void answerCustomer(
          handler,
          {
            raw: req,
            code,
            path,
            lang: langOf(url),
            address: clientAddress(req, options.trustProxy),
          },
          res,
          logger,
        );
        return;
      }
    }
    fallback(req, res);
  };
}
