// Takes the README's screenshots of the browser call: docs/call-agent.png (the agent's tab) and
// docs/call-customer.png (the customer's phone page), one call between two Chromium windows with
// fake camera and microphone, a snapshot drawn on, and a few chat lines.
// Usage: npm run docs:screenshots
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, FAKE_MEDIA_FLAGS, buildTab, launchChromium } from '../tests/e2e/support';
import { startTestServer } from '../tests/integration/harness';

type VideoQuery = { querySelector(selector: string): { videoWidth: number } | null };
const playing = (page: Page, selector: string) =>
  page.waitForFunction(
    (sel: string) => {
      const video = (globalThis as unknown as { document: VideoQuery }).document.querySelector(sel);
      return !!video && video.videoWidth > 0;
    },
    selector,
    { timeout: 30_000 },
  );

async function main(): Promise<void> {
  const tabDir = buildTab('otc-shots-tab-', true);
  const server = await startTestServer({ overrides: { tabDir } });
  const browser = await launchChromium(FAKE_MEDIA_FLAGS);
  try {
    const media = { permissions: ['camera', 'microphone'], locale: 'en-US' };
    const agent = await (
      await browser.newContext({ ...media, viewport: { width: 1280, height: 1400 } })
    ).newPage();
    await agent.goto(`${server.url}/?&lang=en&theme=light`);
    await agent.getByText('Live', { exact: true }).waitFor();
    const link = await agent.evaluate<string>(
      `fetch('/api/calls', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":"Boiler check"}' }).then((r) => r.json()).then((b) => b.link)`,
    );
    const customer = await (
      await browser.newContext({
        ...media,
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      })
    ).newPage();
    await customer.goto(link);
    await customer.getByRole('textbox', { name: 'Your name' }).fill('Anna Schmidt');
    await customer.getByRole('button', { name: 'Join the call' }).click();
    await agent
      .getByRole('region', { name: /waiting/ })
      .getByRole('button', { name: 'Admit Anna Schmidt' })
      .click();
    await customer.getByRole('button', { name: 'Start camera and microphone' }).click();
    await Promise.all([playing(agent, '[data-testid=remote-video]'), playing(customer, '#remote')]);

    await customer.getByRole('textbox', { name: 'Your message' }).fill('Serial: WX-4711-0815');
    await customer.getByRole('button', { name: 'Send', exact: true }).click();
    await agent
      .getByRole('textbox', { name: 'Message' })
      .fill('Thanks! Turn the red valve a quarter.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();

    await agent.getByRole('button', { name: 'Take a snapshot' }).click();
    const canvas = agent.getByTestId('drawing-canvas');
    await canvas.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas');
    const drag = async (from: [number, number], to: [number, number]) => {
      await agent.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
      await agent.mouse.down();
      await agent.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 8 });
      await agent.mouse.up();
    };
    await drag([0.15, 0.2], [0.45, 0.45]);
    await agent.getByRole('button', { name: 'Circle' }).click();
    await agent.getByRole('button', { name: 'Yellow' }).click();
    await drag([0.55, 0.5], [0.68, 0.62]);
    await agent.getByRole('button', { name: 'Send drawing' }).click();
    await customer.getByRole('img', { name: /Picture with drawing/ }).waitFor();
    await agent.getByTestId('call-quality').waitFor();
    await agent.waitForTimeout(2500);

    await agent
      .getByTestId('call-pane')
      .screenshot({ path: path.join(ROOT, 'docs/call-agent.png') });
    await customer.screenshot({ path: path.join(ROOT, 'docs/call-customer.png'), fullPage: true });
    console.log('wrote docs/call-agent.png and docs/call-customer.png');
  } finally {
    await browser.close();
    await server.close();
    rmSync(tabDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
