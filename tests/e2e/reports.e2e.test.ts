import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Actor, CallEventType, CallState, CallStore } from '@shared';
import { aCall } from '../fixtures/calls';
import { startTestServer, type TestServer } from '../integration/harness';
import { SHOTS, launchChromium, tabUnderTest, type TabUnderTest } from './support';
import { expectNoSeriousA11yIssues } from './axe';

// The Reports view against a real server with a seeded week of calls, in Debian's Chromium.
jest.setTimeout(240_000);

const LOCAL_AGENT = { id: 'local-agent', name: 'Local agent' };

let server: TestServer;
let browser: Browser;
let tab: TabUnderTest | undefined;
const pageErrors: string[] = [];

const customer: Actor = { kind: 'customer' };
const agent: Actor = { kind: 'agent', id: LOCAL_AGENT.id, name: LOCAL_AGENT.name } as Actor;
const system: Actor = { kind: 'system' };
const iso = (ms: number) => new Date(ms).toISOString();

/** One call: created at `t0`, then the given moves (seconds after `t0`). */
async function play(
  store: CallStore,
  t0: number,
  moves: [number, CallEventType, CallState, Actor][],
): Promise<string> {
  const id = randomUUID();
  await store.insert(
    aCall({
      id,
      agent: LOCAL_AGENT as never,
      title: 'Heizungswartung',
      createdAt: iso(t0),
      updatedAt: iso(t0),
      expiresAt: iso(t0 + 3 * 3_600_000),
    }),
    { type: 'created', at: iso(t0), actor: agent, toState: 'scheduled' },
  );
  let state: CallState = 'scheduled';
  for (const [after, type, to, actor] of moves) {
    const at = iso(t0 + after * 1000);
    const patch =
      type === 'claimed'
        ? { claimedAt: at, customerName: 'Jürgen Öztürk' }
        : type === 'admitted'
          ? { admittedAt: at, admittedBy: LOCAL_AGENT as never }
          : type === 'ended'
            ? { endedAt: at }
            : {};
    const r = await store.transition({
      id,
      expected: [state],
      to,
      patch,
      event: { type, at, actor, fromState: state, toState: to },
      at,
    });
    if (!r.ok) throw new Error(`seed ${type} failed`);
    state = to;
  }
  return id;
}

/** A week of calls ending yesterday: every outcome, waits from 8 s to 4 min, busy mornings. */
async function seedWeek(store: CallStore): Promise<string> {
  const today = new Date();
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  let last = '';
  for (let day = 7; day >= 1; day -= 1) {
    for (let k = 0; k < 6; k += 1) {
      const t0 = midnight - day * 86_400_000 + (7 + k * 2) * 3_600_000;
      const wait = [8, 25, 45, 70, 150, 240][k]!;
      const outcome = (day + k) % 5;
      const claim: [number, CallEventType, CallState, Actor] = [
        600,
        'claimed',
        'waiting',
        customer,
      ];
      last = await play(
        store,
        t0,
        outcome === 0
          ? [[3 * 3600, 'expired', 'expired', system]]
          : outcome === 1
            ? [claim, [600 + wait, 'declined', 'declined', agent]]
            : outcome === 2
              ? [claim, [600 + 900, 'abandoned', 'abandoned', system]]
              : [
                  claim,
                  [600 + wait, 'admitted', 'admitted', agent],
                  [600 + wait + 300 + k * 120, 'ended', 'ended', customer],
                ],
      );
    }
  }
  return last;
}

beforeAll(async () => {
  tab = tabUnderTest();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ overrides: { tabDir: tab.dir } });
  await seedWeek(server.deps.store);
  await server.rollUpReports();
  browser = await launchChromium(['--disable-background-networking', '--no-first-run']);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  tab?.remove();
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

async function openReports(theme: string, lang: 'en' | 'de'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1900 },
    locale: lang === 'de' ? 'de-DE' : 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/?theme=${theme}&lang=${lang}`);
  await page.getByRole('tab', { name: lang === 'de' ? 'Berichte' : 'Reports' }).click();
  await page
    .getByRole('heading', { name: lang === 'de' ? 'Kennzahlen' : 'Figures', exact: true })
    .waitFor();
  // Each chart draws an SVG once Fluent's charts have measured their container.
  await page.locator('section svg').nth(2).waitFor({ timeout: 20_000 });
  return page;
}

describe('the Reports view', () => {
  it('renders the figures, the charts and their table views for a seeded week', async () => {
    const page = await openReports('light', 'en');
    const figures = page.getByRole('table', { name: 'Figures' });
    await expect(figures.getByRole('row', { name: /Links created 42/ }).count()).resolves.toBe(1);
    expect(await page.locator('section svg').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: path.join(SHOTS, 'reports-light.png'), fullPage: false });
    await expectNoSeriousA11yIssues(page, 'reports (charts)');

    for (const name of ['Arrivals and outcomes per day', 'Time to admit', 'Busy hours']) {
      const card = page.getByRole('region', { name: new RegExp(`^${name}`) });
      // By keyboard (a chart's hover callout may cover the switch for a pointer).
      await card.getByRole('switch', { name: 'Show as table' }).focus();
      await page.keyboard.press('Space');
      await card.getByRole('table').waitFor();
    }
    const days = page.getByRole('table', { name: 'Arrivals and outcomes per day' });
    expect(await days.getByRole('row').count()).toBe(31); // header + 30 days
    const bands = page.getByRole('table', { name: 'Time to admit' });
    await expect(bands.getByRole('row', { name: '0–15 s 2' }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'reports-tables.png'), fullPage: false });
    await expectNoSeriousA11yIssues(page, 'reports (tables)');
    await page.context().close();
  });

  it('works in dark and high-contrast themes and in German', async () => {
    for (const [theme, lang] of [
      ['dark', 'en'],
      ['contrast', 'en'],
      ['light', 'de'],
    ] as const) {
      const page = await openReports(theme, lang);
      await page.screenshot({
        path: path.join(SHOTS, `reports-${theme}-${lang}.png`),
        fullPage: false,
      });
      await expectNoSeriousA11yIssues(page, `reports ${theme} ${lang}`);
      await page.context().close();
    }
  });

  it('shows a call\'s history with the customer as "customer"', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/?theme=light&lang=en`);
    await page.getByRole('tab', { name: /^Finished/ }).click();
    await page
      .getByRole('button', { name: /^History: / })
      .first()
      .click();
    const history = page.getByRole('list', { name: 'History of this call' });
    await history.waitFor();
    const text = await history.innerText();
    expect(text).toContain('Link created');
    expect(text).not.toContain('Jürgen');
    await expectNoSeriousA11yIssues(page, 'call history');
    await context.close();
  });
});
