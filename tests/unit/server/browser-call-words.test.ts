import { asAadObjectId, type CallRecord, type Locale } from '@shared';
import { landingPage, lobbyPage, storeFor } from '../../../bot/src/http/pages/customer-pages';

// With the browser call, the landing page and the lobby say what really happens (open the link,
// type a name, wait, talk in the browser with camera and microphone) and never send the customer
// to get Microsoft Teams. Teams meetings keep the Teams download.

const aCall = (provider: 'browser' | 'teams'): CallRecord => ({
  id: 'c1',
  codeHash: 'h',
  state: 'waiting',
  version: 2,
  title: 'Boiler check',
  startsAt: '2026-11-25T14:30:00.000Z',
  durationMinutes: 30,
  expiresAt: '2026-11-25T16:00:00.000Z',
  customerLocale: 'en',
  timeZone: 'Europe/Berlin',
  agent: { id: asAadObjectId('a'), name: 'Maria Weber' },
  meeting: { provider, meetingId: 'room-1' },
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
});

const ctx = (locale: Locale) => ({ locale, nonce: 'n0nce', path: '/j/code' });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the customer pages of a browser call', () => {
  it.each([
    ['en', ['How the call works', 'Talk right here in your browser', 'camera and microphone']],
    ['de', ['So funktioniert der Anruf', 'direkt hier im Browser', 'Kamera und Mikrofon']],
  ] as const)(
    'the %s landing page explains the steps and never mentions Teams',
    (locale, words) => {
      const html = landingPage(ctx(locale), aCall('browser'), { store: storeFor(undefined) });
      for (const w of words) expect(text(html)).toContain(w);
      expect(html).not.toMatch(/Teams|apps\.apple|play\.google|microsoft\.com/);
      expect(html).toMatch(/<ol><li>/);
    },
  );

  const LOBBY = {
    waitedSeconds: 3,
    leaveHref: '/l',
    stillHereHref: '/s',
    timeoutInSeconds: 600,
    warningSeconds: 120,
    agentTold: false,
  };

  it.each([
    ['en', 'the call starts on this page'],
    ['de', 'beginnt der Anruf auf dieser Seite'],
  ] as const)(
    'the %s lobby says the call starts there and asks for camera and microphone',
    (locale, words) => {
      const html = lobbyPage(ctx(locale), aCall('browser'), LOBBY);
      expect(text(html)).toContain(words);
      expect(html).not.toContain('Teams');
    },
  );

  it('keeps the Teams download for Teams meetings', () => {
    const html = landingPage(ctx('en'), aCall('teams'), { store: storeFor('iPhone') });
    expect(text(html)).toContain('Get Microsoft Teams');
    expect(html).not.toContain('How the call works');
    const lobby = lobbyPage(ctx('en'), aCall('teams'), LOBBY);
    expect(lobby).not.toContain('the call starts on this page');
  });
});
