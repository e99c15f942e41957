// Bundles the customer's call page script (tab/src/call/customer) for old phone browsers
// (Chrome 90 on Android 9, Safari 14 on iOS) into <outDir>/assets/customer-call-<hash>.js, and
// writes <outDir>/customer-call.json, which the server reads to name it in the page.
// The vite build of the tab runs it (tab/vite.config.ts); usage alone: node scripts/build-customer-call.mjs [dist/tab]
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('..', import.meta.url));
export const CUSTOMER_CALL_ENTRY = join(repo, 'tab/src/call/customer/customer-call.ts');
/** The budget of the call page with all its script and CSS, in gzip bytes. */
export const CALL_PAGE_BUDGET_BYTES = 30 * 1024;

/** Bundles the script in memory: `{ code, gzip }`. */
export async function bundleCustomerCall() {
  const result = await build({
    entryPoints: [CUSTOMER_CALL_ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome90', 'safari14'],
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  return { code, gzip: gzipSync(code, { level: 9 }).length };
}

/** Writes the bundle and its manifest into `outDir`; returns the manifest. */
export async function buildCustomerCall(outDir) {
  const { code, gzip } = await bundleCustomerCall();
  const hash = createHash('sha256').update(code).digest('base64url').slice(0, 10);
  const file = `assets/customer-call-${hash}.js`;
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  writeFileSync(join(outDir, file), code);
  const manifest = { file, bytes: code.length, gzip };
  writeFileSync(join(outDir, 'customer-call.json'), JSON.stringify(manifest));
  console.log(
    `Customer call script: ${(code.length / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip`,
  );
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // No top-level await: vite bundles its config (which imports this file) as CommonJS.
  buildCustomerCall(resolve(process.argv[2] ?? 'dist/tab')).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
