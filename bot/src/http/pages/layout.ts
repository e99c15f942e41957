/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// One small stylesheet for every customer page: system fonts, big touch targets, dark mode,
// forced-colors (Windows high contrast) friendly, nothing fetched from elsewhere. Text sizes are in
// rem (they follow the reader's text size); spacing is in px, so at 200 % text on a 320 px phone the
// padding does not grow and eat the column.
const CSS = `*{box-sizing:border-box}[hidden]{display:none!important}html{-webkit-text-size-adjust:100%}
body{margin:0;font:1.0625rem/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f5f5f5;color:#1b1b1b}
main{max-width:34rem;margin:0 auto;padding:20px 16px 32px}
.card{background:#fff;border-radius:8px;padding:20px;margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.15);overflow-wrap:anywhere}
@media (max-width:400px){main{padding:12px 8px 24px}.card{padding:14px 12px}}
h1{font-size:1.45em;line-height:1.25;margin:0 0 8px}h2{font-size:1.1em;margin:0 0 6px}p{margin:0 0 12px}
label{display:block;font-weight:600;margin:0 0 4px}.hint{color:#555;font-size:.9em;margin:0 0 8px}
input[type=text]{width:100%;font:inherit;padding:10px 10px;border:2px solid #767676;border-radius:6px;background:#fff;color:#1b1b1b}
input[aria-invalid=true]{border-color:#c4314b}
.btn{display:block;width:100%;min-height:44px;font:inherit;font-weight:600;text-align:center;text-decoration:none;padding:10px 12px;margin:12px 0 0;border-radius:6px;border:2px solid #5b5fc7;cursor:pointer;background:#5b5fc7;color:#fff}
.btn.secondary{background:transparent;color:#4f52b2}
.btn.danger{background:#c4314b;border-color:#c4314b}
:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
.err{color:#a4262c;font-weight:600}.muted{color:#555}.after{margin:12px 0 0}
.status{font-size:1.05em}.timer{font-size:1.6em;font-variant-numeric:tabular-nums;font-weight:600}
.msg{border-left:4px solid #5b5fc7;padding:8px 12px;background:#f0f0fb}
.warn{border:2px solid #8a5a00;border-radius:6px;padding:12px;margin:0 0 12px;background:#fff8e6}
.check-video{display:block;width:100%;max-height:240px;background:#000;border-radius:6px;margin:0 0 8px}.check-meter{display:block;width:100%;height:16px}
.brand{display:flex;align-items:center;gap:8px;margin:0 0 12px;font-weight:600}.logo{max-height:40px;max-width:160px}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;background:#5b5fc7;margin-right:.4em;animation:p 1.6s infinite}
@keyframes p{50%{opacity:.25}}@media (prefers-reduced-motion:reduce){.dot{animation:none}}
footer{text-align:center;font-size:.9em}footer a,.card a:not(.btn){color:#4f52b2}
@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#f0f0f0}.card{background:#2b2b2b;box-shadow:none}
input[type=text]{background:#1f1f1f;color:#f0f0f0;border-color:#adadad}.hint,.muted{color:#c8c8c8}
.btn.secondary,footer a,.card a:not(.btn){color:#b6b8f5}.btn.secondary{border-color:#9799e8}.msg{background:#33344a}.warn{background:#3a3020;border-color:#e0b050}.err{color:#f1707b}:focus-visible{outline-color:#fff}}`;

/** A whole customer page. `nonce` allows the inline style and script under the CSP. */
export function page(options: {
  readonly lang: string;
  readonly title: string;
  readonly body: string;
  readonly nonce: string;
  readonly script?: string | undefined;
  /** A script file of our own origin, loaded with the nonce (the call page's bundle). */
  readonly scriptSrc?: string | undefined;
  /** Extra CSS for this page. */
  readonly style?: string | undefined;
  readonly footer?: string | undefined;
  readonly refreshSeconds?: number | undefined;
}): string {
  return (
    `<!DOCTYPE html><html lang="${options.lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex,nofollow">` +
    `<meta name="referrer" content="no-referrer">` +
    (options.refreshSeconds
      ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
      : '') +
    `<title>${esc(options.title)}</title><style nonce="${options.nonce}">${CSS}${options.style ? `\n${options.style}` : ''}</style></head>` +
    `<body><main>${options.body}${options.footer ? `<footer>${options.footer}</footer>` : ''}</main>` +
    (options.script ? `<script nonce="${options.nonce}">${options.script}</script>` : '') +
    (options.scriptSrc
      ? `<script nonce="${options.nonce}" src="${esc(options.scriptSrc)}"></script>`
      : '') +
    `</body></html>`
  );
}
