// Prints the gzipped size of the tab's initial JavaScript (the entry script and its
// modulepreloads in dist/tab/index.html; lazy chunks such as teams-js and qrcode are not counted).
// Usage: node scripts/tab-size.mjs [dist/tab] [--budget-kb 250]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 250;

export function tabSize(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]);
  const files = [...new Set(refs)].map((ref) => {
    const bytes = readFileSync(join(dir, ref.replace(/^\//, '')));
    return { file: ref, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const gzip = files.reduce((sum, f) => sum + f.gzip, 0);
  return { files, gzip, kb: gzip / 1024 };
}

export function reportTabSize(dir, budgetKb = BUDGET_KB) {
  const { files, kb } = tabSize(dir);
  for (const f of files) {
    console.log(
      `  ${f.file}  ${(f.raw / 1024).toFixed(1)} KB raw, ${(f.gzip / 1024).toFixed(1)} KB gzip`,
    );
  }
  const verdict = kb <= budgetKb ? 'within' : 'OVER';
  console.log(`Tab initial JS: ${kb.toFixed(1)} KB gzip (${verdict} the ${budgetKb} KB budget)`);
  return kb <= budgetKb;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const budgetAt = args.indexOf('--budget-kb');
  const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : BUDGET_KB;
  const dir = args.find((a, i) => !a.startsWith('--') && i !== budgetAt + 1) ?? 'dist/tab';
  process.exitCode = reportTabSize(resolve(dir), budget) ? 0 : 1;
}
