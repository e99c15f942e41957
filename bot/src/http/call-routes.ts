import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import type { z } from 'zod';
import {
  AppError,
  CALL_SIGNAL_LIMITS,
  CallSessionRequestSchema,
  HeartbeatRequestSchema,
  SignalCursorQuerySchema,
  SignalRequestSchema,
  agentSide,
  callHeartbeat,
  clearCallRoom,
  customerSide,
  describeIssues,
  effectiveState,
  isTerminal,
  openCallSession,
  readSignals,
  sendSignal,
  type AgentPrincipal,
  type CallDeps,
  type CallSide,
  type PeerPresence,
  type SignalPollResponse,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { requestLogger } from './request-id';
import type { AgentAuthenticator } from './agent-auth';
import { agentRequest } from './agent-routes';
import { parseCookies } from './cookies';
import { STATUS_OF, errorBody, toAppError } from './errors';
import type { FailedGuessLimiter } from './rate-limit';
import type { EventStreams } from './sse';

// The browser call's signalling (docs/call-protocol.md): the same five endpoints for the customer
// (`/j/:code/call/*`, claim cookie) and for the agent (`/api/calls/:id/call/*`, agent auth).

/** What the call routes need. */
export type CallRoutesOptions = {
  readonly deps: CallDeps;
  readonly logger: Logger;
  readonly streams: EventStreams;
};

/** The agent side also needs the API's authentication and allowed origins. */
export type AgentCallRoutesOptions = CallRoutesOptions & {
  readonly auth: AgentAuthenticator;
  /** Origins allowed to send state-changing requests (the tab's own origin). */
  readonly allowedOrigins: readonly string[];
};

/** The customer side also counts unknown link codes as failed guesses, like the pages. */
export type CustomerCallRoutesOptions = CallRoutesOptions & {
  readonly limiter: FailedGuessLimiter;
};

const CLAIM_COOKIE = 'otc_claim';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Messages one read returns (see readSignals). */
const SIGNAL_PAGE = 200;
/** `: ping` on the call stream (the protocol promises one every 15 s). */
const PING_MS = 15_000;

type SideOf = (
  req: Request,
  res: Response,
  options?: { readonly readEnded?: boolean },
) => Promise<CallSide>;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('invalid-input', describeIssues(result.error));
  return result.data;
}

/** The JSON body; a body that is not JSON is refused (nothing else is parsed). */
function jsonBody(req: Request): unknown {
  const length = Number(req.get('content-length') ?? 0);
  const chunked = req.get('transfer-encoding') !== undefined;
  if ((length > 0 || chunked) && !req.is('application/json')) {
    throw new AppError('invalid-input', 'Content-Type must be application/json');
  }
  return req.body ?? {};
}

/**
 * JSON errors for both sides; `Retry-After` on a rate cap. `callIdOf` names the call for the
 * request's log scope when the path holds its id (never the customer's link code).
 */
function callErrorHandler(
  logger: Logger,
  callIdOf: (req: Request) => string | undefined = () => undefined,
): ErrorRequestHandler {
  return (raw: unknown, req, res, next) => {
    if (res.headersSent) {
      next(raw);
      return;
    }
    const error = toAppError(raw);
    if (error.code === 'internal' || error.code === 'upstream-unavailable') {
      requestLogger(res, logger, callIdOf(req)).error('call signalling request failed', {
        method: req.method,
        ...errorFields(error.cause ?? error),
      });
    }
    const retry = Number(error.details?.['retryAfterSeconds'] ?? 60);
    if (error.code === 'rate-limited') res.set('Retry-After', String(retry));
    res
      .status(STATUS_OF[error.code])
      .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
      .json(errorBody(error));
  };
}

/** The five endpoints, on whichever side `sideOf` resolves. */
function mountCallEndpoints(
  router: Router,
  prefix: string,
  sideOf: SideOf,
  options: CallRoutesOptions,
): void {
  const { deps } = options;
  const json = express.json({ limit: CALL_SIGNAL_LIMITS.bodyBytes, strict: true });

  router.post(`${prefix}/session`, json, async (req, res) => {
    const { sessionId } = parse(CallSessionRequestSchema, jsonBody(req));
    const side = await sideOf(req, res);
    res.set('Cache-Control', 'no-store').json(await openCallSession(deps, side, sessionId));
  });

  router.post(`${prefix}/signal`, json, async (req, res) => {
    const request = parse(SignalRequestSchema, jsonBody(req));
    const side = await sideOf(req, res);
    res
      .status(202)
      .set('Cache-Control', 'no-store')
      .json(await sendSignal(deps, side, request));
  });

  router.post(`${prefix}/heartbeat`, json, async (req, res) => {
    const { sessionId } = parse(HeartbeatRequestSchema, jsonBody(req));
    await callHeartbeat(deps, await sideOf(req, res), sessionId);
    res.status(204).set('Cache-Control', 'no-store').end();
  });

  router.get(`${prefix}/signal`, async (req, res) => {
    const query = parse(SignalCursorQuerySchema, req.query);
    const side = await sideOf(req, res, { readEnded: true });
    const snapshot = await readSignals(deps, side, query.sessionId, query.after);
    if (snapshot.replaced) throw new AppError('session-replaced', 'Session superseded');
    const body: SignalPollResponse = {
      messages: snapshot.messages,
      peer: snapshot.peer,
      state: snapshot.state,
    };
    res.set('Cache-Control', 'no-store').json(body);
  });

  router.get(`${prefix}/events`, async (req, res) => {
    const lastEventId = req.get('last-event-id');
    const query = parse(SignalCursorQuerySchema, {
      ...req.query,
      ...(lastEventId !== undefined ? { after: lastEventId } : {}),
    });
    let side = await sideOf(req, res, { readEnded: true });
    // The per-owner stream caps of the rest of the app: the claim for the customer, the agent.
    const owner =
      side.role === 'customer'
        ? ({ kind: 'claim', id: side.call.id } as const)
        : ({ kind: 'agent', id: side.call.admittedBy?.id ?? side.call.agent.id } as const);
    const stream = options.streams.open(req, res, { owner, heartbeatMs: PING_MS });
    let after = query.after;
    let peer: PeerPresence | undefined;
    let state: string | undefined;
    let running = false;
    let again = false;
    let closed = false;
    let staleTimer: NodeJS.Timeout | undefined;
    stream.onClose(() => {
      closed = true;
      clearTimeout(staleTimer);
    });

    const pass = async (reload: boolean) => {
      if (reload) {
        const call = await deps.store.get(side.call.id);
        if (call) side = { ...side, call, state: effectiveState(call, deps) };
      }
      const snapshot = await readSignals(deps, side, query.sessionId, after);
      if (closed) return;
      if (state !== snapshot.state) {
        state = snapshot.state;
        stream.send('state', { state });
      }
      if (isTerminal(snapshot.state)) {
        stream.close();
        return;
      }
      if (snapshot.replaced) {
        stream.send('replaced', {});
        stream.close();
        return;
      }
      if (peer?.present !== snapshot.peer.present || peer.sessionId !== snapshot.peer.sessionId) {
        peer = snapshot.peer;
        stream.send('peer', peer);
      }
      // Heartbeats are not announced: read again when the peer would turn stale without one.
      clearTimeout(staleTimer);
      if (snapshot.peerStaleAt) {
        const wait = Date.parse(snapshot.peerStaleAt) - deps.clock.now().getTime() + 250;
        staleTimer = setTimeout(() => refresh(true), Math.max(wait, 1000));
        staleTimer.unref();
      }
      for (const message of snapshot.messages) {
        stream.send('signal', message, String(message.id));
        after = message.id;
      }
      if (snapshot.messages.length >= SIGNAL_PAGE) again = true; // a full page: read on
    };
    // One read at a time; notes that arrive meanwhile fold into one more read.
    const refresh = (reload: boolean) => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      const loop = async () => {
        let first = reload;
        do {
          again = false;
          await pass(first);
          first = true;
        } while (again && !closed);
      };
      loop()
        .catch((error: unknown) => {
          requestLogger(res, options.logger, side.call.id).warn(
            'call stream read failed',
            errorFields(error),
          );
          stream.close();
        })
        .finally(() => {
          running = false;
        });
    };
    const offRoom = deps.bus.subscribeRoom((note) => {
      if (note.callId === side.call.id) refresh(true);
    });
    const offCall = deps.bus.subscribe((change) => {
      if (change.call.id === side.call.id) refresh(true);
    });
    stream.onClose(() => {
      offRoom();
      offCall();
    });
    refresh(false);
  });
}

/** `/j/:code/call/*`: the customer's side, authorised by the claim cookie. Mount at `/j`. */
export function customerCallRoutes(options: CustomerCallRoutesOptions): Router {
  const { deps, limiter } = options;
  const router = express.Router();
  const sideOf: SideOf = async (req, _res, sideOptions) => {
    const code = String(req.params['code'] ?? '');
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const claimToken = parseCookies(req.get('cookie')).get(CLAIM_COOKIE);
    try {
      return await customerSide(deps, code, claimToken, sideOptions);
    } catch (error) {
      // As on the pages: only unknown codes count and are throttled; a valid link always works.
      if (error instanceof AppError && error.code === 'not-found') {
        const retryAfterSeconds = limiter.retryAfterSeconds(address);
        if (retryAfterSeconds > 0) {
          throw new AppError('rate-limited', 'Too many failed guesses', {
            details: { retryAfterSeconds },
          });
        }
        limiter.fail(address);
      }
      throw error;
    }
  };
  mountCallEndpoints(router, '/:code/call', sideOf, options);
  router.use('/:code/call', callErrorHandler(options.logger));
  return router;
}

/** `/api/calls/:id/call/*`: the agent's side, with the API's auth and origin checks. Mount at `/api`. */
export function agentCallRoutes(options: AgentCallRoutesOptions): Router {
  const { deps } = options;
  const router = express.Router();
  const prefix = '/calls/:id/call';

  // The same gate as the rest of the agent API: state changes only from the tab's own origin.
  router.use(prefix, async (req: Request, res: Response, next: NextFunction) => {
    res.locals['principal'] = await agentRequest(req, res, options);
    next();
  });

  const sideOf: SideOf = (req, res) => {
    const id = String(req.params['id'] ?? '');
    if (!ID.test(id)) throw new AppError('not-found', 'Malformed call id');
    return agentSide(deps, res.locals['principal'] as AgentPrincipal, id.toLowerCase());
  };
  mountCallEndpoints(router, prefix, sideOf, options);
  router.use(
    prefix,
    callErrorHandler(options.logger, (req) => {
      const id = String(req.params['id'] ?? '');
      return ID.test(id) ? id.toLowerCase() : undefined;
    }),
  );
  return router;
}

/**
 * Deletes a call's seats and signalling rows as soon as it reaches a terminal state, in every
 * instance (the bus repeats changes to all). Returns the function that stops watching.
 */
export function watchCallRooms(deps: CallDeps, logger: Logger): () => void {
  return deps.bus.subscribe((change) => {
    clearCallRoom(deps, change).catch((error: unknown) =>
      logger.warn('clearing a finished call room failed', {
        callId: change.call.id,
        ...errorFields(error),
      }),
    );
  });
}
