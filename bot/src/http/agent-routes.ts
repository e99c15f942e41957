import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import typeis from 'type-is';
import { z } from 'zod';
import {
  ACTIVE_STATES,
  AppError,
  CreateCallRequestSchema,
  DeclineRequestSchema,
  ListCallsQuerySchema,
  LobbyMessageRequestSchema,
  TERMINAL_STATES,
  admitCall,
  createCall,
  declineCall,
  describeIssues,
  fieldIssues,
  endCallByAgent,
  loadForAgent,
  meetingJoinLink,
  reissueCall,
  revokeCall,
  sendLobbyMessage,
  toCallDto,
  type AgentActionResult,
  type AgentPrincipal,
  type CallDeps,
  type CallRecord,
  type CreateCallResponse,
  type CreatedCall,
  type MeResponse,
  type MeetingLinkResponse,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { requestLogger } from './request-id';
import type { AgentAuthenticator } from './agent-auth';
import { header, sendJson } from './plain-http';
import type { EventStreams } from './sse';

/** What the agent API needs. */
export type AgentRoutesOptions = {
  readonly deps: CallDeps;
  readonly auth: AgentAuthenticator;
  readonly mode: 'embedded' | 'teams';
  readonly logger: Logger;
  readonly streams: EventStreams;
  /** Origins allowed to send state-changing requests (the tab's own origin). */
  readonly allowedOrigins: readonly string[];
  /** Whether the bot can reach this agent (an installed bot chat). @default () => false */
  readonly botReachable?: ((agentId: string) => Promise<boolean>) | undefined;
  /** Lobby notifications the bot gave up on for this agent. @default () => [] */
  readonly deliveryFailures?:
    ((agentId: string) => Promise<MeResponse['deliveryFailures']>) | undefined;
};

const EMPTY = z.strictObject({});

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses untrusted input once, at the edge; a failure is `invalid-input` naming every bad field. */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('invalid-input', describeIssues(result.error), {
      details: { fields: fieldIssues(result.error) },
    });
  }
  return result.data;
}

/** The JSON body, or `{}` when there is none. A body that is not JSON is refused. */
function body(req: IncomingMessage): unknown {
  const length = Number(header(req, 'content-length') ?? 0);
  const chunked = header(req, 'transfer-encoding') !== undefined;
  if ((length > 0 || chunked) && !typeis(req, ['application/json'])) {
    throw new AppError('invalid-input', 'Content-Type must be application/json');
  }
  return (req as { body?: unknown }).body ?? {};
}

/** The agent API's body parser: JSON objects and arrays, up to 16 KB. */
export const agentJson = express.json({ limit: '16kb', strict: true });

/**
 * Refuses a state-changing request that does not come from the tab's own origin (CSRF and DNS
 * rebinding). GET and HEAD change nothing and pass.
 */
function refuseCrossOrigin(req: IncomingMessage, allowedOrigins: readonly string[]): void {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  const origin = header(req, 'origin');
  if (
    header(req, 'sec-fetch-site') === 'cross-site' ||
    (origin && !allowedOrigins.includes(origin))
  ) {
    throw new AppError('forbidden', 'Cross-origin request refused');
  }
}

/** The signed-in agent of an API request; its answer is never cached. Throws `unauthorized`. */
export function agentOf(
  req: IncomingMessage,
  res: ServerResponse,
  auth: AgentAuthenticator,
): Promise<AgentPrincipal> {
  res.setHeader('Cache-Control', 'no-store');
  return auth.authenticate({ headers: req.headers, remoteAddress: req.socket.remoteAddress });
}

/**
 * The gate of the agent API, for the Express routers and the front door alike: the origin check,
 * then the signed-in agent (the answer is never cached).
 */
export async function agentRequest(
  req: IncomingMessage,
  res: ServerResponse,
  gate: { readonly auth: AgentAuthenticator; readonly allowedOrigins: readonly string[] },
): Promise<AgentPrincipal> {
  refuseCrossOrigin(req, gate.allowedOrigins);
  return agentOf(req, res, gate.auth);
}

/**
 * `POST /api/calls` once the agent is known and the body read: the one handler of link creation,
 * for Express and for the front door (`front-door.ts`).
 */
export function createCallHandler(options: Pick<AgentRoutesOptions, 'deps' | 'auth'>) {
  const { deps, auth } = options;
  return async (req: IncomingMessage, res: ServerResponse, principal: AgentPrincipal) => {
    const request = parse(CreateCallRequestSchema, body(req));
    if (auth.mayCreate && !(await auth.mayCreate(principal))) {
      throw new AppError('forbidden', 'This agent may not create call links');
    }
    sendJson(res, 201, created(await createCall(deps, principal, request)));
  };
}

const principalOf = (res: Response): AgentPrincipal => res.locals['principal'] as AgentPrincipal;

function callId(req: Request): string {
  const id = String(req.params['id'] ?? '');
  if (!ID.test(id)) throw new AppError('not-found', 'Malformed call id');
  return id.toLowerCase();
}

const created = (result: CreatedCall): CreateCallResponse => ({
  call: toCallDto(result.call),
  link: result.link,
  message: result.message,
  sms: result.sms,
});

/**
 * The `call` event's data for a changed call, serialised once per change: every open agent
 * stream that may see the call is sent the same text (1,000 tabs: one DTO, one stringify).
 */
const callEvents = new WeakMap<CallRecord, string>();
function callEventJson(call: CallRecord): string {
  let json = callEvents.get(call);
  if (json === undefined) {
    json = JSON.stringify({ call: toCallDto(call) });
    callEvents.set(call, json);
  }
  return json;
}

/** `/api/*` for the tab: calls, actions and the live event stream. */
export function agentRoutes(options: AgentRoutesOptions): Router {
  const { deps, logger } = options;
  const router = express.Router();

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    res.locals['principal'] = await agentRequest(req, res, options);
    next();
  });

  router.use(agentJson);

  const reportMeeting = (res: Response, result: AgentActionResult, action: string) => {
    if (result.meetingError !== undefined) {
      requestLogger(res, logger, result.call.id).warn(
        'meeting provider failed after the call moved',
        { action, ...errorFields(result.meetingError) },
      );
    }
    return { call: toCallDto(result.call) };
  };

  router.get('/me', async (_req, res) => {
    const principal = principalOf(res);
    const [reachable, failures] = await Promise.all([
      options.botReachable ? options.botReachable(principal.id) : false,
      options.deliveryFailures ? options.deliveryFailures(principal.id) : [],
    ]);
    const me: MeResponse = {
      agent: { id: principal.id, name: principal.name },
      mode: options.mode,
      botReachable: reachable,
      deliveryFailures: failures,
    };
    res.json(me);
  });

  const create = createCallHandler(options);
  router.post('/calls', (req, res) => create(req, res, principalOf(res)));

  router.get('/calls', async (req, res) => {
    const query = parse(ListCallsQuerySchema, req.query);
    const principal = principalOf(res);
    if (query.scope === 'team') {
      if (!query.teamId) throw new AppError('invalid-input', 'teamId: required when scope is team');
      if (!(await deps.teams.isMember(principal.id, query.teamId))) {
        throw new AppError('forbidden', 'Not a member of this team');
      }
    }
    const states =
      query.status === 'active'
        ? ACTIVE_STATES
        : query.status === 'finished'
          ? TERMINAL_STATES
          : undefined;
    const calls = await deps.store.list({
      ...(query.scope === 'team' ? { teamId: query.teamId } : { agentId: principal.id }),
      states,
      limit: query.limit,
    });
    res.json({ calls: calls.map(toCallDto) });
  });

  router.get('/calls/:id', async (req, res) => {
    const call = await loadForAgent(deps, principalOf(res), callId(req));
    res.json({ call: toCallDto(call) });
  });

  router.get('/calls/:id/meeting-link', async (req, res) => {
    const joinUrl = await meetingJoinLink(deps, principalOf(res), callId(req));
    res.json({ joinUrl } satisfies MeetingLinkResponse);
  });

  router.post('/calls/:id/admit', async (req, res) => {
    parse(EMPTY, body(req));
    res.json(reportMeeting(res, await admitCall(deps, principalOf(res), callId(req)), 'admit'));
  });

  router.post('/calls/:id/decline', async (req, res) => {
    const { reason } = parse(DeclineRequestSchema, body(req));
    res.json(
      reportMeeting(res, await declineCall(deps, principalOf(res), callId(req), reason), 'decline'),
    );
  });

  router.post('/calls/:id/revoke', async (req, res) => {
    parse(EMPTY, body(req));
    res.json(reportMeeting(res, await revokeCall(deps, principalOf(res), callId(req)), 'revoke'));
  });

  router.post('/calls/:id/end', async (req, res) => {
    parse(EMPTY, body(req));
    res.json(reportMeeting(res, await endCallByAgent(deps, principalOf(res), callId(req)), 'end'));
  });

  router.post('/calls/:id/message', async (req, res) => {
    const { text } = parse(LobbyMessageRequestSchema, body(req));
    res.json(
      reportMeeting(
        res,
        await sendLobbyMessage(deps, principalOf(res), callId(req), text),
        'message',
      ),
    );
  });

  router.post('/calls/:id/reissue', async (req, res) => {
    parse(EMPTY, body(req));
    res.status(201).json(created(await reissueCall(deps, principalOf(res), callId(req))));
  });

  router.get('/events', (req, res) => {
    const principal = principalOf(res);
    const stream = options.streams.open(req, res, {
      owner: { kind: 'agent', id: principal.id },
    });
    const membership = new Map<string, Promise<boolean>>();
    const visible = (call: CallRecord): Promise<boolean> => {
      if (call.agent.id === principal.id) return Promise.resolve(true);
      if (!call.team) return Promise.resolve(false);
      let member = membership.get(call.team.id);
      if (!member) {
        member = deps.teams.isMember(principal.id, call.team.id).catch(() => false);
        membership.set(call.team.id, member);
      }
      return member;
    };
    stream.send('ready', { agent: { id: principal.id, name: principal.name } });
    const unsubscribe = deps.bus.subscribe((change) => {
      void visible(change.call).then((yes) => {
        if (yes) stream.sendJson('call', callEventJson(change.call));
      });
    });
    stream.onClose(unsubscribe);
  });

  return router;
}
