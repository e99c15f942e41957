import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  TEST_DATABASE_URL,
  aSchemaName,
  describePostgres,
  dropSchema,
} from '../contract/postgres-test-db';
import { startTestServer, type TestServer } from '../integration/harness';
import {
  FAKE_MEDIA_FLAGS,
  SHOTS,
  launchChromium,
  tabUnderTest,
  type TabUnderTest,
} from './support';
import { expectNoSeriousA11yIssues } from './axe';

// Two people in one Debian Chromium: the agent's tab and the customer's phone page, with fake
// camera and microphone, over the real server. Minutes, not seconds.
jest.setTimeout(300_000);

const FLOW_TIMEOUT_MS = 30_000;

let browser: Browser;
let tabDir: string;
let tab: TabUnderTest | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  // The tab under test, with the customer call bundle.
  tab = tabUnderTest('otc-call-tab-');
  tabDir = tab.dir;
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium([
    ...FAKE_MEDIA_FLAGS,
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ]);
});

afterAll(async () => {
  await browser?.close();
  tab?.remove();
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

type Side = { readonly context: BrowserContext; readonly page: Page };

async function openAgent(server: TestServer): Promise<Side> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    permissions: ['camera', 'microphone'],
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`agent: ${error.message}`));
  await page.goto(`${server.url}/?&theme=light&lang=en`);
  await page.getByRole('heading', { name: 'New call link' }).waitFor();
  await page.getByText('Live', { exact: true }).waitFor();
  return { context, page };
}

async function openCustomer(): Promise<Side> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    permissions: ['camera', 'microphone'],
    locale: 'en-US',
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`customer: ${error.message}`));
  return { context, page };
}

/** A link made through the agent API, from the agent's own page (origin and loopback rules hold). */
const makeLink = (agent: Page, title: string): Promise<string> =>
  agent.evaluate<string>(
    `fetch('/api/calls', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: ${JSON.stringify(title)} }) }).then((r) => r.json()).then((b) => b.link)`,
  );

type Flow = { frames: number; audio: number; local: string | undefined; phase: string } | null;

/** What this side's peer connection has received so far (a string: compiled without DOM types). */
const flow = (page: Page): Promise<Flow> =>
  page.evaluate<Flow>(`(async () => {
    const e = window.otcCall; const pc = e && e.pc; if (!pc) return null;
    const r = await pc.getStats(); let frames = 0, audio = 0, pair;
    r.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.bytesReceived || 0;
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = r.get(s.selectedCandidatePairId);
    });
    const local = pair ? r.get(pair.localCandidateId) : undefined;
    return { frames, audio, local: local && local.candidateType, phase: e.phase };
  })()`);

/** Waits until video frames are decoded and audio bytes arrive, and keep rising. */
async function expectMediaFlowing(page: Page, who: string): Promise<Flow> {
  const deadline = Date.now() + FLOW_TIMEOUT_MS;
  let first: Flow = null;
  for (;;) {
    const now = await flow(page);
    if (now && now.frames > 0 && now.audio > 0) {
      if (!first) first = now;
      else if (now.frames > first.frames && now.audio > first.audio) return now;
    }
    if (Date.now() > deadline)
      throw new Error(`${who}: media is not flowing: ${JSON.stringify(now)}`);
    await page.waitForTimeout(300);
  }
}

const phaseOf = (page: Page) =>
  page.evaluate<string | undefined>('window.otcCall && window.otcCall.phase');

/** Every local track of the page's call, stopped? */
const tracksStopped = (page: Page) =>
  page.evaluate<boolean>(
    `(() => { const s = window.otcCall && window.otcCall.localStream; return !!s && s.getTracks().length > 0 && s.getTracks().every((t) => t.readyState === 'ended'); })()`,
  );

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Customer joins and waits; agent admits in the tab; both sides start the call. */
async function connect(
  server: TestServer,
  title: string,
  name: string,
  customerServer: TestServer = server,
) {
  const agent = await openAgent(server);
  const customer = await openCustomer();
  const made = await makeLink(agent.page, title);
  // The same link on the customer's instance (same host name: the claim cookie is per host).
  const url = new URL(made);
  url.port = new URL(customerServer.url).port;
  const link = url.toString();
  await customer.page.goto(link);
  await customer.page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await customer.page.getByRole('button', { name: 'Join the call' }).click();
  await customer.page.getByRole('heading', { name: 'Please wait' }).waitFor();
  await agent.page
    .getByRole('region', { name: /waiting/ })
    .getByRole('button', { name: `Admit ${name}` })
    .click();
  await agent.page.getByRole('heading', { name: `Call with ${name}` }).waitFor();
  await customer.page.getByRole('heading', { name: 'Your video call' }).waitFor();
  await customer.page.getByRole('button', { name: 'Start camera and microphone' }).click();
  return { agent, customer, link };
}

describe('the browser call, agent tab and customer page', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { tabDir } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('connects after Admit; media, mute, camera off, snapshot with drawing, chat, reloads and End', async () => {
    const { agent, customer, link } = await connect(server, 'Router setup', 'Anna Schmidt');

    // Media both ways.
    await expectMediaFlowing(agent.page, 'agent');
    await expectMediaFlowing(customer.page, 'customer');
    await agent.page.getByTestId('call-quality').waitFor();
    await customer.page.getByText(/^Connection: /).waitFor();
    await expectNoSeriousA11yIssues(customer.page, 'customer call page, in the call');
    await expectNoSeriousA11yIssues(agent.page, 'agent call pane');
    await customer.page.setViewportSize({ width: 320, height: 640 });
    await shoot(customer.page, 'call-customer-320');
    await customer.page.setViewportSize({ width: 360, height: 740 });

    // Mute and camera off are seen on the other side.
    await customer.page.getByRole('button', { name: 'Mute' }).click();
    await agent.page.getByTestId('remote-mic-off').waitFor();
    await customer.page.getByRole('button', { name: 'Turn camera off' }).click();
    await agent.page.getByTestId('remote-cam-off').waitFor();
    await agent.page.getByRole('button', { name: 'Mute' }).click();
    await customer.page.getByText('Microphone is off').waitFor();
    await agent.page.getByRole('button', { name: 'Unmute' }).click();
    await customer.page.getByText('Microphone is off').waitFor({ state: 'hidden' });
    await customer.page.getByRole('button', { name: 'Unmute' }).click();
    await customer.page.getByRole('button', { name: 'Turn camera on' }).click();
    await agent.page.getByTestId('remote-cam-off').waitFor({ state: 'detached' });
    await agent.page.getByTestId('remote-mic-off').waitFor({ state: 'detached' });

    // Snapshot: taken on the customer's side, drawn on by the agent, seen by the customer.
    await agent.page.getByRole('button', { name: 'Take a snapshot' }).click();
    await agent.page.getByRole('heading', { name: 'Snapshot' }).waitFor();
    const canvas = agent.page.getByTestId('drawing-canvas');
    const size = { w: Number(await canvas.getAttribute('width')) };
    expect(size.w).toBeGreaterThan(0);
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas box');
    await agent.page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await agent.page.mouse.down();
    await agent.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
    await agent.page.mouse.up();
    await agent.page.getByRole('button', { name: 'Circle' }).click();
    await agent.page.getByRole('button', { name: 'Blue' }).click();
    await canvas.focus();
    await agent.page.keyboard.press('Enter');
    await agent.page.keyboard.press('ArrowRight');
    await agent.page.keyboard.press('ArrowRight');
    await agent.page.keyboard.press('Enter');
    await agent.page.getByRole('button', { name: 'Undo' }).click();
    await agent.page.getByRole('button', { name: 'Send drawing' }).click();
    await agent.page.getByText('Drawing sent.').waitFor();
    await expectNoSeriousA11yIssues(agent.page, 'agent call pane with the drawing tools');
    const drawing = customer.page.getByRole('img', {
      name: 'Picture with drawing from Local agent',
    });
    await drawing.waitFor();
    expect(
      await customer.page.evaluate<number>(`document.getElementById('drawing-img').naturalWidth`),
    ).toBe(size.w);
    await shoot(agent.page, 'call-agent-drawing');
    await shoot(customer.page, 'call-customer-drawing');
    await customer.page.getByRole('button', { name: 'Close the drawing' }).click();
    await agent.page.getByText('The customer closed the drawing.').waitFor();
    await customer.page.getByRole('button', { name: 'Show the last drawing' }).click();
    await drawing.waitFor();
    await customer.page.getByRole('button', { name: 'Close the drawing' }).click();

    // The customer sends a photo of their own.
    await customer.page.getByRole('button', { name: 'Send a photo' }).click();
    await agent.page.getByRole('heading', { name: 'Photo from Anna Schmidt' }).waitFor();

    // Chat both ways.
    await customer.page.getByRole('textbox', { name: 'Your message' }).fill('SN 4711-0815');
    await customer.page.getByRole('button', { name: 'Send', exact: true }).click();
    await agent.page.getByTestId('chat-log').getByText('SN 4711-0815').waitFor();
    await agent.page.getByRole('textbox', { name: 'Message' }).fill('Thanks, I see it.');
    await agent.page.getByRole('button', { name: 'Send', exact: true }).click();
    await customer.page.locator('#chat-log').getByText('Thanks, I see it.').waitFor();

    // A reload of each side rejoins the same call.
    await customer.page.reload();
    await expectMediaFlowing(customer.page, 'customer after reload');
    await expectMediaFlowing(agent.page, 'agent after the customer reloaded');
    await agent.page.reload();
    await agent.page.getByRole('heading', { name: 'Call with Anna Schmidt' }).waitFor();
    await expectMediaFlowing(agent.page, 'agent after reload');
    await expectMediaFlowing(customer.page, 'customer after the agent reloaded');

    // End from the agent: both stop every track, the link is dead.
    await agent.page.getByTestId('call-pane').getByRole('button', { name: 'End call' }).click();
    await customer.page.getByRole('heading', { name: 'The call has ended.' }).waitFor();
    await agent.page.getByText('The call has ended.').waitFor();
    expect(await tracksStopped(customer.page)).toBe(true);
    expect(await tracksStopped(agent.page)).toBe(true);
    expect(await phaseOf(customer.page)).toBe('ended');
    const again = await customer.page.request.get(link, { maxRedirects: 5 });
    expect(again.status()).toBe(410);
    await agent.context.close();
    await customer.context.close();
  });
});

/** A free port on loopback (TCP and UDP): coturn listens on both. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const address = s.address();
        s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

describe('the browser call through a TURN relay (coturn on loopback)', () => {
  let server: TestServer;
  let turn: ChildProcess;
  beforeAll(async () => {
    const port = await freePort();
    const min = 20_000 + Math.floor(Math.random() * 30_000);
    const secret = `e2e-${Math.random().toString(36).slice(2)}`;
    turn = spawn(
      'turnserver',
      [
        '-n',
        '--no-cli',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${port}`,
        `--min-port=${min}`,
        `--max-port=${min + 200}`,
        '--use-auth-secret',
        `--static-auth-secret=${secret}`,
        '--realm=otc.test',
        '--allow-loopback-peers',
        '--no-tls',
        '--no-dtls',
        '--no-stdout-log',
        '--log-file=stdout',
      ],
      { stdio: 'ignore' },
    );
    server = await startTestServer({
      env: {
        TURN_SECRET: secret,
        ICE_SERVERS: `turn:127.0.0.1:${port}?transport=udp`,
        ICE_TRANSPORT_POLICY: 'relay',
      },
      overrides: { tabDir },
    });
  });
  afterAll(async () => {
    await server?.close();
    turn?.kill('SIGTERM');
  });

  it('carries media both ways through the relay', async () => {
    const { agent, customer } = await connect(server, 'Relay call', 'Ben Relay');
    const atAgent = await expectMediaFlowing(agent.page, 'agent (relay)');
    const atCustomer = await expectMediaFlowing(customer.page, 'customer (relay)');
    expect(atAgent?.local).toBe('relay');
    expect(atCustomer?.local).toBe('relay');
    await agent.page.getByTestId('call-pane').getByRole('button', { name: 'End call' }).click();
    await customer.page.getByRole('heading', { name: 'The call has ended.' }).waitFor();
    await agent.context.close();
    await customer.context.close();
  });
});

describePostgres('the browser call across two instances on one PostgreSQL', () => {
  let schema: string;
  let a: TestServer;
  let b: TestServer;
  const instance = () =>
    startTestServer({
      env: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
      overrides: { tabDir, notifier: false },
    });
  beforeAll(async () => {
    schema = aSchemaName();
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
  });

  it('connects the agent on one instance with the customer on the other', async () => {
    const { agent, customer, link } = await connect(a, 'Two instances', 'Cem Split', b);
    await expectMediaFlowing(agent.page, 'agent on instance A');
    await expectMediaFlowing(customer.page, 'customer on instance B');
    await customer.page.getByRole('textbox', { name: 'Your message' }).fill('hello from B');
    await customer.page.getByRole('button', { name: 'Send', exact: true }).click();
    await agent.page.getByTestId('chat-log').getByText('hello from B').waitFor();
    await agent.page.getByTestId('call-pane').getByRole('button', { name: 'End call' }).click();
    await customer.page.getByRole('heading', { name: 'The call has ended.' }).waitFor();
    expect(await tracksStopped(customer.page)).toBe(true);
    expect((await customer.page.request.get(link)).status()).toBe(410);
    await agent.context.close();
    await customer.context.close();
  });
});
