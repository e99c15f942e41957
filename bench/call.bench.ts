// The browser call: time from Admit to the first decoded remote video frame on each side, over 20
// calls between the agent's tab and a customer page in Debian's Chromium with fake media, on loopback.
// The customer's "Start camera" tap is taken out (the page starts by itself, as after a reload), so
// the figure is the machine's: signalling, ICE, DTLS and the first keyframe.
import { existsSync, rmSync } from 'node:fs';
import { CHROMIUM, FAKE_MEDIA_FLAGS, buildTab, launchChromium } from '../tests/e2e/support';
import { startTestServer } from '../tests/integration/harness';
import { latency } from './stats';

type VideoQuery = { querySelector(selector: string): { videoWidth: number } | null };
const CALLS = Number(process.env['CALL_BENCH_CALLS'] ?? 20);

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`Chromium not found at ${CHROMIUM}: SKIPPED the call bench.`);
    return;
  }
  const tabDir = buildTab('otc-bench-tab-', true);
  const server = await startTestServer({ overrides: { tabDir } });
  const browser = await launchChromium(FAKE_MEDIA_FLAGS);
  const agentSide: number[] = [];
  const customerSide: number[] = [];
  try {
    const agentContext = await browser.newContext({
      permissions: ['camera', 'microphone'],
      viewport: { width: 1280, height: 900 },
    });
    const agent = await agentContext.newPage();
    await agent.goto(`${server.url}/?&lang=en`);
    await agent.getByText('Live', { exact: true }).waitFor();
    for (let i = 0; i < CALLS; i++) {
      const link = await agent.evaluate<string>(
        `fetch('/api/calls', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":"Bench ${i}"}' }).then((r) => r.json()).then((b) => b.link)`,
      );
      const code = new URL(link).pathname.split('/')[2] ?? '';
      const customerContext = await browser.newContext({
        permissions: ['camera', 'microphone'],
        viewport: { width: 360, height: 740 },
      });
      // As after a reload: the call page starts camera and call without waiting for a tap.
      await customerContext.addInitScript(
        `sessionStorage.setItem('otc.call:/j/${code}/call', '{}')`,
      );
      const customer = await customerContext.newPage();
      const logs: string[] = [];
      const t0 = Date.now();
      agent.removeAllListeners('console');
      agent.on('console', (m) => logs.push(`${Date.now() - t0} A ${m.text()}`));
      customer.on('console', (m) => logs.push(`${Date.now() - t0} C ${m.text()}`));
      await customer.goto(link);
      await customer.getByRole('textbox', { name: 'Your name' }).fill(`Customer ${i}`);
      await customer.getByRole('button', { name: 'Join the call' }).click();
      await customer.getByRole('heading', { name: 'Please wait' }).waitFor();
      const admit = agent
        .getByRole('region', { name: /waiting/ })
        .getByRole('button', { name: `Admit Customer ${i}` });
      await admit.waitFor();
      const started = Date.now();
      await admit.click();
      const firstFrame = (page: typeof agent, selector: string) =>
        page
          .waitForFunction(
            (sel: string) => {
              // A function, not a string: the pages' CSP forbids eval. (bench/ has no DOM types.)
              const doc = (globalThis as unknown as { document: VideoQuery }).document;
              const video = doc.querySelector(sel);
              return !!video && video.videoWidth > 0;
            },
            selector,
            { polling: 10, timeout: 30_000 },
          )
          .then(() => Date.now() - started);
      const [a, c] = await Promise.all([
        firstFrame(agent, '[data-testid=remote-video]'),
        firstFrame(customer, '#remote'),
      ]);
      if (process.env['CALL_BENCH_DEBUG'] && Math.max(a, c) > 3000) console.log(logs.join('\n'));
      agentSide.push(a);
      customerSide.push(c);
      await agent.getByRole('button', { name: 'End call' }).click();
      await agent.getByRole('button', { name: 'Close' }).first().click();
      await customerContext.close();
    }
    await agentContext.close();
  } finally {
    await browser.close();
    await server.close();
    rmSync(tabDir, { recursive: true, force: true });
  }
  console.log(
    `Admit → first decoded remote video frame, agent's tab:      ${latency(agentSide)} (target p99 < 1500 ms)`,
  );
  console.log(
    `Admit → first decoded remote video frame, customer's page:  ${latency(customerSide)} (target p99 < 1500 ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
