import type { Locale } from '@shared';
import { CALL_PAGE_STRINGS } from './call-page-strings';
import { esc, page } from './layout';

/** The call page's own styles, on top of the layout's: video stage, controls, chat, drawing. */
export const CALL_CSS = `main{max-width:42em}
.stage{position:relative;background:#000;border-radius:8px;overflow:hidden;aspect-ratio:4/3;margin:0 0 .75em}
.stage video{display:block;width:100%;height:100%;object-fit:contain;background:#000}
#self{position:absolute;right:.5em;bottom:.5em;width:28%;height:auto;aspect-ratio:auto;border:2px solid #fff;border-radius:6px;object-fit:cover}
.badge{position:absolute;left:.5em;top:.5em;margin:0;background:rgba(0,0,0,.75);color:#fff;padding:.2em .6em;border-radius:4px}
#remote-muted{top:2.4em}
#drawing{position:absolute;inset:0;background:#000;display:flex;flex-direction:column}
#drawing[hidden],[hidden]{display:none!important}
#drawing img{flex:1;min-height:0;width:100%;object-fit:contain}
#drawing .btn{margin:0;border-radius:0}
.controls{display:grid;grid-template-columns:1fr 1fr;gap:.5em}.controls .btn{margin:0;min-height:3em}
.btn[aria-pressed=true]{background:#fff;color:#a4262c;border-color:#a4262c}
.btn:disabled{opacity:.5;cursor:default}
.quality{font-size:.9em;margin:.25em 0 .75em}.q-good:before,.q-fair:before,.q-poor:before{content:"";display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em;background:#107c10}
.q-fair:before{background:#c19c00}.q-poor:before{background:#c4314b}
#chat-log{list-style:none;padding:0;margin:0 0 .5em;max-height:12em;overflow-y:auto}#chat-log li{padding:.3em 0;border-bottom:1px solid #ddd;overflow-wrap:anywhere}
.row{display:flex;gap:.5em;align-items:flex-end}.grow{flex:1}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}.row .btn{width:auto;margin:0}
ol.steps{padding-left:1.4em}
@media (prefers-color-scheme:dark){#chat-log li{border-color:#444}.btn[aria-pressed=true]{background:#1f1f1f;color:#f1707b;border-color:#f1707b}}
@media (forced-colors:active){.btn[aria-pressed=true]{border-style:dashed}}`;

/** What the call page needs beyond the page context. */
export type CallPageOptions = {
  readonly locale: Locale;
  readonly nonce: string;
  readonly agentName: string;
  readonly title: string;
  /** `/j/<code>/call`: the signalling prefix. */
  readonly base: string;
  readonly leaveHref: string;
  /** The bundled call script (`/assets/customer-call-<hash>.js`); `undefined` when not built. */
  readonly scriptSrc: string | undefined;
  /** The deployment's fallback for browsers without WebRTC (the Teams join link), if any. */
  readonly fallbackUrl?: string | undefined;
};

/** JSON inside `<script type="application/json">`: `<` escaped so no `</script>` can end it. */
const jsonInHtml = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The customer's call page: explains why before the browser asks for camera and microphone, then
 * the call (video, controls, drawing, chat). The script (`tab/src/call/customer`) does the rest.
 */
export function callPage(options: CallPageOptions): string {
  const s = CALL_PAGE_STRINGS[options.locale];
  const agent = options.agentName;
  const live = s.live(agent);
  const list = (items: readonly string[]) =>
    `<ol class="steps">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ol>`;
  const body =
    `<div id="intro"><div class="card"><h1>${esc(s.title)}</h1>` +
    `<p>${esc(s.intro(agent))}</p><p><strong>${esc(options.title)}</strong></p>` +
    `<p id="inapp" class="msg" hidden>${esc(s.inApp)}</p>` +
    `<div id="start-box"><p>${esc(s.why)}</p>` +
    `<div id="denied" tabindex="-1" role="alert" hidden><h2>${esc(s.deniedTitle)}</h2><p>${esc(s.deniedText)}</p>` +
    `<div id="help-android" hidden>${list(s.helpAndroid)}</div><div id="help-ios" hidden>${list(s.helpIos)}</div>` +
    `<button class="btn" type="button" id="retry">${esc(s.retry)}</button></div>` +
    `<p id="media-error" class="err" role="alert" hidden></p>` +
    `<button class="btn" type="button" id="start">${esc(s.start)}</button>` +
    `<button class="btn secondary" type="button" id="no-media" hidden>${esc(s.noMedia)}</button></div>` +
    `<div id="unsupported" hidden><h2>${esc(s.unsupportedTitle)}</h2><p>${esc(s.unsupportedText)}</p>` +
    (options.fallbackUrl
      ? `<a class="btn" href="${esc(options.fallbackUrl)}" rel="noreferrer">${esc(s.fallbackLink)}</a>`
      : `<p>${esc(s.noFallback)}</p>`) +
    `</div><noscript><p class="err">${esc(s.unsupportedText)}</p></noscript>` +
    `<a class="btn secondary" href="${esc(options.leaveHref)}">${esc(s.leave)}</a></div></div>` +
    `<div id="call" hidden><h1 class="sr">${esc(s.title)}</h1>` +
    `<div class="stage"><video id="remote" playsinline autoplay aria-label="${esc(s.remoteLabel(agent))}"></video>` +
    `<p id="remote-off" class="badge" hidden>${esc(s.remoteOff)}</p><p id="remote-muted" class="badge" hidden>${esc(s.remoteMuted)}</p>` +
    `<video id="self" playsinline autoplay muted aria-label="${esc(s.selfLabel)}"></video>` +
    `<div id="drawing" hidden><img id="drawing-img" alt="${esc(s.drawingAlt(agent))}">` +
    `<button class="btn" type="button" id="drawing-close">${esc(s.closeDrawing)}</button></div></div>` +
    `<p id="status" role="status" aria-live="polite"></p><p id="quality" class="quality"></p>` +
    `<button class="btn" type="button" id="sound" hidden>${esc(s.sound)}</button>` +
    `<div class="controls" role="group" aria-label="${esc(s.controls)}">` +
    `<button class="btn" type="button" id="mic" aria-pressed="false">${esc(live['mute'] ?? '')}</button>` +
    `<button class="btn" type="button" id="cam" aria-pressed="false">${esc(live['camOff'] ?? '')}</button>` +
    `<button class="btn secondary" type="button" id="switch" hidden>${esc(s.switchCamera)}</button>` +
    `<button class="btn secondary" type="button" id="photo">${esc(s.sendPhoto)}</button>` +
    `<button class="btn secondary" type="button" id="show-drawing" hidden>${esc(s.showDrawing)}</button></div>` +
    `<div class="card after"><h2>${esc(s.chatTitle)}</h2><p id="chat-empty" class="muted">${esc(s.chatEmpty)}</p>` +
    `<ul id="chat-log" aria-live="polite"></ul><form id="chat-form" class="row">` +
    `<div class="grow"><label for="chat-text">${esc(s.chatLabel)}</label>` +
    `<input type="text" id="chat-text" maxlength="1000" autocomplete="off"></div>` +
    `<button class="btn" type="submit">${esc(s.send)}</button></form></div>` +
    `<a class="btn danger" href="${esc(options.leaveHref)}">${esc(s.leave)}</a></div>` +
    `<div id="over" class="card" hidden><h1 id="over-title" tabindex="-1"></h1><p>${esc(s.overText)}</p></div>` +
    `<script type="application/json" id="otc-config">${jsonInHtml({
      base: options.base,
      agentName: agent,
      texts: live,
    })}</script>`;
  return page({
    lang: options.locale,
    title: s.title,
    body,
    nonce: options.nonce,
    style: CALL_CSS,
    scriptSrc: options.scriptSrc,
  });
}
