import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../integration/harness';
import { Browser as CustomerBrowser } from '../integration/http-client';
import { ROOT, SHOTS, launchChromium } from './support';

// The README walkthrough, automated: the real server (embedded mode, no BOT_ID), the Microsoft 365
// Agents Playground from node_modules (offline), and Debian's Chromium clicking in its chat.
jest.setTimeout(180_000);

const SEEN = { timeout: 20_000 };

let server: TestServer;
let playground: ChildProcess;
let playgroundUrl: string;
let browser: Browser;
let page: Page;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function startPlayground(endpoint: string): Promise<string> {
  const port = await freePort();
  const cli = path.join(ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');
  playground = spawn(
    process.execPath,
    [
      cli,
      '--app-endpoint',
      endpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(port),
      '--disable-telemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the playground did not start')), 60_000);
    playground.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`Listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    playground.once('exit', (code) => reject(new Error(`the playground exited (${code})`)));
  });
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer();
  playgroundUrl = await startPlayground(`${server.url}/api/messages`);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
});

afterAll(async () => {
  await browser?.close();
  playground?.kill('SIGTERM');
  await server?.close();
});

it('a new user gets the card in the playground chat, admits from it and sees the card change', async () => {
  await page.goto(playgroundUrl);
  // The playground installs the app on connect: the bot welcomes the user and can now reach them.
  await page.getByText('Welcome!').first().waitFor(SEEN);
  const me = (await (await fetch(`${server.url}/api/me`)).json()) as { botReachable: boolean };
  expect(me.botReachable).toBe(true);

  const box = page.locator('[data-lexical-editor="true"]');
  await box.click();
  await box.pressSequentially('new Router setup');
  await page.keyboard.press('Enter');
  await page.getByText('Your one-time link is ready').first().waitFor(SEEN);
  const link = (await page
    .getByText(/\/j\/[A-Za-z0-9_-]{20,}$/)
    .first()
    .textContent())!.trim();
  const lobbyPath = new URL(link).pathname;

  const customer = new CustomerBrowser(server.url);
  expect((await customer.postForm(lobbyPath, { name: 'Anna Schmidt' })).status).toBe(303);
  await page.getByText('Customer waiting').first().waitFor(SEEN);
  await page.getByText('Anna Schmidt').first().waitFor(SEEN);
  await page.screenshot({ path: path.join(SHOTS, 'bot-playground-waiting.png') });

  await page.getByRole('button', { name: 'Message…' }).last().click();
  await page.getByRole('button', { name: "I'll be with you in 2 minutes" }).last().click();
  await page.getByText('Your message').first().waitFor(SEEN);
  const waiting = (await (
    await customer.get(`${lobbyPath}/status`, { accept: 'application/json' })
  ).json()) as {
    state: string;
    lobbyMessage?: { text: string };
  };
  expect(waiting).toMatchObject({
    state: 'waiting',
    lobbyMessage: { text: "I'll be with you in 2 minutes" },
  });

  await page.getByRole('button', { name: 'Admit' }).last().click();
  await page
    .getByText(/Admitted by Local agent/)
    .first()
    .waitFor(SEEN);
  await page.screenshot({ path: path.join(SHOTS, 'bot-playground-admitted.png') });
  const admitted = (await (
    await customer.get(`${lobbyPath}/status`, { accept: 'application/json' })
  ).json()) as {
    state: string;
  };
  expect(admitted.state).toBe('admitted');
  await expect(page.getByRole('button', { name: 'Admit' }).count()).resolves.toBe(0);
});
