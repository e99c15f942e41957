import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeClock, startTestServer, type TestServer } from '../integration/harness';
import { AgentApi, Browser as HttpBrowser } from '../integration/http-client';
import { FAKE_MEDIA_FLAGS, SHOTS, launchChromium } from './support';
import { seriousA11yIssues } from './axe';

// The customer's way in Debian's Chromium: the lobby on a 320 px phone with the text at 200 %, the
// time-out warning and "I'm still here", and axe (WCAG 2.2 A/AA) on every customer page in English
// and German, light, dark and forced colours. No tab build needed: these pages are server-rendered.
jest.setTimeout(240_000);

const AGENT = 'Maria Keller';

let server: TestServer;
let browser: Browser;
let clock: FakeClock;
let api: AgentApi;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
  server = await startTestServer({
    env: {
      LOCAL_AGENT_NAME: AGENT,
      LOBBY_TIMEOUT_SECONDS: '600',
      LOBBY_WARNING_SECONDS: '120',
      SUPPORT_CONTACT: 'help@contoso.com',
      BRAND_NAME: 'Contoso Heating',
    },
    overrides: { clock },
  });
  api = new AgentApi(server.url);
  browser = await launchChromium([
    '--disable-background-networking',
    '--no-first-run',
    // The lobby's camera and microphone check: Chromium's fake devices, allowed without a prompt.
    ...FAKE_MEDIA_FLAGS,
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

type Look = { readonly colorScheme: 'light' | 'dark'; readonly forcedColors: 'active' | 'none' };
const LOOKS: Readonly<Record<string, Look>> = {
  light: { colorScheme: 'light', forcedColors: 'none' },
  dark: { colorScheme: 'dark', forcedColors: 'none' },
  'forced colours': { colorScheme: 'light', forcedColors: 'active' },
};

async function phone(width = 360, look: Look = LOOKS['light']!): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width, height: 700 },
    locale: 'en-US',
    isMobile: true,
    hasTouch: true,
    ...look,
  });
}

async function open(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

/** The customer joins in the browser (form post) and lands in the lobby. */
async function join(page: Page, link: string, name = 'Anna Schmidt'): Promise<void> {
  await page.goto(link);
  await page.getByRole('textbox', { name: /Your name|Ihr Name/ }).fill(name);
  await page.getByRole('button', { name: /Join the call|Anruf beitreten/ }).click();
  await page.waitForURL(/\/lobby$/);
}

describe('the lobby on a small phone', () => {
  it('keeps a usable column at 320 px with the text at 200 %', async () => {
    const { link } = await api.create({ title: 'Boiler check' });
    // bypassCSP only so the test can inject the reader's text size (the pages allow nonced styles).
    const context = await browser.newContext({
      viewport: { width: 320, height: 640 },
      locale: 'en-US',
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    const page = await open(context);
    await join(page, link);
    // The reader's text size at 200 %: the root font doubles (what a browser's text setting does).
    await page.addStyleTag({ content: 'html{font-size:200% !important}' });
    await page.getByRole('heading', { name: 'Please wait' }).waitFor();
    const layout = await page.evaluate<{ root: number; column: number; scroll: number }>(`(() => {
      const card = document.querySelector('.card');
      const style = getComputedStyle(card);
      return {
        root: parseFloat(getComputedStyle(document.body).fontSize),
        column: card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        scroll: document.documentElement.scrollWidth,
      };
    })()`);
    expect(layout.root).toBe(34); // 1.0625rem of a 32 px root
    // Padding stays in px: 320 − 2×8 (page) − 2×12 (card) = 280 px of text column.
    expect(layout.column).toBeGreaterThanOrEqual(270);
    expect(layout.scroll).toBeLessThanOrEqual(320);
    await page.getByText('You are waiting as Anna Schmidt.').waitFor();
    await page.getByText(`Your call with ${AGENT}`).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'lobby-320-text-200.png'), fullPage: true });
    // docs/lobby-320-text-200.png (the README's) is a copy of this one.
    await context.close();
  });
});

describe('the camera and microphone check while waiting', () => {
  it('explains first, shows the self view and a moving level, and stops on Stop', async () => {
    const { link } = await api.create({ title: 'Boiler check' });
    const context = await phone();
    await context.grantPermissions(['camera', 'microphone'], { origin: server.url });
    const page = await open(context);
    await join(page, link);
    const check = page.getByRole('region', { name: 'Check your camera and microphone' });
    await check.getByText('Nothing is recorded.', { exact: false }).waitFor();
    await check.getByRole('button', { name: 'Check camera and microphone' }).click();
    const stop = check.getByRole('button', { name: 'Stop the check' });
    await stop.waitFor();
    await expect(
      check.getByRole('button', { name: 'Check camera and microphone' }).isVisible(),
    ).resolves.toBe(false);
    // Polled from the test (waitForFunction would eval a string, which the page's CSP forbids).
    const live = `document.getElementById('check-video').videoWidth > 0 && document.getElementById('check-meter').value > 0`;
    for (let i = 0; i < 100 && !(await page.evaluate<boolean>(live)); i++) {
      await page.waitForTimeout(100);
    }
    await expect(page.evaluate<boolean>(live)).resolves.toBe(true);
    await shoot(page, 'lobby-media-check');
    expect(await seriousA11yIssues(page, 'lobby media check')).toEqual([]);
    await stop.click();
    await check.getByRole('button', { name: 'Check camera and microphone' }).waitFor();
    await expect(
      page.evaluate<boolean>(`document.getElementById('check-video').srcObject === null`),
    ).resolves.toBe(true);
    await context.close();
  });
});

describe('hold, not silence', () => {
  it('warns before the time-out; "I\'m still here" keeps the customer waiting', async () => {
    const { id, link } = await api.create({ title: 'Boiler check' });
    const context = await phone();
    const page = await open(context);
    await join(page, link);
    await expect(page.locator('#warn').isVisible()).resolves.toBe(false);

    clock.advance(500); // 100 s left of the 600 s wait: inside the 120 s warning.
    await page.reload();
    const warning = page.getByRole('alert');
    await warning.getByRole('heading', { name: 'Are you still there?' }).waitFor();
    await shoot(page, 'lobby-warning');
    expect(await seriousA11yIssues(page, 'lobby warning')).toEqual([]);

    await warning.getByRole('button', { name: "I'm still here" }).click();
    await page.waitForURL(/\/lobby$/);
    await page.getByRole('heading', { name: 'Please wait' }).waitFor();
    await expect(page.locator('#warn').isVisible()).resolves.toBe(false);
    const types = (await server.deps.store.events(id)).map((e) => e.type);
    expect(types).toContain('lobby-extended');
    expect(await api.state(id)).toBe('waiting');
    await context.close();
  });
});

/** A link in each state a customer can meet, and the path (with or without the claim) to show it. */
async function everyCustomerPage(): Promise<
  Array<{ name: string; path: string; claimant?: HttpBrowser }>
> {
  const pages: Array<{ name: string; path: string; claimant?: HttpBrowser }> = [];
  const claimed = async (title: string) => {
    const created = await api.create({ title });
    const customer = new HttpBrowser(server.url);
    await customer.postForm(created.path, { name: 'Anna Schmidt' });
    return { ...created, customer };
  };
  const open = await api.create({ title: 'Open link' });
  pages.push({ name: 'landing', path: open.path });
  const later = await api.create({ title: 'Tomorrow', startsAt: '2026-11-26T09:00:00.000Z' });
  pages.push({ name: 'too early', path: later.path });
  const waiting = await claimed('Waiting');
  // Before the lobby: once the claim cookie is in the context, this browser is the claimant.
  pages.push({ name: 'claimed elsewhere', path: waiting.path });
  pages.push({ name: 'lobby', path: `${waiting.path}/lobby`, claimant: waiting.customer });
  pages.push({ name: 'leave', path: `${waiting.path}/leave`, claimant: waiting.customer });
  const declined = await claimed('Declined');
  await api.call('POST', `/api/calls/${declined.id}/decline`, { reason: 'Back at 3 pm' });
  pages.push({ name: 'declined', path: `${declined.path}/lobby`, claimant: declined.customer });
  const ended = await claimed('Ended');
  await api.call('POST', `/api/calls/${ended.id}/admit`);
  await ended.customer.postForm(`${ended.path}/leave`, {});
  pages.push({ name: 'ended', path: ended.path });
  const revoked = await api.create({ title: 'Revoked' });
  await api.call('POST', `/api/calls/${revoked.id}/revoke`);
  pages.push({ name: 'revoked', path: revoked.path });
  const left = await claimed('Left');
  await left.customer.postForm(`${left.path}/leave`, {});
  pages.push({ name: 'abandoned', path: left.path });
  pages.push({ name: 'not found', path: '/j/AAAAAAAAAAAAAAAAAAAAAA' });
  return pages;
}

describe('axe on every customer page', () => {
  it('finds nothing serious or critical in en and de, light, dark and forced colours', async () => {
    const pages = await everyCustomerPage();
    const problems: string[] = [];
    for (const [lookName, look] of Object.entries(LOOKS)) {
      const context = await phone(360, look);
      for (const { name, path: where, claimant } of pages) {
        if (claimant) {
          const [pair = ''] = claimant.cookieFor(where).split(';');
          const eq = pair.indexOf('=');
          await context.addCookies([
            { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: `${server.url}${where}` },
          ]);
        }
        for (const lang of ['en', 'de'] as const) {
          const page = await open(context);
          await page.goto(`${server.url}${where}?lang=${lang}`);
          await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
          problems.push(...(await seriousA11yIssues(page, `${name} ${lang} ${lookName}`)));
          if (lang === 'de' && lookName === 'dark') await shoot(page, `customer-${name}-de-dark`);
          await page.close();
        }
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('times a wait out in the browser and says so, naming the agent', async () => {
    const { link } = await api.create({ title: 'Timed out' });
    const context = await phone();
    const page = await open(context);
    await join(page, link);
    clock.advance(601);
    await page.reload();
    await page.getByRole('heading', { name: 'Your wait timed out' }).waitFor();
    await page.getByText(`ask ${AGENT} for a new link`).waitFor();
    await page.getByRole('link', { name: 'help@contoso.com' }).waitFor();
    expect(await seriousA11yIssues(page, 'timed out')).toEqual([]);
    await context.close();
  });
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
