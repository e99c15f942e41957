// What every Chromium run shares (the e2e suites, `bench/call.bench.ts`, `scripts/call-screenshots.ts`):
// where Debian's Chromium is, how it is launched, and how the tab (with the customer call bundle) is
// built for it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../..');
/** Where the e2e suites write their screenshots. */
export const SHOTS = path.join(ROOT, 'test-results/screenshots');
/** Debian's Chromium, or `CHROMIUM_PATH`. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Chromium's fake camera and microphone, allowed without a prompt, and video that plays by itself. */
export const FAKE_MEDIA_FLAGS: readonly string[] = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches headless Chromium (`--no-sandbox --disable-gpu`, then `flags`). */
export function launchChromium(flags: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', ...flags],
  });
}

/**
 * Builds the tab into a fresh temp dir named after `prefix` and returns that dir. `quiet` drops Vite's
 * output (benches and scripts); otherwise its warnings show.
 */
export function buildTab(prefix: string, quiet = false): string {
  const outDir = mkdtempSync(path.join(tmpdir(), prefix));
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const args = ['build', '--config', 'tab/vite.config.ts', '--outDir', outDir, '--emptyOutDir'];
  execFileSync(process.execPath, [vite, ...args, '--logLevel', quiet ? 'error' : 'warn'], {
    cwd: ROOT,
    stdio: quiet ? 'ignore' : 'inherit',
    // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  return outDir;
}

/** A tab for a suite: its dir, and `remove()` to delete it afterwards when the suite built it. */
export type TabUnderTest = { readonly dir: string; remove(): void };

/**
 * The tab under test: `E2E_TAB_DIR` when given (a CI step built it), otherwise a fresh build of the
 * current sources into a temp dir, so a stale or half-rebuilt dist/tab never gets tested.
 */
export function tabUnderTest(prefix = 'otc-tab-'): TabUnderTest {
  const given = process.env['E2E_TAB_DIR'];
  if (given) return { dir: path.resolve(given), remove: () => undefined };
  const dir = buildTab(prefix);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
