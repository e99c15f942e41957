import {
  TEAMS_STORE_LINKS,
  formatWhen,
  type CallRecord,
  type Locale,
  type SupportContact,
} from '@shared';
import { callPage as renderCallPage } from './call-page';
import { esc, page } from './layout';
import { lobbyScript, mediaCheckScript, reloadAtScript } from './scripts';
import { CALL_PAGE_STRINGS } from './call-page-strings';
import { PAGE_STRINGS, type DeadReason, type PageStrings } from './strings';

/** What every customer page needs. */
export type PageContext = {
  readonly locale: Locale;
  readonly nonce: string;
  /** The path of the page itself, for the language switch (`?lang=`). */
  readonly path: string;
  /** The deployment's extras: the way back from dead ends, the company. @default none */
  readonly site?: CustomerSite | undefined;
};

/** What every customer page may add besides the call (`SUPPORT_CONTACT`, `BRAND_*`). */
export type CustomerSite = {
  readonly supportContact: SupportContact | undefined;
  readonly brandName: string | undefined;
  /** Where our own origin serves the brand logo; `undefined`: none configured. */
  readonly brandLogoSrc: string | undefined;
};

/** The longest name a customer may type (the server's limit too). */
export const CUSTOMER_NAME_MAX = 80;

/** The company's name and logo above the page, when configured; the logo is decorative. */
function brandHeader(ctx: PageContext): string {
  const site = ctx.site;
  if (!site?.brandName && !site?.brandLogoSrc) return '';
  return (
    `<header class="brand">` +
    (site.brandLogoSrc ? `<img src="${esc(site.brandLogoSrc)}" alt="" class="logo">` : '') +
    (site.brandName ? `<span>${esc(site.brandName)}</span>` : '') +
    `</header>`
  );
}

/** Which store the "Get Microsoft Teams" button opens, from the User-Agent. */
export function storeFor(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  if (/iPhone|iPad|iPod/i.test(ua)) return TEAMS_STORE_LINKS.ios;
  if (/Android/i.test(ua)) return TEAMS_STORE_LINKS.android;
  return TEAMS_STORE_LINKS.desktop;
}

const strings = (ctx: PageContext): PageStrings => PAGE_STRINGS[ctx.locale];

function languageSwitch(ctx: PageContext): string {
  const other: Locale = ctx.locale === 'de' ? 'en' : 'de';
  // `switchTo` of the current language names the other one ("Deutsch" on an English page).
  return `<a href="${esc(ctx.path)}?lang=${other}" lang="${other}" hreflang="${other}">${esc(strings(ctx).switchTo)}</a>`;
}

/** Name validation failure shown on the landing page. */
export type NameError = 'empty' | 'long' | 'invalid';

/**
 * The landing page: who invited, when, the name form, and what happens next: with the browser call,
 * the steps in the browser (camera and microphone); with Teams meetings, the Teams download.
 * Changes nothing.
 */
export function landingPage(
  ctx: PageContext,
  call: CallRecord,
  options: {
    readonly store: string;
    readonly name?: string;
    readonly error?: NameError | undefined;
  },
): string {
  const s = strings(ctx);
  const when = formatWhen(call.startsAt, ctx.locale, call.timeZone);
  const error = options.error ? s.nameErrors[options.error] : undefined;
  const body =
    brandHeader(ctx) +
    `<div class="card"><h1>${esc(s.landingTitle)}</h1>` +
    `<p>${esc(s.invitedBy(call.agent.name))}</p><p><strong>${esc(call.title)}</strong><br>${esc(s.when(when))}</p>` +
    `<form method="post" action="${esc(ctx.path)}" novalidate>` +
    `<label for="name">${esc(s.nameLabel)}</label><p class="hint" id="name-hint">${esc(s.nameHint)} ${esc(s.nameLimit(CUSTOMER_NAME_MAX))}</p>` +
    (error
      ? `<p class="err" id="name-error" role="alert">${esc(s.errorPrefix)} ${esc(error)}</p>`
      : '') +
    `<input type="text" id="name" name="name" autocomplete="name" maxlength="${CUSTOMER_NAME_MAX}" required` +
    ` aria-describedby="name-hint${error ? ' name-error' : ''}"${error ? ' aria-invalid="true" autofocus' : ''}` +
    ` value="${esc(options.name ?? '')}">` +
    `<button class="btn" type="submit">${esc(s.join)}</button></form>` +
    // Teams: a Virtual Appointments link joins in the phone's browser; a plain join link does not.
    (call.meeting.provider === 'teams'
      ? `<p class="muted after">${esc(call.meeting.customerJoinUrl ? s.teamsBrowserNote : s.teamsAppNeeded)}</p>`
      : '') +
    `</div>` +
    (call.meeting.provider === 'browser'
      ? `<div class="card"><h2>${esc(s.howTitle)}</h2><ol>` +
        s
          .howSteps(call.agent.name)
          .map((step) => `<li>${esc(step)}</li>`)
          .join('') +
        `</ol></div>`
      : `<div class="card"><h2>${esc(s.getTeamsTitle)}</h2><p>${esc(s.getTeamsText)}</p>` +
        `<a class="btn secondary" href="${esc(options.store)}" rel="noreferrer">${esc(s.getTeamsLink)}</a></div>`);
  return page({
    lang: s.lang,
    title: s.landingTitle,
    body,
    nonce: ctx.nonce,
    footer: languageSwitch(ctx),
  });
}

/** The customer came long before the call: when it is, and when the link opens. */
export function tooEarlyPage(
  ctx: PageContext,
  call: CallRecord,
  opensAt: string,
  nowMs: number,
): string {
  const s = strings(ctx);
  const when = formatWhen(call.startsAt, ctx.locale, call.timeZone);
  const opens = formatWhen(opensAt, ctx.locale, call.timeZone);
  const body =
    `<div class="card"><h1>${esc(s.tooEarlyTitle)}</h1><p>${esc(s.tooEarlyText(when, opens))}</p>` +
    `<p><strong>${esc(call.title)}</strong></p></div>`;
  return page({
    lang: s.lang,
    title: s.tooEarlyTitle,
    body,
    nonce: ctx.nonce,
    footer: languageSwitch(ctx),
    script: reloadAtScript(Date.parse(opensAt) - nowMs + 1000),
  });
}

/** What the lobby page shows besides the call. */
export type LobbyOptions = {
  readonly waitedSeconds: number;
  readonly leaveHref: string;
  /** The "I'm still here" form's target. */
  readonly stillHereHref: string;
  /** Seconds until the wait times out unless extended. */
  readonly timeoutInSeconds: number;
  /** How long before the time-out the warning shows. */
  readonly warningSeconds: number;
  /** The agent is known to have heard of the customer (card delivered, or the tab open). */
  readonly agentTold: boolean;
};

/**
 * The lobby: who the customer waits for and as whom, live status, elapsed time, the agent's
 * messages, the time-out warning with "I'm still here", Leave.
 */
export function lobbyPage(ctx: PageContext, call: CallRecord, options: LobbyOptions): string {
  const s = strings(ctx);
  const message = call.lobbyMessage;
  const warn = options.timeoutInSeconds <= options.warningSeconds;
  const browserCall = call.meeting.provider === 'browser';
  const minutes = Math.max(1, Math.ceil(options.timeoutInSeconds / 60));
  const body =
    brandHeader(ctx) +
    `<div class="card"><h1><span class="dot" aria-hidden="true"></span>${esc(s.lobbyTitle)}</h1>` +
    `<p class="call-title"><strong>${esc(call.title)}</strong><br>${esc(s.callWith(call.agent.name))}</p>` +
    (call.customerName ? `<p>${esc(s.waitingAs(call.customerName))}</p>` : '') +
    `<div role="status" aria-live="polite" class="status"><p>${esc(s.lobbyText(call.agent.name))}</p>` +
    `<p id="told">${esc(options.agentTold ? s.lobbyTold : s.lobbyTelling)}</p>` +
    (call.meeting.provider === 'browser'
      ? `<p>${esc(s.lobbyBrowserNote(call.agent.name))}</p>`
      : '') +
    `<div id="msg" class="msg"${message ? '' : ' hidden'}><p><strong>${esc(s.messageFrom(call.agent.name))}</strong></p>` +
    `<p id="msg-text">${message ? esc(message.text) : ''}</p></div>` +
    `<p id="net" class="err" hidden></p></div>` +
    `<div id="warn" class="warn" role="alert"${warn ? '' : ' hidden'}><h2>${esc(s.warnTitle)}</h2>` +
    `<p id="warn-text">${esc(s.warnText(minutes))}</p>` +
    `<form method="post" action="${esc(options.stillHereHref)}"><button class="btn" type="submit" id="still-here">${esc(s.stillHere)}</button></form></div>` +
    `<p class="muted">${esc(s.waitingFor)} <span id="timer" class="timer">0:00</span></p>` +
    `<p class="muted">${esc(s.keepOpen)}</p>` +
    `<noscript><meta http-equiv="refresh" content="10"></noscript>` +
    `<a class="btn secondary" href="${esc(options.leaveHref)}">${esc(s.leave)}</a></div>` +
    (browserCall ? mediaCheck(ctx) : '');
  return page({
    lang: s.lang,
    title: s.lobbyTitle,
    body,
    nonce: ctx.nonce,
    script:
      (browserCall ? mediaCheckScript(s.check) + '\n' : '') +
      lobbyScript(options.waitedSeconds, s, {
        timeoutInSeconds: options.timeoutInSeconds,
        warningSeconds: options.warningSeconds,
        warnTexts: Array.from(
          { length: Math.max(1, Math.ceil(options.warningSeconds / 60)) },
          (_, i) => s.warnText(i + 1),
        ),
        told: s.lobbyTold,
      }),
  });
}

/**
 * The browser call's camera and microphone check while waiting (as Daily Prebuilt offers): the
 * call page's own explanation first, then the browser's question only when the customer asks.
 * The button appears with script only; the check stops when the page goes.
 */
function mediaCheck(ctx: PageContext): string {
  const c = strings(ctx).check;
  return (
    `<section class="card" aria-labelledby="check-title"><h2 id="check-title">${esc(c.title)}</h2>` +
    `<p>${esc(CALL_PAGE_STRINGS[ctx.locale].why)}</p>` +
    `<button class="btn secondary" type="button" id="check-start" hidden>${esc(c.start)}</button>` +
    `<div id="check-live" hidden><video id="check-video" class="check-video" autoplay muted playsinline aria-label="${esc(c.self)}"></video>` +
    `<label for="check-meter">${esc(c.level)}</label><meter id="check-meter" class="check-meter" min="0" max="1" value="0"></meter>` +
    `<button class="btn secondary" type="button" id="check-stop">${esc(c.stop)}</button></div>` +
    `<p id="check-err" class="err" role="alert" hidden></p></section>`
  );
}

/** The call page of the `browser` provider: the customer's side of the WebRTC call. */
export function callPage(
  ctx: PageContext,
  call: CallRecord,
  options: {
    readonly leaveHref: string;
    readonly base: string;
    readonly scriptSrc: string | undefined;
    readonly fallbackUrl?: string | undefined;
  },
): string {
  return renderCallPage({
    locale: ctx.locale,
    nonce: ctx.nonce,
    agentName: call.agent.name,
    title: call.title,
    ...options,
  });
}

/** Admitted in Teams mode without script: a button to the meeting (only this browser sees it). */
export function teamsHandoffPage(ctx: PageContext, joinUrl: string): string {
  const s = strings(ctx);
  const body =
    `<div class="card"><h1>${esc(s.callTitle)}</h1><p>${esc(s.callAdmittedTeams)}</p>` +
    `<a class="btn" href="${esc(joinUrl)}" rel="noreferrer">${esc(s.openTeams)}</a></div>`;
  return page({ lang: s.lang, title: s.callTitle, body, nonce: ctx.nonce });
}

/** Leave, with a confirm step: the form posts; Stay goes back. */
export function leavePage(
  ctx: PageContext,
  options: { readonly action: string; readonly back: string },
): string {
  const s = strings(ctx);
  const body =
    `<div class="card"><h1>${esc(s.leaveTitle)}</h1><p>${esc(s.leaveText)}</p>` +
    `<form method="post" action="${esc(options.action)}"><button class="btn danger" type="submit">${esc(s.leaveConfirm)}</button></form>` +
    `<a class="btn secondary" href="${esc(options.back)}">${esc(s.stay)}</a></div>`;
  return page({ lang: s.lang, title: s.leaveTitle, body, nonce: ctx.nonce });
}

/** The support contact line of dead-end pages, when the deployment configured one. */
function contactLine(ctx: PageContext): string {
  const contact = ctx.site?.supportContact;
  if (!contact) return '';
  return `<p>${esc(strings(ctx).contactUs)} <a href="${esc(contact.href)}">${esc(contact.label)}</a></p>`;
}

/**
 * Every page that says the link cannot be used, and why, with the way back: the agent to ask for a
 * new link (when the link is known) and the support contact (when configured). On the declined
 * page the agent's own message comes first.
 */
export function deadPage(
  ctx: PageContext,
  reason: DeadReason,
  extra?: {
    readonly declineReason?: string | undefined;
    /** The agent who made the link; `undefined` when the link is unknown. */
    readonly agentName?: string | undefined;
    /** `rate-limited`: the real wait, shown instead of a vague "a minute". */
    readonly retryAfterSeconds?: number | undefined;
  },
): string {
  const s = strings(ctx);
  const dead = s.dead[reason];
  const text =
    reason === 'rate-limited' && extra?.retryAfterSeconds
      ? s.retryIn(Math.ceil(extra.retryAfterSeconds / 60))
      : dead.text(extra?.agentName);
  const body =
    brandHeader(ctx) +
    `<div class="card"><h1>${esc(dead.title)}</h1>` +
    (extra?.declineReason
      ? `<p><strong>${esc(extra.agentName ? s.messageFrom(extra.agentName) : s.declineReason)}</strong></p><p class="msg">${esc(extra.declineReason)}</p>`
      : '') +
    `<p>${esc(text)}</p>` +
    (reason === 'rate-limited' || reason === 'error' ? '' : contactLine(ctx)) +
    `</div>`;
  return page({
    lang: s.lang,
    title: dead.title,
    body,
    nonce: ctx.nonce,
    footer: languageSwitch(ctx),
  });
}
