import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../integration/harness';
import { AgentApi, Browser as HttpBrowser } from '../integration/http-client';
import { SHOTS, launchChromium, tabUnderTest, type TabUnderTest } from './support';
import { expectNoSeriousA11yIssues } from './axe';

// A real server (SQLite in a temp dir), the built tab and Debian's Chromium: minutes, not seconds.
jest.setTimeout(240_000);

const PHONE = { width: 360, height: 740 };
/**
 * How long the agent's tab may take to show a waiting customer before the test gives up. Generous on
 * purpose: tests never assert wall-clock times. The latency itself is printed (and measured by
 * `npm run bench`, claim → lobby event).
 */
const SEEN_TIMEOUT_MS = 10_000;

let server: TestServer;
let browser: Browser;
let tab: TabUnderTest | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  tab = tabUnderTest();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ overrides: { tabDir: tab.dir } });
  browser = await launchChromium([
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  tab?.remove();
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

type Theme = 'light' | 'dark' | 'contrast';
type Lang = 'en' | 'de';
const DESKTOP = { width: 1280, height: 900 };
/** A narrow panel, as Teams' side panel or a split screen. */
const NARROW = { width: 480, height: 800 };

async function openTab(
  theme: Theme = 'light',
  pathAndQuery = '/?',
  options: { readonly viewport?: { width: number; height: number }; readonly lang?: Lang } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const lang = options.lang ?? 'en';
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    permissions: ['clipboard-read', 'clipboard-write'],
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`tab: ${error.message}`));
  // Teams' high-contrast theme goes with Windows' forced colours: emulate both.
  if (theme === 'contrast') await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(`${server.url}${pathAndQuery}&theme=${theme}&lang=${lang}`);
  await page
    .getByRole('heading', { name: lang === 'de' ? 'Neuer Anruf-Link' : 'New call link' })
    .waitFor();
  await page.getByText(lang === 'de' ? 'Live' : 'Live', { exact: true }).waitFor();
  return { context, page };
}

/** Creates a link in the tab, copies it with the tab's own button, and returns what was copied. */
async function createLink(page: Page, title: string): Promise<string> {
  const titleBox = page.getByRole('textbox', { name: 'Title' });
  await titleBox.fill(title);
  await page.getByRole('button', { name: 'Create link' }).click();
  await page.getByRole('heading', { name: `Link ready: ${title}` }).waitFor();
  const shown = (await page.getByTestId('join-link').textContent())?.trim() ?? '';
  expect(shown).toMatch(/^http:\/\/localhost:\d+\/j\/[A-Za-z0-9_-]{22,}$/);
  await page.getByRole('button', { name: 'Copy join link' }).click();
  await page.getByText('✓ Join link copied.').waitFor();
  const copied = await readClipboard(page);
  expect(copied).toBe(shown);

  // The email carries the agent's own time zone (the tab sends the browser's IANA zone).
  const email = await page.getByRole('textbox', { name: 'Email text' }).inputValue();
  expect(email).toContain(shown);
  expect(email).toMatch(/CET|GMT\+1/);
  await page.getByRole('button', { name: 'Copy message' }).click();
  await page.getByText(/Message copied/).waitFor();
  await expect(readClipboard(page)).resolves.toBe(email);
  return copied;
}

/** What the page's clipboard holds (a string expression: this file is compiled without DOM types). */
const readClipboard = (page: Page): Promise<string> =>
  page.evaluate<string>('navigator.clipboard.readText()');

async function openAsCustomer(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: PHONE,
    locale: 'en-US',
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`customer: ${error.message}`));
  return { context, page };
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The customer opens the link, types a name and joins; returns when the lobby shows. */
async function joinAs(customer: Page, link: string, name: string, shots?: string): Promise<number> {
  await customer.goto(link);
  await customer.getByRole('heading', { name: 'Join your video call' }).waitFor();
  if (shots) {
    await shoot(customer, `${shots}-1-landing`);
    await expectNoSeriousA11yIssues(customer, 'customer landing page');
  }
  await customer.getByRole('textbox', { name: 'Your name' }).fill(name);
  const joinedAt = Date.now();
  await customer.getByRole('button', { name: 'Join the call' }).click();
  await customer.getByRole('heading', { name: 'Please wait' }).waitFor();
  if (shots) {
    await shoot(customer, `${shots}-2-lobby`);
    await expectNoSeriousA11yIssues(customer, 'customer lobby page');
  }
  return joinedAt;
}

/** The queue bar at the top of the tab ("1 waiting"). */
const queueBar = (agent: Page) => agent.getByRole('region', { name: /waiting|wartet|warten/ });

/** The Admit button of a waiting customer, in the queue bar when they wait longest, else on the card. */
const admitButton = (agent: Page, name: string) =>
  agent
    .getByRole('listitem', { name: new RegExp(name) })
    .getByRole('button', { name: `Admit ${name}` });

/** What the tab last announced as an action's result. */
const announced = (agent: Page) => agent.getByTestId('result');

/** The element that has keyboard focus, described (tag, label or text). */
const focused = (page: Page): Promise<string> =>
  page.evaluate<string>(
    `(() => { const e = document.activeElement; if (!e || e === document.body) return 'BODY';
      return e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 80); })()`,
  );

/** Waits (a few seconds at most) until focus satisfies `ok`; returns where focus is. */
async function focusSettles(page: Page, ok: (where: string) => boolean): Promise<string> {
  let where = await focused(page);
  for (let i = 0; i < 50 && !ok(where); i += 1) {
    await page.waitForTimeout(100);
    where = await focused(page);
  }
  return where;
}

async function seeWaiting(agent: Page, name: string, joinedAt: number): Promise<void> {
  const admit = admitButton(agent, name);
  await admit.waitFor({ timeout: SEEN_TIMEOUT_MS });
  console.log(`agent tab showed ${name} waiting ${Date.now() - joinedAt} ms after Join`);
  const item = agent.getByRole('listitem', { name: new RegExp(name) });
  await item.getByText('Waiting', { exact: true }).waitFor();
  await item.getByText(/^Waiting for \d+:\d\d$/).waitFor();
  await agent
    .getByRole('status')
    .filter({ hasText: `${name} is waiting for you.` })
    .waitFor({ state: 'attached' });
}

async function finishedItem(agent: Page, name: string) {
  await agent.getByRole('tab', { name: 'Finished' }).click();
  return agent.getByRole('listitem', { name: new RegExp(name) });
}

describe('agent tab and customer pages, end to end', () => {
  it('creates and copies a link, the customer waits, the agent admits, the customer leaves, the link is dead', async () => {
    const agent = await openTab();
    const link = await createLink(agent.page, 'Router setup');
    const customer = await openAsCustomer();

    const joinedAt = await joinAs(customer.page, link, 'Anna Schmidt', 'customer-admit');
    await seeWaiting(agent.page, 'Anna Schmidt', joinedAt);
    await shoot(agent.page, 'tab-waiting-light');
    await agent.page.getByRole('button', { name: 'Send a note to Anna Schmidt' }).click();
    await agent.page
      .getByRole('textbox', { name: 'Note shown to Anna Schmidt while waiting' })
      .fill('I am with you in two minutes.');
    await agent.page.getByRole('button', { name: 'Send note' }).click();
    await customer.page.getByText('I am with you in two minutes.').waitFor();
    await shoot(customer.page, 'customer-admit-2b-lobby-note');
    await queueBar(agent.page).getByRole('button', { name: 'Admit Anna Schmidt' }).click();

    await customer.page.getByRole('heading', { name: 'Your video call' }).waitFor();
    await shoot(customer.page, 'customer-admit-3-call');
    await expectNoSeriousA11yIssues(customer.page, 'customer call page');
    const item = agent.page.getByRole('listitem', { name: /Anna Schmidt/ });
    await item.getByText('Admitted by Local agent').waitFor();

    await customer.page.getByRole('link', { name: 'Leave' }).click();
    await customer.page.getByRole('heading', { name: 'Leave the call?' }).waitFor();
    await shoot(customer.page, 'customer-admit-4-leave-confirm');
    await expectNoSeriousA11yIssues(customer.page, 'customer leave page');
    await customer.page.getByRole('button', { name: 'Yes, leave the call' }).click();
    await customer.page.getByRole('heading', { name: 'This call has ended' }).waitFor();
    await shoot(customer.page, 'customer-admit-5-ended');
    await expectNoSeriousA11yIssues(customer.page, 'customer ended page');

    const finished = await finishedItem(agent.page, 'Anna Schmidt');
    await finished.getByText('Ended', { exact: true }).waitFor();
    await shoot(agent.page, 'tab-finished-light');

    const later = await openAsCustomer();
    await later.page.goto(link);
    await later.page.getByRole('heading', { name: 'This call has ended' }).waitFor();
    await shoot(later.page, 'customer-admit-6-link-reopened');

    await Promise.all([agent.context.close(), customer.context.close(), later.context.close()]);
  });

  it('the agent declines with a reason, the customer is told kindly, the link is dead', async () => {
    const agent = await openTab();
    const link = await createLink(agent.page, 'Warranty question');
    const customer = await openAsCustomer();

    const joinedAt = await joinAs(customer.page, link, 'Ben Becker');
    await seeWaiting(agent.page, 'Ben Becker', joinedAt);
    // Keyboard only: the reason field takes focus, Enter confirms.
    await admitButton(agent.page, 'Ben Becker').waitFor();
    await agent.page.getByRole('button', { name: 'Decline Ben Becker' }).focus();
    await agent.page.keyboard.press('Enter');
    await agent.page.keyboard.type('Please call back tomorrow morning.');
    await expect(
      agent.page
        .getByRole('textbox', { name: 'Reason (optional, shown to the customer)' })
        .inputValue(),
    ).resolves.toBe('Please call back tomorrow morning.');
    await agent.page.keyboard.press('Enter');

    await customer.page
      .getByRole('heading', { name: 'Your agent cannot take the call now' })
      .waitFor();
    await customer.page.getByText('Please call back tomorrow morning.').waitFor();
    await shoot(customer.page, 'customer-decline-1-declined');
    await expectNoSeriousA11yIssues(customer.page, 'customer declined page');

    const finished = await finishedItem(agent.page, 'Ben Becker');
    await finished.getByText('Declined', { exact: true }).waitFor();
    await finished.getByText('Reason: Please call back tomorrow morning.').waitFor();

    const later = await openAsCustomer();
    await later.page.goto(link);
    await later.page
      .getByRole('heading', { name: 'Your agent cannot take the call now' })
      .waitFor();

    await Promise.all([agent.context.close(), customer.context.close(), later.context.close()]);
  });

  describe('the agent desk (issue 14)', () => {
    const api = () => new AgentApi(server.url);

    /** Declines whoever still waits from earlier tests, so each case controls its own queue. */
    async function clearQueue(): Promise<void> {
      const res = await api().call('GET', '/api/calls?status=active');
      const calls = (res.json['calls'] ?? []) as Array<{ id: string; state: string }>;
      for (const call of calls.filter((c) => c.state === 'waiting')) {
        await api().call('POST', `/api/calls/${call.id}/decline`, {});
      }
    }

    /** A link made through the API and claimed by a customer (plain HTTP, no browser needed). */
    async function waitingCustomer(title: string, name: string, body = {}): Promise<string> {
      const created = await api().create({ title, ...body });
      const customer = new HttpBrowser(server.url);
      const res = await customer.request('POST', created.path, {
        body: new URLSearchParams({ name }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(303);
      return created.id;
    }

    it.each([
      ['1280', DESKTOP],
      ['480', NARROW],
    ] as const)(
      'at %s px, keyboard only: Admit within 3 Tabs of the queue bar, focus never on body, Escape closes forms, results announced',
      async (width, viewport) => {
        await clearQueue();
        const agent = await openTab('light', '/?', { viewport });
        const page = agent.page;
        await waitingCustomer(`Keys ${width} first`, `Ada ${width}`);
        await waitingCustomer(`Keys ${width} second`, `Bo ${width}`);
        await queueBar(page).getByRole('heading', { name: '2 waiting' }).waitFor();
        if (width === '480') await page.screenshot({ path: path.join(SHOTS, 'tab-queue-480.png') });

        // From the top of the page: the skip link, then the queue bar, then Admit.
        await page.keyboard.press('Tab');
        await expect(focused(page)).resolves.toBe('A Skip to waiting customers');
        await page.keyboard.press('Enter');
        await expect(focused(page)).resolves.toMatch(/^SECTION /);
        let presses = 0;
        while ((await focused(page)) !== `BUTTON Admit Ada ${width}` && presses < 3) {
          await page.keyboard.press('Tab');
          presses += 1;
        }
        await expect(focused(page)).resolves.toBe(`BUTTON Admit Ada ${width}`);
        console.log(`${width} px: Admit is ${presses} Tab press(es) after the queue bar`);
        const admit = queueBar(page).getByRole('button', { name: `Admit Ada ${width}` });
        const box = (await admit.boundingBox()) ?? { x: 0, y: Infinity, width: 0, height: 0 };
        expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);

        // Admit: announced; the browser call's pane opens and takes focus; Bo is next in the bar.
        await page.keyboard.press('Enter');
        await announced(page)
          .filter({ hasText: `Ada ${width} admitted.` })
          .waitFor();
        await queueBar(page)
          .getByRole('button', { name: `Admit Bo ${width}` })
          .waitFor();
        expect(await focusSettles(page, (w) => w.startsWith('H2 Call with'))).toBe(
          `H2 Call with Ada ${width}`,
        );

        // Decline form: Escape closes it and returns to Decline; Enter declines, announced.
        await page.getByRole('button', { name: `Decline Bo ${width}` }).focus();
        await page.keyboard.press('Enter');
        await page.getByRole('textbox', { name: /^Reason/ }).waitFor();
        await page.keyboard.type('Wrong number');
        await page.keyboard.press('Escape');
        await page.getByRole('textbox', { name: /^Reason/ }).waitFor({ state: 'detached' });
        await expect(focused(page)).resolves.toBe(`BUTTON Decline Bo ${width}`);
        await page.keyboard.press('Enter');
        await page.keyboard.type('Please call back tomorrow.');
        await page.keyboard.press('Enter');
        await announced(page)
          .filter({ hasText: `Bo ${width} declined.` })
          .waitFor();
        await expect(focused(page)).resolves.not.toBe('BODY');
        await queueBar(page).getByRole('heading', { name: 'No one is waiting.' }).waitFor();

        // End call asks once: Escape cancels (focus back on End), Enter + confirm ends it.
        const end = page.getByRole('button', { name: `End call Keys ${width} first` });
        await end.focus();
        // Scrolled down to the call: the queue bar is still at the top.
        await page.screenshot({ path: path.join(SHOTS, `tab-scrolled-${width}.png`) });
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('alertdialog', { name: `End the call Keys ${width} first?` });
        await dialog.waitFor();
        // What the agent sees (a full-page capture would stitch the fixed dialog mid-fade).
        await dialog.getByRole('button', { name: 'End call' }).waitFor();
        await page.waitForTimeout(400);
        await page.screenshot({ path: path.join(SHOTS, `tab-confirm-end-${width}.png`) });
        await expectNoSeriousA11yIssues(page, `end-call dialog (${width})`);
        await expect(focused(page)).resolves.toBe('BUTTON Cancel');
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(await focusSettles(page, (w) => w === `BUTTON End call Keys ${width} first`)).toBe(
          `BUTTON End call Keys ${width} first`,
        );
        await page.keyboard.press('Enter');
        await dialog.waitFor();
        await page.keyboard.press('Tab');
        await expect(focused(page)).resolves.toBe('BUTTON End call');
        await page.keyboard.press('Enter');
        await announced(page)
          .filter({ hasText: `Call Keys ${width} first ended.` })
          .waitFor();
        expect(await focusSettles(page, (w) => w !== 'BODY')).not.toBe('BODY');

        await agent.context.close();
      },
    );

    it('reissues a call booked for tomorrow with its appointment, after showing the new times', async () => {
      await clearQueue();
      const tomorrow = new Date(Date.now() + 24 * 3600_000);
      tomorrow.setUTCHours(13, 0, 0, 0);
      const created = await api().create({
        title: 'Booked tomorrow',
        startsAt: tomorrow.toISOString(),
        durationMinutes: 45,
      });
      const agent = await openTab();
      const page = agent.page;

      await page.getByRole('button', { name: 'Send a new link for Booked tomorrow' }).click();
      const dialog = page.getByRole('alertdialog', {
        name: 'Send a new link for Booked tomorrow?',
      });
      await dialog.getByText(/keeps the appointment: .+, 45 minutes\./).waitFor();
      await shoot(page, 'tab-reissue-confirm');
      await dialog.getByRole('button', { name: 'Create the new link' }).click();
      await page.getByRole('heading', { name: 'Link ready: Booked tomorrow' }).waitFor();
      await announced(page).filter({ hasText: 'New link created for Booked tomorrow.' }).waitFor();

      const old = await api().call('GET', `/api/calls/${created.id}`);
      const newId = (old.json['call'] as { reissuedTo: string }).reissuedTo;
      const fresh = await api().call('GET', `/api/calls/${newId}`);
      expect(fresh.json['call']).toMatchObject({
        startsAt: tomorrow.toISOString(),
        durationMinutes: 45,
        state: 'scheduled',
      });
      await agent.context.close();
    });

    it('the form refuses a start in the past at the field and focuses it', async () => {
      const agent = await openTab();
      const page = agent.page;
      await page.getByRole('radio', { name: 'At a set time' }).check();
      await page.getByLabel('Start date and time').fill('2020-01-01T10:00');
      await page.getByRole('button', { name: 'Create link' }).click();
      await page.getByText('Pick a start time that is not in the past.').waitFor();
      await expect(focused(page)).resolves.toMatch(/^INPUT/);
      await agent.context.close();
    });

    describe.each<Lang>(['en', 'de'])('axe (WCAG 2.2 A/AA) on every tab view in %s', (lang) => {
      it.each<Theme>(['light', 'dark', 'contrast'])('%s', async (theme) => {
        await clearQueue();
        await waitingCustomer(`Axe ${lang} ${theme}`, `Axel ${lang} ${theme}`);
        const agent = await openTab(theme, '/?', { lang });
        const page = agent.page;
        const where = (view: string) => `${view} (${lang}, ${theme})`;
        await expect(page.locator('[data-theme]').getAttribute('data-theme')).resolves.toBe(
          theme === 'light' ? 'default' : theme,
        );
        await queueBar(page).getByRole('button').first().waitFor();
        await shoot(page, `tab-${lang}-${theme}`);
        await expectNoSeriousA11yIssues(page, where('active list and queue bar'));

        const de = lang === 'de';
        const name = `Axel ${lang} ${theme}`;
        await page
          .getByRole('button', { name: de ? `Ablehnen: ${name}` : `Decline ${name}` })
          .click();
        await expectNoSeriousA11yIssues(page, where('decline form'));
        await page.keyboard.press('Escape');

        // The one-line notices, opened (embedded mode always has one: no bot chat here).
        const details = page.getByRole('button', { name: 'Details' });
        if ((await details.count()) > 0) await details.first().click();
        await page.getByRole('button', { name: de ? 'Link erstellen' : 'Create link' }).click();
        await page.getByRole('heading', { name: de ? /^Link bereit:/ : /^Link ready:/ }).waitFor();
        await expectNoSeriousA11yIssues(page, where('new link and notices'));

        await page
          .getByRole('button', { name: de ? /^Link widerrufen für/ : /^Revoke link for/ })
          .first()
          .click();
        await page.getByRole('alertdialog').waitFor();
        await expectNoSeriousA11yIssues(page, where('confirmation dialog'));
        await page.keyboard.press('Escape');
        await page.getByRole('alertdialog').waitFor({ state: 'detached' });

        await page.getByRole('tab', { name: de ? 'Beendet' : 'Finished' }).click();
        await expectNoSeriousA11yIssues(page, where('finished list'));
        await agent.context.close();
      });
    });
  });

  it('a channel tab makes team links, lists the team queue and shows who admitted', async () => {
    const query = new URLSearchParams({
      teamId: 'team-support',
      teamName: 'Support',
      channelId: '19:q@thread.tacv2',
    });
    const agent = await openTab('light', `/tab?${query.toString()}`);
    await agent.page.getByRole('heading', { name: 'Calls of Support' }).waitFor();
    const link = await createLink(agent.page, 'Team call');

    const listed = await agent.page.request.get(
      `${server.url}/api/calls?scope=team&teamId=team-support`,
    );
    const body = (await listed.json()) as { calls: Array<{ title: string; team?: unknown }> };
    expect(body.calls.find((c) => c.title === 'Team call')?.team).toEqual({
      id: 'team-support',
      name: 'Support',
      channelId: '19:q@thread.tacv2',
    });

    const customer = await openAsCustomer();
    const joinedAt = await joinAs(customer.page, link, 'Carla Team');
    await seeWaiting(agent.page, 'Carla Team', joinedAt);
    await queueBar(agent.page).getByRole('button', { name: 'Admit Carla Team' }).click();
    await customer.page.getByRole('heading', { name: 'Your video call' }).waitFor();
    await agent.page
      .getByRole('listitem', { name: /Carla Team/ })
      .getByText('Admitted by Local agent')
      .waitFor();
    await shoot(agent.page, 'tab-channel-queue');

    await Promise.all([agent.context.close(), customer.context.close()]);
  });

  it('the channel tab configuration page has no serious accessibility issues', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`config: ${error.message}`));
    await page.goto(`${server.url}/config?teamId=team-support&teamName=Support&lang=en`);
    await page.getByRole('heading', { name: 'Team call queue' }).waitFor();
    await page.getByText(/This tab shows the calls of Support/).waitFor();
    await expectNoSeriousA11yIssues(page, 'channel tab configuration page');
    await context.close();
  });
});
