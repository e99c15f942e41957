import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** A fresh CSP nonce for one response. */
export const newNonce = (): string => randomBytes(16).toString('base64');

/** Headers of every response. */
export function setBaseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** {@link setBaseHeaders} as Express middleware. */
export const baseHeaders: RequestHandler = (_req, res, next) => {
  setBaseHeaders(res);
  res.removeHeader('X-Powered-By');
  next();
};

/**
 * Customer pages: nothing from elsewhere, never framed, never indexed, no referrer (the link code is
 * in the URL). `'unsafe-inline'` is ignored by browsers that understand nonces and keeps the page
 * working on old ones that only know CSP 1.
 */
export function customerPageHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Security-Policy':
      `default-src 'none'; style-src 'nonce-${nonce}' 'unsafe-inline'; script-src 'nonce-${nonce}' 'unsafe-inline'; ` +
      `connect-src 'self'; img-src 'self' data: blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'Referrer-Policy': 'no-referrer',
    // The call page uses camera and microphone; nothing framed or foreign may.
    'Permissions-Policy': 'camera=(self), microphone=(self)',
    'X-Frame-Options': 'DENY',
    'X-Robots-Tag': 'noindex, nofollow',
    'Cache-Control': 'no-store',
  };
}

/** The Teams hosts that may frame the tab. */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.teams.cloud.microsoft',
  'https://*.skype.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.microsoft365.com',
  'https://*.cloud.microsoft',
];

/** The tab: only Teams (and, in embedded mode, nothing else) may frame it. */
export function tabHeaders(frameAncestors: readonly string[]): Record<string, string> {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  return {
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
      `connect-src 'self'; font-src 'self' data:; media-src 'self' data:; object-src 'none'; base-uri 'self'; ` +
      `form-action 'self'; frame-ancestors 'self' ${ancestors}`,
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}
