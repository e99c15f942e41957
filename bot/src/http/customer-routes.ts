import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import {
  AppError,
  ClaimFormSchema,
  callPhase,
  claimCall,
  claimOpensAt,
  claimantStatus,
  customerLinkStatus,
  customerStatus,
  customerView,
  findByCode,
  isClaimant,
  isTerminal,
  leaveCall,
  markPresent,
  notClaimant,
  stillHere,
  type CallDeps,
  type CallRecord,
  type CallState,
  type CustomerLinkStatus,
  type CustomerStatus,
  type CustomerView,
  type Locale,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { requestLogger } from './request-id';
import { parseCookies, serializeCookie } from './cookies';
import { STATUS_OF, errorBody, failRequest, setRetryAfter, toAppError } from './errors';
import { header, preferred, readBody, redirect, sendHtml, sendJson } from './plain-http';
import {
  callPage,
  deadPage,
  landingPage,
  leavePage,
  lobbyPage,
  storeFor,
  teamsHandoffPage,
  tooEarlyPage,
  CUSTOMER_NAME_MAX,
  type CustomerSite,
  type NameError,
  type PageContext,
} from './pages/customer-pages';
import { localeFromAcceptLanguage, type DeadReason } from './pages/strings';
import type { FailedGuessLimiter } from './rate-limit';
import { customerPageHeaders, newNonce } from './security-headers';
import type { EventStreams } from './sse';

/** What the customer routes need. */
export type CustomerRoutesOptions = {
  readonly deps: CallDeps;
  readonly limiter: FailedGuessLimiter;
  readonly secureCookies: boolean;
  readonly logger: Logger;
  readonly streams: EventStreams;
  /** Told when a scheduled link's landing page is fetched (reports; never changes the call). */
  readonly onOpened?: ((callId: string) => void) | undefined;
  /** The customer call page's bundled script (`/assets/customer-call-<hash>.js`), when built. */
  readonly callScriptSrc?: string | undefined;
  /** The deployment's extras on every page (support contact, brand). @default none */
  readonly site?: CustomerSite | undefined;
  /**
   * Whether the agent has heard of the waiting customer (the lobby card was delivered, or the
   * agent's tab is open). @default never (the lobby says "we are letting your agent know")
   */
  readonly agentTold?: ((call: CallRecord) => Promise<boolean>) | undefined;
};

const CLAIM_COOKIE = 'otc_claim';

type Resolved = {
  readonly call: CallRecord;
  readonly code: string;
  readonly claimToken: string | undefined;
  readonly claimant: boolean;
};

/**
 * Where each page lives under `/j/:code`. The claimant's dead link is shown in its lobby; to
 * anybody else it is shown wherever they asked.
 */
function pagePath(view: CustomerView, claimant: boolean): string | undefined {
  switch (view.page) {
    case 'landing':
    case 'too-early':
      return '';
    case 'lobby':
    case 'teams-handoff':
      return '/lobby';
    case 'call':
      return '/call';
    case 'dead':
      return claimant ? '/lobby' : undefined;
  }
}

/** The landing's JSON answer, by what the link says of itself: gone for good, or taken. */
const LINK_STATUS_CODES: Record<CustomerLinkStatus['link'], number> = {
  open: 200,
  over: 410,
  claimed: 409,
};

/**
 * What a customer handler reads of its request, the same whether Express routed it or the front
 * door did (`front-door.ts`).
 */
export type CustomerRequest = {
  readonly raw: IncomingMessage;
  /** The link code from the path, decoded. */
  readonly code: string;
  /** The path asked for, without the query: the page's own links point back to it. */
  readonly path: string;
  /** `?lang=` when it was given once. */
  readonly lang: string | undefined;
  /** The client's address (`req.ip`), for the guess limiter and stream caps. */
  readonly address: string;
};

/** A customer handler. A throw (a body too large, a bug) is answered by the caller as JSON. */
export type CustomerHandler = (q: CustomerRequest, res: ServerResponse) => Promise<void>;

/** The pages under `/j/:code`, each by method and the path after the code. */
export type CustomerHandlers = ReadonlyMap<`${'GET' | 'POST'} ${string}`, CustomerHandler>;

const wantsJson = (req: IncomingMessage): boolean => preferred(req, ['html', 'json']) === 'json';

function localeOf(q: CustomerRequest, call: CallRecord | undefined): Locale {
  if (q.lang === 'de' || q.lang === 'en') return q.lang;
  return call?.customerLocale ?? localeFromAcceptLanguage(header(q.raw, 'accept-language'));
}

/** The customer's journey: `/j/:code` and its lobby, status, call and leave pages. */
export function customerHandlers(options: CustomerRoutesOptions): CustomerHandlers {
  const { deps, limiter, logger } = options;
  const formParser = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const jsonParser = express.json({ limit: '4kb' });
  /** A posted body, as a plain form or as JSON; `undefined` when there is none. */
  const readForm = async (q: CustomerRequest, res: ServerResponse): Promise<unknown> => {
    await readBody(formParser, q.raw, res);
    await readBody(jsonParser, q.raw, res);
    return (q.raw as { body?: unknown }).body;
  };

  const base = (code: string) => `/j/${code}`;

  function send(
    q: CustomerRequest,
    res: ServerResponse,
    status: number,
    html: (ctx: PageContext) => string,
    call?: CallRecord,
  ) {
    const nonce = newNonce();
    const ctx: PageContext = { locale: localeOf(q, call), nonce, path: q.path, site: options.site };
    sendHtml(res, status, customerPageHeaders(nonce), html(ctx));
  }

  function fail(q: CustomerRequest, res: ServerResponse, raw: unknown, call?: CallRecord) {
    const error = toAppError(raw);
    if (error.code === 'internal' || error.code === 'upstream-unavailable') {
      requestLogger(res, logger, call?.id).error('customer request failed', {
        method: q.raw.method,
        ...errorFields(error.cause ?? error),
      });
    }
    const status = STATUS_OF[error.code];
    setRetryAfter(res, error);
    if (wantsJson(q.raw)) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      sendJson(res, status, errorBody(error));
      return;
    }
    const state = error.details?.['state'] as CallState | undefined;
    const reason: DeadReason =
      error.code === 'link-dead' && state && isTerminal(state)
        ? (state as DeadReason)
        : error.code === 'claimed-elsewhere'
          ? 'claimed-elsewhere'
          : error.code === 'not-found'
            ? 'not-found'
            : error.code === 'rate-limited'
              ? 'rate-limited'
              : 'error';
    send(
      q,
      res,
      status,
      (ctx) =>
        deadPage(ctx, reason, {
          retryAfterSeconds: error.details?.['retryAfterSeconds'] as number | undefined,
          agentName: call?.agent.name,
        }),
      call,
    );
  }

  /** Finds the call of the code, counting unknown codes as failed guesses. Sends the error itself. */
  async function resolve(q: CustomerRequest, res: ServerResponse): Promise<Resolved | undefined> {
    const { code, address } = q;
    const claimToken = parseCookies(header(q.raw, 'cookie')).get(CLAIM_COOKIE);
    let call: CallRecord;
    try {
      call = await findByCode(deps, code);
    } catch (error) {
      // Only answers for unknown codes are throttled: a valid link always works, even from an
      // address that guessed wrong too often (carrier NAT).
      const unknown = error instanceof AppError && error.code === 'not-found';
      const retryAfterSeconds = unknown ? limiter.retryAfterSeconds(address) : 0;
      if (unknown && retryAfterSeconds === 0) limiter.fail(address);
      fail(
        q,
        res,
        retryAfterSeconds > 0
          ? new AppError('rate-limited', 'Too many failed guesses', {
              details: { retryAfterSeconds },
            })
          : error,
      );
      return undefined;
    }
    const claimant = isClaimant(deps, call, claimToken);
    return { call, code, claimToken, claimant };
  }

  function nameError(raw: unknown): NameError {
    const name = typeof raw === 'string' ? raw.trim() : '';
    if (name.length === 0) return 'empty';
    if (name.length > CUSTOMER_NAME_MAX) return 'long';
    return 'invalid';
  }

  async function toldOf(call: CallRecord): Promise<boolean> {
    if (!options.agentTold || callPhase(call.state) !== 'lobby') return false;
    // The page still works when the outbox cannot answer: it just keeps saying "we are letting
    // your agent know".
    return options.agentTold(call).catch(() => false);
  }

  const viewOf = (r: Resolved, told = false): CustomerView =>
    customerView(r.call, { claimant: r.claimant }, deps.clock.now(), deps.settings, { told });

  /** Renders the page the view decided. Routes choose nothing themselves. */
  function render(q: CustomerRequest, res: ServerResponse, r: Resolved, view: CustomerView) {
    const { call, code } = r;
    switch (view.page) {
      case 'landing':
        send(
          q,
          res,
          200,
          (ctx) => landingPage(ctx, call, { store: storeFor(header(q.raw, 'user-agent')) }),
          call,
        );
        return;
      case 'too-early':
        send(
          q,
          res,
          200,
          (ctx) => tooEarlyPage(ctx, call, view.opensAt, deps.clock.now().getTime()),
          call,
        );
        return;
      case 'lobby':
        send(
          q,
          res,
          200,
          (ctx) =>
            lobbyPage(ctx, call, {
              waitedSeconds: view.waitedSeconds,
              leaveHref: `${base(code)}/leave`,
              stillHereHref: `${base(code)}/still-here`,
              timeoutInSeconds: view.timeoutInSeconds,
              warningSeconds: deps.settings.lobbyWarningSeconds,
              agentTold: view.agentTold,
            }),
          call,
        );
        return;
      case 'call':
        send(
          q,
          res,
          200,
          (ctx) =>
            callPage(ctx, call, {
              leaveHref: `${base(code)}/leave`,
              base: `${base(code)}/call`,
              scriptSrc: options.callScriptSrc,
            }),
          call,
        );
        return;
      case 'teams-handoff':
        send(q, res, 200, (ctx) => teamsHandoffPage(ctx, view.joinUrl), call);
        return;
      case 'dead':
        send(
          q,
          res,
          view.reason === 'claimed-elsewhere' ? 409 : 410,
          (ctx) =>
            deadPage(ctx, view.reason, {
              declineReason: view.declineReason,
              agentName: view.agentName,
            }),
          call,
        );
        return;
    }
  }

  /**
   * Shows the view on the route that owns its page (`PAGE_PATH`), redirecting there from any other;
   * a page with no home is shown where it was asked for.
   */
  async function show(q: CustomerRequest, res: ServerResponse, r: Resolved, route: string) {
    const view = viewOf(r, r.claimant ? await toldOf(r.call) : false);
    const home = pagePath(view, r.claimant);
    if (home !== undefined && home !== route) {
      redirect(res, 303, `${base(r.code)}${home}`);
      return;
    }
    render(q, res, r, view);
  }

  // GET (and HEAD): the landing page. Never changes anything: mail scanners open links too.
  const landing: CustomerHandler = async (q, res) => {
    const r = await resolve(q, res);
    if (!r) return;
    if (!r.claimant && callPhase(r.call.state) === 'open') options.onOpened?.(r.call.id);
    if (wantsJson(q.raw) && !r.claimant) {
      const status = customerLinkStatus(viewOf(r));
      res.setHeader('Cache-Control', 'no-store');
      sendJson(res, LINK_STATUS_CODES[status.link], {
        state: status.state,
        title: r.call.title,
        agentName: r.call.agent.name,
        opensAt: claimOpensAt(deps, r.call),
      });
      return;
    }
    await show(q, res, r, '');
  };

  // POST: the customer's own claim, with the typed name.
  const claim: CustomerHandler = async (q, res) => {
    const body = await readForm(q, res);
    const r = await resolve(q, res);
    if (!r) return;
    const parsed = ClaimFormSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const raw = (body as { name?: unknown } | undefined)?.name;
      if (wantsJson(q.raw)) {
        fail(
          q,
          res,
          new AppError('invalid-input', `name: ${parsed.error.issues[0]?.message ?? 'invalid'}`),
        );
        return;
      }
      const view = viewOf(r);
      if (view.page === 'dead' && !r.claimant) {
        render(q, res, r, view);
        return;
      }
      send(
        q,
        res,
        400,
        (ctx) =>
          landingPage(ctx, r.call, {
            store: storeFor(header(q.raw, 'user-agent')),
            name: typeof raw === 'string' ? raw.slice(0, 200) : '',
            error: nameError(raw),
          }),
        r.call,
      );
      return;
    }
    try {
      const claimed = await claimCall(deps, r.call, parsed.data.name, r.claimToken);
      const maxAge =
        (Date.parse(claimed.call.expiresAt) - deps.clock.now().getTime()) / 1000 + 86_400;
      res.setHeader(
        'Set-Cookie',
        serializeCookie(CLAIM_COOKIE, claimed.claimToken, {
          path: base(r.code),
          maxAgeSeconds: maxAge,
          secure: options.secureCookies,
        }),
      );
      if (wantsJson(q.raw)) {
        res.setHeader('Cache-Control', 'no-store');
        sendJson(res, claimed.fresh ? 201 : 200, claimantStatus(deps, claimed.call, r.code));
        return;
      }
      redirect(res, 303, `${base(r.code)}/lobby`);
    } catch (error) {
      if (error instanceof AppError && error.code === 'too-early' && !wantsJson(q.raw)) {
        const now = deps.clock.now();
        send(
          q,
          res,
          409,
          (ctx) => tooEarlyPage(ctx, r.call, claimOpensAt(deps, r.call), now.getTime()),
          r.call,
        );
        return;
      }
      fail(q, res, error, r.call);
    }
  };

  const lobby: CustomerHandler = async (q, res) => {
    const r = await resolve(q, res);
    if (!r) return;
    await show(q, res, r, '/lobby');
  };

  const status: CustomerHandler = async (q, res) => {
    const r = await resolve(q, res);
    if (!r) return;
    const withTold = async (s: CustomerStatus): Promise<CustomerStatus> =>
      s.phase === 'lobby' && (await toldOf(r.call)) ? { ...s, agentTold: true } : s;
    try {
      // The call `resolve` read is the one the status is of: one lookup per poll, not two.
      if (!r.claimant) throw notClaimant(r.call);
      const first = await withTold(claimantStatus(deps, r.call, r.code));
      if (
        !preferred(q.raw, ['text/event-stream']) ||
        preferred(q.raw, ['json', 'text/event-stream']) === 'json'
      ) {
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Referrer-Policy', 'no-referrer');
        sendJson(res, 200, first);
        return;
      }
      const stream = options.streams.open(q.raw, res, {
        address: q.address,
        owner: { kind: 'claim', id: r.call.id },
      });
      stream.send('status', first);
      let lastVersion = first.version;
      const unsubscribe = deps.bus.subscribe((change) => {
        if (change.call.id !== r.call.id || change.call.version <= lastVersion) return;
        lastVersion = change.call.version;
        customerStatus(deps, r.code, r.claimToken).then(
          async (next) => stream.send('status', await withTold(next)),
          () => stream.close(),
        );
      });
      stream.onClose(unsubscribe);
    } catch (error) {
      fail(q, res, error, r.call);
    }
  };

  const callPageRoute: CustomerHandler = async (q, res) => {
    const r = await resolve(q, res);
    if (!r) return;
    // Only the admitted claimant's own call page lives here; everything else goes to the lobby.
    if (viewOf(r).page !== 'call') {
      redirect(res, 303, `${base(r.code)}/lobby`);
      return;
    }
    await show(q, res, r, '/call');
  };

  const present: CustomerHandler = async (q, res) => {
    const r = await resolve(q, res);
    if (!r) return;
    try {
      await markPresent(deps, r.code, r.claimToken);
      res.setHeader('Cache-Control', 'no-store');
      sendJson(res, 200, await customerStatus(deps, r.code, r.claimToken));
    } catch (error) {
      fail(q, res, error, r.call);
    }
  };

  /**
   * A customer's step posted by a plain form or by the page's script: `step`, then the customer's
   * status as JSON to the script, or back to the lobby for the form.
   */
  function customerStep(
    step: (deps: CallDeps, code: string, claimToken: string | undefined) => Promise<unknown>,
  ): CustomerHandler {
    return async (q, res) => {
      await readForm(q, res);
      const r = await resolve(q, res);
      if (!r) return;
      try {
        await step(deps, r.code, r.claimToken);
        if (wantsJson(q.raw)) {
          res.setHeader('Cache-Control', 'no-store');
          sendJson(res, 200, await customerStatus(deps, r.code, r.claimToken));
          return;
        }
        redirect(res, 303, `${base(r.code)}/lobby`);
      } catch (error) {
        fail(q, res, error, r.call);
      }
    };
  }

  const leavePageRoute: CustomerHandler = async (q, res) => {
    const r = await resolve(q, res);
    if (!r) return;
    if (!r.claimant) {
      redirect(res, 303, base(r.code));
      return;
    }
    const back = `${base(r.code)}${viewOf(r).page === 'call' ? '/call' : '/lobby'}`;
    send(q, res, 200, (ctx) => leavePage(ctx, { action: `${base(r.code)}/leave`, back }), r.call);
  };

  return new Map<`${'GET' | 'POST'} ${string}`, CustomerHandler>([
    ['GET ', landing],
    ['POST ', claim],
    ['GET /lobby', lobby],
    ['GET /status', status],
    ['GET /call', callPageRoute],
    ['POST /present', present],
    // The customer's "I'm still here": the wait is extended. Works without script (a plain form).
    ['POST /still-here', customerStep(stillHere)],
    ['GET /leave', leavePageRoute],
    ['POST /leave', customerStep(leaveCall)],
  ]);
}

/** The `?lang=` of a request URL, when it was given once (a repeated one is ignored). */
export function langOf(url: string): string | undefined {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return undefined;
  const values = new URLSearchParams(url.slice(queryAt + 1)).getAll('lang');
  return values.length === 1 ? values[0] : undefined;
}

/**
 * The customer handlers as an Express router, for the paths the front door leaves to Express
 * (a trailing slash, other letter case, percent-encoding, HEAD). Mount at `/j`.
 */
export function customerRoutes(
  handlers: CustomerHandlers,
  options: { readonly logger: Logger },
): Router {
  const router = express.Router({ strict: false });
  for (const [key, handler] of handlers) {
    const [method, sub] = key.split(' ') as ['GET' | 'POST', string];
    const handle = async (req: Request, res: Response) => {
      const q: CustomerRequest = {
        raw: req,
        code: String(req.params['code'] ?? ''),
        path: req.path === '/' ? req.baseUrl : `${req.baseUrl}${req.path}`,
        lang: langOf(req.originalUrl),
        address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      };
      await answerCustomer(handler, q, res, options.logger);
    };
    if (method === 'GET') router.get(`/:code${sub}`, handle);
    else router.post(`/:code${sub}`, handle);
  }
  return router;
}

/** Runs a customer handler; what it throws (a body over the limit, a bug) is answered as JSON. */
export async function answerCustomer(
  handler: CustomerHandler,
  q: CustomerRequest,
  res: ServerResponse,
  logger: Logger,
): Promise<void> {
  try {
    await handler(q, res);
  } catch (error) {
    failRequest(res, error, logger, { method: q.raw.method });
  }
}
