import express, { type Request, type Response, type Router } from 'express';
import {
  AppError,
  ClaimFormSchema,
  claimLink,
  claimOpensAt,
  customerStatus,
  effectiveState,
  findByCode,
  isClaimant,
  isTerminal,
  leaveCall,
  markPresent,
  type CallDeps,
  type CallRecord,
  type CallState,
  type Locale,
} from '@shared';
import { errorFields, type Logger } from '../logger';
import { parseCookies, serializeCookie } from './cookies';
import { STATUS_OF, errorBody, toAppError } from './errors';
import {
  callPage,
  deadPage,
  landingPage,
  leavePage,
  lobbyPage,
  storeFor,
  teamsHandoffPage,
  tooEarlyPage,
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
};

const CLAIM_COOKIE = 'otc_claim';

type Resolved = {
  readonly call: CallRecord;
  readonly code: string;
  readonly claimToken: string | undefined;
  readonly claimant: boolean;
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
    };
    res.status(status).set(customerPageHeaders(nonce)).type('html').send(html(ctx));
  }

  function fail(req: Request, res: Response, raw: unknown, call?: CallRecord) {
    const error = toAppError(raw);
    if (error.code === 'internal' || error.code === 'upstream-unavailable') {
      logger.error('customer request failed', {
        method: req.method,
        ...errorFields(error.cause ?? error),
      });
    }
    const status = STATUS_OF[error.code];
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
    send(req, res, status, (ctx) => deadPage(ctx, reason), call);
  }

  /** Finds the call of `:code`, counting unknown codes as failed guesses. Sends the error itself. */
  async function resolve(req: Request, res: Response): Promise<Resolved | undefined> {
    const code = String(req.params['code'] ?? '');
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const claimToken = parseCookies(req.get('cookie')).get(CLAIM_COOKIE);
    const blocked = limiter.isBlocked(address);
    let call: CallRecord;
    try {
      call = await findByCode(deps, code);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not-found') limiter.fail(address);
      fail(req, res, blocked ? new AppError('rate-limited', 'Too many failed guesses') : error);
      return undefined;
    }
    const claimant = isClaimant(deps, call, claimToken);
    // A blocked address still reaches a link it has claimed: a valid link in use is never throttled.
    if (blocked && !claimant) {
      fail(req, res, new AppError('rate-limited', 'Too many failed guesses'));
      return undefined;
    }
    return { call, code, claimToken, claimant };
  }

  function nameError(raw: unknown): NameError {
    const name = typeof raw === 'string' ? raw.trim() : '';
    if (name.length === 0) return 'empty';
    if (name.length > 80) return 'long';
    return 'invalid';
  }

  function deadReasonOf(call: CallRecord, state: CallState, claimant: boolean): DeadReason {
    if (isTerminal(state)) return state as DeadReason;
    return claimant ? 'error' : 'claimed-elsewhere';
  }

  /** A browser that did not claim the link, once the link is no longer open: why it cannot use it. */
  function sendNotYours(req: Request, res: Response, call: CallRecord, state: CallState) {
    const status = isTerminal(state) ? 410 : 409;
    send(req, res, status, (ctx) => deadPage(ctx, deadReasonOf(call, state, false)), call);
  }

  // GET (and HEAD): the landing page. Never changes anything: mail scanners open links too.
  router.get('/:code', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    if (r.claimant) {
      res.redirect(303, `${base(r.code)}/lobby`);
      return;
    }
    const state = effectiveState(r.call, deps);
    if (state === 'scheduled') options.onOpened?.(r.call.id);
    if (wantsJson(req)) {
      res
        .status(isTerminal(state) ? 410 : state === 'scheduled' ? 200 : 409)
        .set('Cache-Control', 'no-store')
        .json({
          state: isTerminal(state) || state === 'scheduled' ? state : 'claimed',
          title: r.call.title,
          agentName: r.call.agent.name,
          opensAt: claimOpensAt(deps, r.call),
        });
      return;
    }
    if (state !== 'scheduled') {
      sendNotYours(req, res, r.call, state);
      return;
    }
    const now = deps.clock.now();
    const opensAt = claimOpensAt(deps, r.call);
    if (now.toISOString() < opensAt) {
      send(req, res, 200, (ctx) => tooEarlyPage(ctx, r.call, opensAt, now.getTime()), r.call);
      return;
    }
    send(
      req,
      res,
      200,
      (ctx) => landingPage(ctx, r.call, { store: storeFor(req.get('user-agent')) }),
      r.call,
    );
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
      const state = effectiveState(r.call, deps);
      if (state !== 'scheduled' && !r.claimant) {
        sendNotYours(req, res, r.call, state);
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
      const claim = await claimLink(deps, r.code, parsed.data.name, r.claimToken);
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
          .json(await customerStatus(deps, r.code, claim.claimToken));
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
    const state = effectiveState(r.call, deps);
    if (!r.claimant) {
      if (state === 'scheduled') res.redirect(303, base(r.code));
      else sendNotYours(req, res, r.call, state);
      return;
    }
    if (state === 'waiting') {
      const waited = Math.floor(
        (deps.clock.now().getTime() - Date.parse(r.call.claimedAt ?? r.call.updatedAt)) / 1000,
      );
      send(
        req,
        res,
        200,
        (ctx) =>
          lobbyPage(ctx, r.call, { waitedSeconds: waited, leaveHref: `${base(r.code)}/leave` }),
        r.call,
      );
      return;
    }
    if (state === 'admitted' || state === 'in_call') {
      if (r.call.meeting.joinUrl)
        send(req, res, 200, (ctx) => teamsHandoffPage(ctx, r.call.meeting.joinUrl!), r.call);
      else res.redirect(303, `${base(r.code)}/call`);
      return;
    }
    send(
      req,
      res,
      410,
      (ctx) =>
        deadPage(ctx, deadReasonOf(r.call, state, true), {
          declineReason: state === 'declined' ? r.call.declineReason : undefined,
        }),
      r.call,
    );
  });

  router.get('/:code/status', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    try {
      const first = await customerStatus(deps, r.code, r.claimToken);
      if (
        !req.accepts('text/event-stream') ||
        req.accepts(['json', 'text/event-stream']) === 'json'
      ) {
        res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).json(first);
        return;
      }
      const stream = options.streams.open(req, res);
      stream.send('status', first);
      let lastVersion = first.version;
      const unsubscribe = deps.bus.subscribe((change) => {
        if (change.call.id !== r.call.id || change.call.version <= lastVersion) return;
        lastVersion = change.call.version;
        customerStatus(deps, r.code, r.claimToken).then(
          (status) => stream.send('status', status),
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
    const state = effectiveState(r.call, deps);
    if (!r.claimant || (state !== 'admitted' && state !== 'in_call') || r.call.meeting.joinUrl) {
      res.redirect(303, `${base(r.code)}/lobby`);
      return;
    }
    send(
      req,
      res,
      200,
      (ctx) => callPage(ctx, r.call, { leaveHref: `${base(r.code)}/leave` }),
      r.call,
    );
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

  router.get('/:code/leave', async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    if (!r.claimant) {
      res.redirect(303, base(r.code));
      return;
    }
    const state = effectiveState(r.call, deps);
    const back =
      state === 'admitted' || state === 'in_call'
        ? `${base(r.code)}/call`
        : `${base(r.code)}/lobby`;
    send(req, res, 200, (ctx) => leavePage(ctx, { action: `${base(r.code)}/leave`, back }), r.call);
  });

  router.post('/:code/leave', form, json, async (req, res) => {
    const r = await resolve(req, res);
    if (!r) return;
    try {
      await leaveCall(deps, r.code, r.claimToken);
      if (wantsJson(req)) {
        res.set('Cache-Control', 'no-store').json(await customerStatus(deps, r.code, r.claimToken));
        return;
      }
      res.redirect(303, `${base(r.code)}/lobby`);
    } catch (error) {
      fail(req, res, error, r.call);
    }
  });

  return router;
}
