// `npm test`: every jest project (unit, tab, contract, integration, e2e) in one run, then the one
// summary line CI reads: "N passed, N failed, N skipped". Extra arguments go to jest.
// With CI=true (or `--coverage`) the same run collects coverage of shared/, bot/ and tab/ and
// jest.config.js gates it per directory: no second run of the suites for the gate.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const { runE2e } = createRequire(import.meta.url)('./chromium.cjs');
mkdirSync('test-results', { recursive: true });
const out = 'test-results/jest.json';
const args = process.argv.slice(2);
const coverage = process.env.CI === 'true' || args.includes('--coverage');
const summaryFile = 'coverage/coverage-summary.json';
rmSync(summaryFile, { force: true });
const result = spawnSync(
  process.execPath,
  [
    'node_modules/jest/bin/jest.js',
    '--json',
    `--outputFile=${out}`,
    '--maxWorkers=2',
    ...(coverage && !args.includes('--coverage') ? ['--coverage'] : []),
    ...args,
  ],
  { stdio: 'inherit', env: process.env },
);

let summary;
try {
  summary = JSON.parse(readFileSync(out, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error('jest wrote no results: it crashed before running the tests');
  process.exit(result.status || 1);
}
// A suite that fails to load (syntax error, missing module) has no tests: count it as one failure.
const brokenSuites = summary.testResults.filter(
  (s) => s.status === 'failed' && s.assertionResults.length === 0,
).length;
const passed = summary.numPassedTests;
let failed = summary.numFailedTests + brokenSuites;
const skipped = summary.numPendingTests + summary.numTodoTests;
const e2eSkipped = runE2e
  ? 0
  : summary.testResults
      .filter((s) => s.name.includes(`${path.sep}tests${path.sep}e2e${path.sep}`))
      .reduce((n, s) => n + s.assertionResults.filter((a) => a.status === 'pending').length, 0);

if (coverage && existsSync(summaryFile))
  printCoverage(JSON.parse(readFileSync(summaryFile, 'utf8')));
// Every test passed but jest failed: the per-directory coverage gate (its message is above).
const gateFailed = failed === 0 && result.status !== 0;
if (gateFailed) {
  failed += 1;
  console.error('jest failed after all tests passed: coverage below the gate in jest.config.js?');
}
const notes = [
  ...(e2eSkipped ? [`${e2eSkipped} e2e skipped: no Chromium`] : []),
  ...(gateFailed ? ['coverage gate failed'] : []),
];
console.log(
  `\n${passed} passed, ${failed} failed, ${skipped} skipped${notes.length ? ` (${notes.join('; ')})` : ''}`,
);
process.exit(failed > 0 || result.status !== 0 ? 1 : 0);

/** Statement/branch/function/line coverage per gated directory, from jest's json-summary. */
function printCoverage(files) {
  const root = `${process.cwd()}${path.sep}`;
  const dirs = ['shared/src/', 'bot/src/', 'tab/src/'];
  const kinds = ['statements', 'branches', 'functions', 'lines'];
  console.log('\ncoverage by directory (statements, branches, functions, lines):');
  for (const dir of dirs) {
    const sums = Object.fromEntries(kinds.map((k) => [k, { covered: 0, total: 0 }]));
    for (const [file, figures] of Object.entries(files)) {
      if (!file.replace(root, '').startsWith(dir)) continue;
      for (const k of kinds) {
        sums[k].covered += figures[k].covered;
        sums[k].total += figures[k].total;
      }
    }
    const pct = (k) => (sums[k].total ? (100 * sums[k].covered) / sums[k].total : 100).toFixed(1);
    console.log(`  ${dir.padEnd(12)} ${kinds.map((k) => `${pct(k)}%`.padStart(7)).join(' ')}`);
  }
}
