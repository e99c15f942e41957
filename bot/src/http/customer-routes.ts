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
import { STATUS_OF, errorBody, setRetryAfter, toAppError } from './errors';
import { sendJson } from './json-response';
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

const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

function localeOf(req: Request, call: CallRecord | undefined): Locale {
  const asked = req.query['lang'];
  if (asked === 'de' || asked === 'en') return asked;
  return call?.customerLocale ?? localeFromAcceptLanguage(req.get('accept-language'));
}

/** The customer's journey: `/j/:code` and its lobby, status, call and leave pages. */
export function customerRoutes(options: CustomerRoutesOptions): Router {
  const { deps, limiter, logger } = options;
  const router = express.Router({ strict: false });
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const json = express.json({ limit: '4kb' });

  const base = (code: string) => `/j/${code}`;

  function send(
    req: Request,
    res: Response,
    status: number,
    html: (ctx: PageContext) => string,
    call?: CallRecord,
  ) {
    const nonce = newNonce();
    const ctx: PageContext = {
      locale: localeOf(req, call),
      nonce,
      path: req.path === '/' ? req.baseUrl : `${req.baseUrl}${req.path}`,
      site: options.site,
    };
    res.status(status).set(customerPageHeaders(nonce)).type('html').send(html(ctx));
  }

  function fail(req: Request, res: Response, raw: unknown, call?: CallRecord) {
    const error = toAppError(raw);
    if (error.code === 'internal' || error.code === 'upstream-unavailable') {
      requestLogger(res, logger, call?.id).error('customer request failed', {
        method: req.method,
        ...errorFields(error.cause ?? error),
      });
    }
    const status = STATUS_OF[error.code];
    setRetryAfter(res, error);
    if (wantsJson(req)) {
      res
        .status(status)
        .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
        .json(errorBody(error));
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
      req,
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

  /** Finds the call of `:code`, counting unknown codes as failed guesses. Sends the error itself. */
  async function resolve(req: Request, res: Response): Promise<Resolved | undefined> {
    const code = String(req.params['code'] ?? '');
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const claimToken = parseCookies(req.get('cookie')).get(CLAIM_COOKIE);
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
        req,
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
  function render(req: Request, res: Response, r: Resolved, view: CustomerView) {
    const { call, code } = r;
    switch (view.page) {
      case 'landing':
        send(
          req,
          res,
          200,
          (ctx) => landingPage(ctx, call, { store: storeFor(req.get('user-agent')) }),
          call,
        );
        return;
      case 'too-early':
        send(
          req,
          res,
          200,
          (ctx) => tooEarlyPage(ctx, call, view.opensAt, deps.clock.now().getTime()),
          call,
        );
        return;
      case 'lobby':
        send(
          req,
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
          req,
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
        send(req, res, 200, (ctx) => teamsHandoffPage(ctx, view.joinUrl), call);
        return;
      case 'dead':
        send(
          req,
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
  async function show(req: Request, res: Response, r: Resolved, route: string) {
    const view = viewOf(r, r.claimant ? await toldOf(r.call) : false);
    const home = pagePath(view, r.claimant);
    if (home !== undefined && home !== route) {
      res.redirect(303, `${base(r.code)}${home}`);
      return;
    }
    render(req, res, r, view);
  }

  // GET (and HEAD): the landing page. Never changes anything: mail scanners open links too.
  router.get('/:code', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    if (!r.claimant && callPhase(r.call.state) === 'open') options.onOpened?.(r.call.id);
    if (wantsJson(req) && !r.claimant) {
      const status = customerLinkStatus(viewOf(r));
      res
        .status(LINK_STATUS_CODES[status.link])
        .set('Cache-Control', 'no-store')
        .json({
          state: status.state,
          title: r.call.title,
          agentName: r.call.agent.name,
          opensAt: claimOpensAt(deps, r.call),
        });
      return;
    }
    await show(req, res, r, '');
  });

  // POST: the customer's own claim, with the typed name.
  router.post('/:code', form, json, async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    const body: unknown = req.body;
    const parsed = ClaimFormSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const raw = (body as { name?: unknown } | undefined)?.name;
      if (wantsJson(req)) {
        fail(
          req,
          res,
          new AppError('invalid-input', `name: ${parsed.error.issues[0]?.message ?? 'invalid'}`),
        );
        return;
      }
      const view = viewOf(r);
      if (view.page === 'dead' && !r.claimant) {
        render(req, res, r, view);
        return;
      }
      send(
        req,
        res,
        400,
        (ctx) =>
          landingPage(ctx, r.call, {
            store: storeFor(req.get('user-agent')),
            name: typeof raw === 'string' ? raw.slice(0, 200) : '',
            error: nameError(raw),
          }),
        r.call,
      );
      return;
    }
    try {
      const claim = await claimCall(deps, r.call, parsed.data.name, r.claimToken);
      const maxAge =
        (Date.parse(claim.call.expiresAt) - deps.clock.now().getTime()) / 1000 + 86_400;
      res.setHeader(
        'Set-Cookie',
        serializeCookie(CLAIM_COOKIE, claim.claimToken, {
          path: base(r.code),
          maxAgeSeconds: maxAge,
          secure: options.secureCookies,
        }),
      );
      if (wantsJson(req)) {
        res
          .status(claim.fresh ? 201 : 200)
          .set('Cache-Control', 'no-store')
          .json(claimantStatus(deps, claim.call, r.code));
        return;
      }
      res.redirect(303, `${base(r.code)}/lobby`);
    } catch (error) {
      if (error instanceof AppError && error.code === 'too-early' && !wantsJson(req)) {
        const now = deps.clock.now();
        send(
          req,
          res,
          409,
          (ctx) => tooEarlyPage(ctx, r.call, claimOpensAt(deps, r.call), now.getTime()),
          r.call,
        );
        return;
      }
      fail(req, res, error, r.call);
    }
  });

  router.get('/:code/lobby', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    await show(req, res, r, '/lobby');
  });

  router.get('/:code/status', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    const withTold = async (status: CustomerStatus): Promise<CustomerStatus> =>
      status.phase === 'lobby' && (await toldOf(r.call)) ? { ...status, agentTold: true } : status;
    try {
      // The call `resolve` read is the one the status is of: one lookup per poll, not two.
      if (!r.claimant) throw notClaimant(r.call);
      const first = await withTold(claimantStatus(deps, r.call, r.code));
      if (
        !req.accepts('text/event-stream') ||
        req.accepts(['json', 'text/event-stream']) === 'json'
      ) {
        res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
        sendJson(res, 200, first);
        return;
      }
      const stream = options.streams.open(req, res, {
        owner: { kind: 'claim', id: r.call.id },
      });
      stream.send('status', first);
      let lastVersion = first.version;
      const unsubscribe = deps.bus.subscribe((change) => {
        if (change.call.id !== r.call.id || change.call.version <= lastVersion) return;
        lastVersion = change.call.version;
        customerStatus(deps, r.code, r.claimToken).then(
          async (status) => stream.send('status', await withTold(status)),
          () => stream.close(),
        );
      });
      stream.onClose(unsubscribe);
    } catch (error) {
      fail(req, res, error, r.call);
    }
  });

  router.get('/:code/call', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    // Only the admitted claimant's own call page lives here; everything else goes to the lobby.
    if (viewOf(r).page !== 'call') {
      res.redirect(303, `${base(r.code)}/lobby`);
      return;
    }
    await show(req, res, r, '/call');
  });

  router.post('/:code/present', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    try {
      await markPresent(deps, r.code, r.claimToken);
      res.set('Cache-Control', 'no-store').json(await customerStatus(deps, r.code, r.claimToken));
    } catch (error) {
      fail(req, res, error, r.call);
    }
  });

  /**
   * A customer's step posted by a plain form or by the page's script: `step`, then the customer's
   * status as JSON to the script, or back to the lobby for the form.
   */
  function customerStep(
    step: (deps: CallDeps, code: string, claimToken: string | undefined) => Promise<unknown>,
  ) {
    return async (req: Request, res: Response): Promise<void> => {
      const r = await resolve(req, res);
      if (!r) return;
      try {
        await step(deps, r.code, r.claimToken);
        if (wantsJson(req)) {
          res
            .set('Cache-Control', 'no-store')
            .json(await customerStatus(deps, r.code, r.claimToken));
          return;
        }
        res.redirect(303, `${base(r.code)}/lobby`);
      } catch (error) {
        fail(req, res, error, r.call);
      }
    };
  }

  // The customer's "I'm still here": the wait is extended. Works without script (a plain form).
  router.post('/:code/still-here', form, json, customerStep(stillHere));

  router.get('/:code/leave', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    if (!r.claimant) {
      res.redirect(303, base(r.code));
      return;
    }
    const back = `${base(r.code)}${viewOf(r).page === 'call' ? '/call' : '/lobby'}`;
    send(req, res, 200, (ctx) => leavePage(ctx, { action: `${base(r.code)}/leave`, back }), r.call);
  });

  router.post('/:code/leave', form, json, customerStep(leaveCall));

  return router;
}
