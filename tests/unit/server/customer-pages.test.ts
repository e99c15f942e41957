import { parse } from 'acorn';
import { asAadObjectId, type CallRecord } from '@shared';
import {
  callPage,
  deadPage,
  landingPage,
  leavePage,
  lobbyPage,
  storeFor,
  tooEarlyPage,
  type PageContext,
} from '../../../bot/src/http/pages/customer-pages';
import { lobbyScript, reloadAtScript } from '../../../bot/src/http/pages/scripts';
import { localeFromAcceptLanguage } from '../../../bot/src/http/pages/strings';

const call: CallRecord = {
  id: 'c1',
  codeHash: 'h',
  state: 'waiting',
  version: 2,
  title: 'Boiler <check> & "repair"',
  startsAt: '2026-11-25T14:30:00.000Z',
  durationMinutes: 30,
  expiresAt: '2026-11-25T16:00:00.000Z',
  customerLocale: 'en',
  timeZone: 'Europe/Berlin',
  agent: { id: asAadObjectId('a'), name: 'Maria <b>Weber</b>' },
  meeting: { provider: 'browser', meetingId: 'room-1' },
  lobbyMessage: { text: '<img src=x onerror=alert(1)>', at: '2026-11-25T14:31:00.000Z' },
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
};
const ctx: PageContext = { locale: 'en', nonce: 'n0nce', path: '/j/code' };

const scriptsOf = (html: string): string[] =>
  [...html.matchAll(/<script nonce="n0nce">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);

const pages: Array<[string, string]> = [
  ['landing', landingPage(ctx, call, { store: storeFor(undefined) })],
  [
    'too early',
    tooEarlyPage(ctx, call, '2026-11-25T14:00:00.000Z', Date.parse('2026-11-25T09:00:00.000Z')),
  ],
  [
    'lobby',
    lobbyPage(ctx, call, {
      waitedSeconds: 12,
      leaveHref: '/j/code/leave',
      stillHereHref: '/j/code/still-here',
      timeoutInSeconds: 600,
      warningSeconds: 120,
      agentTold: true,
    }),
  ],
  [
    'call',
    callPage(ctx, call, {
      leaveHref: '/j/code/leave',
      base: '/j/code/call',
      scriptSrc: '/assets/customer-call-x.js',
    }),
  ],
  ['leave', leavePage(ctx, { action: '/j/code/leave', back: '/j/code/lobby' })],
  ['declined', deadPage(ctx, 'declined', { declineReason: '<script>x</script>' })],
];

describe('customer pages', () => {
  it.each(pages)('the %s page runs on ES5 browsers (old phones)', (_name, html) => {
    for (const script of scriptsOf(html)) {
      expect(() => parse(script, { ecmaVersion: 5 })).not.toThrow();
    }
  });

  it('keeps the scripts themselves ES5', () => {
    for (const script of [
      lobbyScript(
        3,
        { reconnecting: 'x' },
        { timeoutInSeconds: 60, warningSeconds: 30, warnTexts: ['a', 'b'], told: 't' },
      ),
      reloadAtScript(5000),
    ]) {
      expect(() => parse(script, { ecmaVersion: 5 })).not.toThrow();
    }
  });

  it.each(pages)('the %s page escapes every text that came from people', (_name, html) => {
    expect(html).not.toMatch(/<b>Weber|<check>|<img src=x|<script>x/);
  });

  it.each(pages)(
    'the %s page loads nothing from elsewhere and carries the nonce',
    (_name, html) => {
      expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)="https?:/);
      expect(html).toContain('<style nonce="n0nce">');
      expect(html).not.toMatch(/ style="/);
    },
  );

  it('labels the name field and ties the error to it', () => {
    const html = landingPage(ctx, call, { store: storeFor(undefined), error: 'empty' });
    expect(html).toContain('<label for="name">');
    expect(html).toMatch(/aria-describedby="name-hint name-error"/);
    expect(html).toMatch(/role="alert"/);
  });

  it('announces lobby changes politely and keeps the ticking timer out of the live region', () => {
    const html = lobbyPage(ctx, call, {
      waitedSeconds: 12,
      leaveHref: '/j/code/leave',
      stillHereHref: '/j/code/still-here',
      timeoutInSeconds: 600,
      warningSeconds: 120,
      agentTold: true,
    });
    const live =
      /<div role="status" aria-live="polite"[\s\S]*?<\/div><p class="muted">/.exec(html)?.[0] ?? '';
    expect(live).toContain('Your agent has been told you are here');
    expect(live).not.toContain('id="timer"');
  });

  it.each([
    ['en', 'Your wait ends in about a minute', 'Your wait ends in about 3 minutes'],
    ['de', 'Ihre Wartezeit endet in etwa einer Minute', 'Ihre Wartezeit endet in etwa 3 Minuten'],
  ] as const)(
    'hands the lobby script a %s warning for every minute it can show',
    (l, one, three) => {
      const html = lobbyPage({ ...ctx, locale: l }, call, {
        waitedSeconds: 12,
        leaveHref: '/j/code/leave',
        stillHereHref: '/j/code/still-here',
        timeoutInSeconds: 600,
        warningSeconds: 150,
        agentTold: true,
      });
      const texts = JSON.parse(/var WARN=(\[.*?\]),TOLD=/.exec(html)?.[1] ?? '[]') as string[];
      expect(texts).toHaveLength(3);
      expect(texts[0]).toContain(one);
      expect(texts[2]).toContain(three);
      expect(texts.join()).not.toMatch(/[{}#]/);
    },
  );

  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 12_5 like Mac OS X)', 'apps.apple.com'],
    ['Mozilla/5.0 (Linux; Android 7.0; SM-G930F)', 'play.google.com'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'microsoft.com/microsoft-teams'],
  ])('sends %s to the right store', (ua, store) => {
    expect(storeFor(ua)).toContain(store);
  });

  it.each([
    [undefined, 'en'],
    ['de-DE,de;q=0.9', 'de'],
    ['fr-FR,fr;q=0.9,de;q=0.8,en;q=0.7', 'de'],
    ['en;q=0.2,de;q=0.9', 'de'],
    ['de;q=0', 'en'],
    ['*', 'en'],
  ])('picks the page language from Accept-Language %j', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});
