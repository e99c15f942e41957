import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { AppError, type CallDeps, type MeResponse, type ReportDeps } from '@shared';
import type { Logger } from '../logger';
import type { AgentAuthenticator } from './agent-auth';
import { agentRoutes, createCallHandler } from './agent-routes';
import { customerCallScriptSrc } from './call-asset';
import { agentCallRoutes, customerCallRoutes, watchCallRooms } from './call-routes';
import { customerHandlers, customerRoutes } from './customer-routes';
import { frontDoor } from './front-door';
import type { CustomerSite } from './pages/customer-pages';
import { botEndpoint } from './bot-endpoint';
import { errorBody, jsonErrorHandler } from './errors';
import { LocalTrust } from './local-agent-auth';
import { reportsRoutes } from './reports-routes';
import { FailedGuessLimiter } from './rate-limit';
import { TEAMS_FRAME_ANCESTORS, baseHeaders, tabHeaders } from './security-headers';
import { requestIds } from './request-id';
import { EventStreams, type StreamLimits } from './sse';

/** Everything the HTTP app needs; built in `bot/src/main.ts`. */
export type AppOptions = {
  readonly deps: CallDeps;
  readonly auth: AgentAuthenticator;
  readonly mode: 'embedded' | 'teams';
  readonly logger: Logger;
  /** Express `trust proxy` hops, for the client address of rate limits. @default 0 */
  readonly trustProxy?: number | undefined;
  readonly secureCookies: boolean;
  /** Origins allowed to post to the agent API. */
  readonly allowedOrigins: readonly string[];
  /** The built tab (`dist/tab`); when missing, `/` says how to build it. */
  readonly tabDir?: string | undefined;
  /** Extra hosts allowed to frame the tab. @default Teams hosts */
  readonly frameAncestors?: readonly string[] | undefined;
  /** Failed link guesses per address per window before `429`. @default 30 per 10 minutes */
  readonly guessLimit?: { readonly limit: number; readonly windowMs: number } | undefined;
  /** `POST /api/messages`: the bot's Bot Framework endpoint. */
  readonly botHandler?: ((req: Request, res: Response) => Promise<void>) | undefined;
  /**
   * The bot runs without Bot Framework authentication (no `BOT_ID`: the Agents Playground). Then
   * `/api/messages` is accepted only from this machine, never through a proxy: a card invoke admits
   * customers. @default false
   */
  readonly botLoopbackOnly?: boolean | undefined;
  /**
   * The local-trust rule (embedded mode) shared with the agent authenticator; carries the optional
   * `LOCAL_AGENT_TOKEN`. @default a rule allowing `allowedOrigins`, without a token
   */
  readonly localTrust?: LocalTrust | undefined;
  /** Caps on open event streams. @default `DEFAULT_STREAM_LIMITS` */
  readonly streamLimits?: Partial<StreamLimits> | undefined;
  readonly botReachable?: ((agentId: string) => Promise<boolean>) | undefined;
  readonly deliveryFailures?:
    ((agentId: string) => Promise<MeResponse['deliveryFailures']>) | undefined;
  /** `/readyz`: every dependency answers. */
  readonly ready: () => Promise<boolean>;
  /** The customer pages' extras: support contact, brand name, and the logo served at `/brand/logo`. */
  readonly customerSite?:
    | {
        readonly supportContact: CustomerSite['supportContact'];
        readonly brandName: string | undefined;
        readonly brandLogo: { readonly bytes: Buffer; readonly contentType: string } | undefined;
      }
    | undefined;
  /** Whether a lobby card of the call reached an agent (the outbox recorded a sent card). */
  readonly cardDelivered?: ((callId: string) => Promise<boolean>) | undefined;
  /** Reports and the audit trail; without it those routes are not mounted. */
  readonly reports?:
    { readonly deps: ReportDeps; readonly onOpened: (callId: string) => void } | undefined;
};

/** Where the configured brand logo is served (our own origin: the pages' CSP stays self-only). */
export const BRAND_LOGO_PATH = '/brand/logo';

/**
 * The server's request listener (the front door, then the Express app), the app itself, and the
 * handle to end its open event streams on shutdown.
 */
export type HttpApp = {
  readonly handle: RequestListener;
  readonly app: Express;
  readonly streams: EventStreams;
};

/**
 * Builds the one Express app (bot endpoint, agent API, customer pages, the tab, health) and the
 * front door that serves the hottest of its routes without Express's router (`front-door.ts`).
 */
export function createApp(options: AppOptions): HttpApp {
  const app = express();
  const streams = new EventStreams(options.streamLimits);
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 0);
  app.set('etag', false);
  app.use(requestIds(options.logger));
  app.use(baseHeaders);

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await options.ready().catch(() => false);
    res
      .set('Cache-Control', 'no-store')
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ready' : 'unavailable' });
  });

  if (options.botHandler) {
    const localTrust = options.botLoopbackOnly
      ? (options.localTrust ?? new LocalTrust({ allowedOrigins: options.allowedOrigins }))
      : undefined;
    app.post(
      '/api/messages',
      express.json({ limit: '256kb' }),
      botEndpoint({ handler: options.botHandler, localTrust }),
    );
  }

  if (options.reports)
    app.use('/api', reportsRoutes({ ...options, reports: options.reports.deps }));
  if (options.deps.room) {
    watchCallRooms(options.deps, options.logger);
    app.use('/api', agentCallRoutes({ ...options, streams }));
  }
  app.use(
    '/api',
    agentRoutes({
      deps: options.deps,
      auth: options.auth,
      mode: options.mode,
      logger: options.logger,
      streams,
      allowedOrigins: options.allowedOrigins,
      botReachable: options.botReachable,
      deliveryFailures: options.deliveryFailures,
    }),
  );
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not-found', message: 'Not found.' } });
  });
  app.use('/api', jsonErrorHandler(options.logger));

  const limiter = new FailedGuessLimiter({
    limit: options.guessLimit?.limit ?? 30,
    windowMs: options.guessLimit?.windowMs ?? 10 * 60_000,
    now: () => Date.now(),
  });
  const logo = options.customerSite?.brandLogo;
  if (logo) {
    app.get(BRAND_LOGO_PATH, (_req, res) => {
      res
        .set({
          'Content-Type': logo.contentType,
          'Cache-Control': 'public, max-age=3600',
          // An SVG opened on its own runs no script and loads nothing.
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        })
        .send(logo.bytes);
    });
  }
  if (options.deps.room) {
    app.use('/j', customerCallRoutes({ ...options, limiter, streams }));
  }
  const customer = customerHandlers({
    deps: options.deps,
    limiter,
    secureCookies: options.secureCookies,
    logger: options.logger,
    streams,
    onOpened: options.reports?.onOpened,
    callScriptSrc: customerCallScriptSrc(options.tabDir),
    site: options.customerSite && {
      supportContact: options.customerSite.supportContact,
      brandName: options.customerSite.brandName,
      brandLogoSrc: options.customerSite.brandLogo ? BRAND_LOGO_PATH : undefined,
    },
    // Told: this server streams to the agent's tab, or a card reached them. (Another instance's
    // tab stream is not seen here; the card covers Teams, and the wording only errs on caution.)
    agentTold: async (call) =>
      streams.isOpen({ kind: 'agent', id: call.agent.id }) ||
      ((await options.cardDelivered?.(call.id)) ?? false),
  });
  app.use('/j', customerRoutes(customer, { logger: options.logger }));

  mountTab(app, options);

  // Body parsers, URI decoding and static files of the customer pages and the tab end here.
  app.use(jsonErrorHandler(options.logger));
  const handle = frontDoor(
    {
      logger: options.logger,
      auth: options.auth,
      allowedOrigins: options.allowedOrigins,
      trustProxy: options.trustProxy ?? 0,
      createCall: createCallHandler(options),
      customer,
    },
    app,
  );
  return { handle, app, streams };
}

function mountTab(app: Express, options: AppOptions): void {
  const headers = tabHeaders(options.frameAncestors ?? TEAMS_FRAME_ANCESTORS);
  const dir = options.tabDir;
  const index = dir ? path.join(dir, 'index.html') : undefined;
  if (dir && index && existsSync(index)) {
    app.use(
      '/assets',
      express.static(path.join(dir, 'assets'), {
        immutable: true,
        maxAge: '1y',
        index: false,
        fallthrough: false,
      }),
    );
    app.use(
      express.static(dir, { index: false, maxAge: '1h', setHeaders: (res) => res.set(headers) }),
    );
    // The tab's routes (`/`, `/tab`, `/config`, …) all load the single-page app.
    app.get(['/', '/tab', '/config', '/channel', '/privacy', '/terms'], (_req, res) => {
      res.set(headers).set('Cache-Control', 'no-cache').sendFile(index);
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .set(headers)
        .type('html')
        .send(
          '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>One-Time Call</title></head><body>' +
            '<main><h1>One-Time Call</h1><p>The tab is not built yet. Run <code>npm run build:tab</code> (or <code>npm start</code>, which builds it).</p></main></body></html>',
        );
    });
  }
  app.use((_req, res) => {
    res.status(404).json(errorBody(new AppError('not-found', 'No such route')));
  });
}
