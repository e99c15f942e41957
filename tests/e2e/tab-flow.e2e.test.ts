import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../integration/harness';
import { expectNoSeriousA11yIssues } from './axe';

// A real server (SQLite in a temp dir), the built tab and Debian's Chromium: minutes, not seconds.
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
/**
 * How long the agent's tab may take to show a waiting customer before the test gives up. Generous on
 * purpose: tests never assert wall-clock times. The latency itself is printed (and measured by
 * `npm run bench`, claim → lobby event).
 */
const SEEN_TIMEOUT_MS = 10_000;

let server: TestServer;
let browser: Browser;
let builtTab: string | undefined;
const pageErrors: string[] = [];

/**
 * The tab under test: `E2E_TAB_DIR` when given (a CI step built it), otherwise a fresh build of the
 * current sources into a temp dir, so a stale or half-rebuilt dist/tab never gets tested.
 */
function tabUnderTest(): string {
  const given = process.env['E2E_TAB_DIR'];
  if (given) return path.resolve(given);
  builtTab = mkdtempSync(path.join(tmpdir(), 'otc-tab-'));
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const args = ['build', '--config', 'tab/vite.config.ts', '--outDir', builtTab, '--emptyOutDir'];
  execFileSync(process.execPath, [vite, ...args, '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  return builtTab;
}

beforeAll(async () => {
  const tabDir = tabUnderTest();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ overrides: { tabDir } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (builtTab) rmSync(builtTab, { recursive: true, force: true });
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

type Theme = 'light' | 'dark' | 'contrast';

async function openTab(
  theme: Theme = 'light',
  pathAndQuery = '/?',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`tab: ${error.message}`));
  await page.goto(`${server.url}${pathAndQuery}&theme=${theme}&lang=en`);
  await page.getByRole('heading', { name: 'New call link' }).waitFor();
  await page.getByText('Live', { exact: true }).waitFor();
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
  await page.getByRole('button', { name: 'Copy link only' }).click();
  await page.getByText('✓ Link copied.').waitFor();
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

async function seeWaiting(agent: Page, name: string, joinedAt: number): Promise<void> {
  const admit = agent.getByRole('button', { name: `Admit ${name}` });
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
    await agent.page.getByRole('button', { name: 'Admit Anna Schmidt' }).click();

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

  it.each<Theme>(['light', 'dark', 'contrast'])(
    'the tab in the %s theme has no serious accessibility issues',
    async (theme) => {
      const agent = await openTab(theme);
      const link = await createLink(agent.page, `Theme check ${theme}`);
      const customer = await openAsCustomer();
      const joinedAt = await joinAs(customer.page, link, `Customer ${theme}`);
      await seeWaiting(agent.page, `Customer ${theme}`, joinedAt);
      await expect(agent.page.locator('[data-theme]').getAttribute('data-theme')).resolves.toBe(
        theme === 'light' ? 'default' : theme,
      );

      await shoot(agent.page, `tab-${theme}`);
      await expectNoSeriousA11yIssues(agent.page, `tab (${theme})`);

      await agent.page.getByRole('tab', { name: 'Finished' }).click();
      await expectNoSeriousA11yIssues(agent.page, `tab finished list (${theme})`);
      await Promise.all([agent.context.close(), customer.context.close()]);
    },
  );

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
    await agent.page.getByRole('button', { name: 'Admit Carla Team' }).click();
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
