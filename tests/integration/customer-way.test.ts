import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallDto } from '@shared';
import { ConfigError, loadConfig } from '../../bot/src/config';
import { buildLobbyCard } from '../../bot/src/teams/cards/lobby-card';
import { FakeClock, startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

// The customer's way at its edges: a wait that runs out (with the warning and "I'm still here"),
// and every dead end naming the agent and, when configured, the support contact.

let server: TestServer;
let clock: FakeClock;
let api: AgentApi;

const AGENT = 'Maria Keller';

async function start(env: Record<string, string> = {}) {
  clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
  server = await startTestServer({
    env: { LOCAL_AGENT_NAME: AGENT, LOBBY_TIMEOUT_SECONDS: '60', ...env },
    overrides: { clock },
  });
  api = new AgentApi(server.url);
}
afterEach(async () => {
  await server.close();
});

const events = async (id: string) => (await server.deps.store.events(id)).map((e) => e.type);
const visible = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
const warningShown = (html: string) => /<div id="warn" class="warn" role="alert">/.test(html);

async function waitingCustomer(body: Record<string, unknown> = {}) {
  const created = await api.create({ title: 'Boiler check', ...body });
  const customer = new Browser(server.url);
  expect((await customer.postForm(created.path, { name: 'Anna' })).status).toBe(303);
  return { ...created, customer };
}

describe('hold, not silence: a lobby wait that runs out', () => {
  beforeEach(() => start({ LOBBY_WARNING_SECONDS: '20' }));

  it('warns the customer, who says "I\'m still here" and keeps waiting', async () => {
    const { id, path, customer } = await waitingCustomer();
    const early = await (await customer.get(`${path}/lobby`)).text();
    expect(warningShown(early)).toBe(false);

    clock.advance(45);
    const warned = await (await customer.get(`${path}/lobby`)).text();
    expect(warningShown(warned)).toBe(true);
    expect(visible(warned)).toContain('Are you still there?');
    const status = await customer.get(`${path}/status`, { accept: 'application/json' });
    expect(await status.json()).toMatchObject({ state: 'waiting', timeoutInSeconds: 15 });

    const still = await customer.postForm(`${path}/still-here`, {});
    expect(still.status).toBe(303);
    expect(still.headers.get('location')).toBe(`${path}/lobby`);
    expect(await events(id)).toEqual(['created', 'claimed', 'lobby-extended']);

    // 90 s after the claim, 45 s after "I'm still here": still waiting, nothing to sweep.
    clock.advance(45);
    expect(await server.sweep()).toMatchObject({ timedOut: 0 });
    const lobby = await customer.get(`${path}/lobby`);
    expect(lobby.status).toBe(200);
    expect(await api.state(id)).toBe('waiting');
  });

  it('ends the call timed_out without an answer, and the page, tab API and card say so', async () => {
    const { id, path, customer } = await waitingCustomer();
    clock.advance(60);
    expect(await server.sweep()).toMatchObject({ timedOut: 1, abandoned: 0 });
    expect(await api.state(id)).toBe('timed_out');
    expect((await events(id)).at(-1)).toBe('timed-out');

    const page = await customer.get(`${path}/lobby`);
    expect(page.status).toBe(410);
    const text = visible(await page.text());
    expect(text).toContain('Your wait timed out');
    expect(text).toContain(`ask ${AGENT} for a new link`);

    const dto = (await api.call('GET', `/api/calls/${id}`)).json['call'] as CallDto;
    expect(dto.state).toBe('timed_out');
    const card = JSON.stringify(buildLobbyCard(dto, clock.now(), 'en', { tabUrl: 'x' }));
    expect(card).toContain('the lobby timed out');
    expect(card).not.toContain('Action.Execute');
    // "I'm still here" after the time-out revives nothing.
    expect((await customer.postForm(`${path}/still-here`, {})).status).toBe(303);
    expect(await api.state(id)).toBe('timed_out');
  });

  it('extends the wait when the agent sends "2 more minutes", and tells the customer', async () => {
    const { id, path, customer } = await waitingCustomer();
    clock.advance(50);
    const note = await api.call('POST', `/api/calls/${id}/message`, {
      text: "I'll be with you in 2 minutes",
    });
    expect(note.status).toBe(200);
    const status = await customer.get(`${path}/status`, { accept: 'application/json' });
    expect(await status.json()).toMatchObject({
      timeoutInSeconds: 60,
      lobbyMessage: { text: "I'll be with you in 2 minutes" },
    });
    const lobby = await (await customer.get(`${path}/lobby`)).text();
    expect(warningShown(lobby)).toBe(false);
    expect(visible(lobby)).toContain("I'll be with you in 2 minutes");
    clock.advance(30);
    expect(await server.sweep()).toMatchObject({ timedOut: 0 });
  });

  it('tells a customer who left apart from one whose wait ran out', async () => {
    const { id, path, customer } = await waitingCustomer();
    expect((await customer.postForm(`${path}/leave`, {})).status).toBe(303);
    expect(await api.state(id)).toBe('abandoned');
    expect(visible(await (await customer.get(`${path}/lobby`)).text())).toContain(
      'You left the waiting room',
    );
  });
});

describe('a reassuring lobby', () => {
  beforeEach(() => start());

  it('shows the title, the agent, "waiting as", and says "letting your agent know" until told', async () => {
    const { path, customer } = await waitingCustomer();
    const text = visible(await (await customer.get(`${path}/lobby`)).text());
    expect(text).toContain('Boiler check');
    expect(text).toContain(`Your call with ${AGENT}`);
    expect(text).toContain('You are waiting as Anna.');
    // No card was delivered and no tab is open for the agent in this test.
    expect(text).toContain('We are letting your agent know you are here.');
    expect(text).not.toContain('Your agent has been told');
  });

  it('says the limit at the name field', async () => {
    const { path } = await api.create();
    const html = await (await new Browser(server.url).get(path)).text();
    expect(html).toContain('maxlength="80"');
    expect(visible(html)).toContain('Up to 80 characters.');
  });
});

type DeadCase = {
  readonly name: string;
  readonly title: { en: string; de: string };
  readonly reach: (locale: 'en' | 'de') => Promise<string>;
};

const DEAD_ENDS: readonly DeadCase[] = [
  {
    name: 'ended',
    title: { en: 'This call has ended', de: 'Dieser Anruf ist beendet' },
    reach: async (locale) => {
      const { id, path, customer } = await waitingCustomer({ customerLocale: locale });
      await api.call('POST', `/api/calls/${id}/admit`);
      await customer.postForm(`${path}/leave`, {});
      return (await customer.get(`${path}/lobby`)).text();
    },
  },
  {
    name: 'declined',
    title: {
      en: 'Your agent cannot take the call now',
      de: 'Ihr Ansprechpartner kann den Anruf gerade nicht annehmen',
    },
    reach: async (locale) => {
      const { id, path, customer } = await waitingCustomer({ customerLocale: locale });
      await api.call('POST', `/api/calls/${id}/decline`, { reason: 'Back at 3 pm today' });
      return (await customer.get(`${path}/lobby`)).text();
    },
  },
  {
    name: 'expired',
    title: { en: 'This link has expired', de: 'Dieser Link ist abgelaufen' },
    reach: async (locale) => {
      const { path } = await api.create({ customerLocale: locale });
      clock.advance(3 * 3600);
      return (await new Browser(server.url).get(path)).text();
    },
  },
  {
    name: 'revoked',
    title: { en: 'This link was cancelled', de: 'Dieser Link wurde storniert' },
    reach: async (locale) => {
      const { id, path } = await api.create({ customerLocale: locale });
      await api.call('POST', `/api/calls/${id}/revoke`);
      return (await new Browser(server.url).get(path)).text();
    },
  },
  {
    name: 'abandoned',
    title: { en: 'You left the waiting room', de: 'Sie haben den Warteraum verlassen' },
    reach: async (locale) => {
      const { path, customer } = await waitingCustomer({ customerLocale: locale });
      await customer.postForm(`${path}/leave`, {});
      return (await customer.get(`${path}/lobby`)).text();
    },
  },
  {
    name: 'timed_out',
    title: { en: 'Your wait timed out', de: 'Ihre Wartezeit ist abgelaufen' },
    reach: async (locale) => {
      const { path, customer } = await waitingCustomer({ customerLocale: locale });
      clock.advance(61);
      return (await customer.get(`${path}/lobby`)).text();
    },
  },
  {
    name: 'claimed-elsewhere',
    title: {
      en: 'This link is open in another window',
      de: 'Dieser Link ist in einem anderen Fenster offen',
    },
    reach: async (locale) => {
      const { path } = await waitingCustomer({ customerLocale: locale });
      return (await new Browser(server.url).get(path)).text();
    },
  },
];

const NAMED = {
  en: `ask ${AGENT} for a new link`,
  de: `fragen Sie ${AGENT} nach einem neuen Link`,
};

describe.each(['en', 'de'] as const)('every dead end, in %s', (locale) => {
  describe('with SUPPORT_CONTACT', () => {
    beforeEach(() => start({ SUPPORT_CONTACT: '+49 30 1234567' }));

    it.each(DEAD_ENDS.map((d) => [d.name, d] as const))(
      'the %s page names the agent and offers the contact',
      async (_name, dead) => {
        const html = await dead.reach(locale);
        const text = visible(html);
        expect(text).toContain(dead.title[locale]);
        expect(text.toLowerCase()).toContain(NAMED[locale].toLowerCase());
        expect(html).toContain('<a href="tel:+49301234567">+49 30 1234567</a>');
      },
    );

    it('puts the agent’s own message first on the declined page', async () => {
      const text = visible(await DEAD_ENDS[1]!.reach(locale));
      const message = text.indexOf('Back at 3 pm today');
      expect(message).toBeGreaterThan(-1);
      expect(message).toBeLessThan(text.toLowerCase().indexOf(NAMED[locale].toLowerCase()));
      expect(text).toContain(
        locale === 'en' ? `Message from ${AGENT}:` : `Nachricht von ${AGENT}:`,
      );
    });

    it('offers the contact on an unknown link too', async () => {
      const html = await (
        await new Browser(server.url).get(`/j/AAAAAAAAAAAAAAAAAAAAAA?lang=${locale}`)
      ).text();
      expect(html).toContain('href="tel:+49301234567"');
    });
  });

  describe('without SUPPORT_CONTACT', () => {
    beforeEach(() => start());

    it.each(DEAD_ENDS.map((d) => [d.name, d] as const))(
      'the %s page names the agent and offers no contact',
      async (_name, dead) => {
        const html = await dead.reach(locale);
        expect(visible(html).toLowerCase()).toContain(NAMED[locale].toLowerCase());
        expect(html).not.toMatch(/href="(tel|mailto):/);
      },
    );
  });
});

describe('the other-device page', () => {
  beforeEach(() => start());

  it('is kind to a customer who only switched browsers', async () => {
    const text = visible(await DEAD_ENDS[6]!.reach('en'));
    expect(text).toContain('If this was you, go back to the window where you joined.');
  });
});

describe('SUPPORT_CONTACT at config load', () => {
  it.each([
    ['+49 30 1234567', 'tel:+49301234567'],
    ['help@contoso.com', 'mailto:help@contoso.com'],
    ['https://contoso.com/help', 'https://contoso.com/help'],
  ])('accepts %s as %s', (value, href) => {
    const config = loadConfig({ NODE_ENV: 'test', SUPPORT_CONTACT: value });
    expect(config.customerPages.supportContact?.href).toBe(href);
  });

  it.each(['call us', 'http://contoso.com', 'javascript:alert(1)', '12'])(
    'refuses %s with a clear error',
    (value) => {
      expect(() => loadConfig({ NODE_ENV: 'test', SUPPORT_CONTACT: value })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', SUPPORT_CONTACT: value })).toThrow(
        /SUPPORT_CONTACT/,
      );
    },
  );
});

describe('the brand', () => {
  let logoDir: string;
  beforeEach(async () => {
    logoDir = mkdtempSync(path.join(tmpdir(), 'otc-brand-'));
    // The smallest valid PNG (1×1, transparent).
    writeFileSync(
      path.join(logoDir, 'logo.png'),
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      ),
    );
    await start({ BRAND_NAME: 'Contoso Heating', BRAND_LOGO_FILE: path.join(logoDir, 'logo.png') });
  });
  afterEach(() => rmSync(logoDir, { recursive: true, force: true }));

  it('shows the company name and a logo served from our own origin', async () => {
    const { path: link, customer } = await waitingCustomer();
    const html = await (await customer.get(`${link}/lobby`)).text();
    expect(html).toContain('<img src="/brand/logo" alt="" class="logo">');
    expect(visible(html)).toContain('Contoso Heating');
    const logo = await fetch(`${server.url}/brand/logo`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
  });

  it('refuses a logo that is not an image file, naming the key', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'test', BRAND_LOGO_FILE: path.join(logoDir, 'logo.gif') }),
    ).toThrow(/BRAND_LOGO_FILE/);
    expect(() =>
      loadConfig({ NODE_ENV: 'test', BRAND_LOGO_FILE: path.join(logoDir, 'missing.png') }),
    ).toThrow(/BRAND_LOGO_FILE: cannot read/);
  });
});
