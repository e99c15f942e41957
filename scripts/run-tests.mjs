// `npm test`: every jest project (unit, tab, contract, integration, e2e) in one run, then the one
// summary line CI reads: "N passed, N failed, N skipped". Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const out = 'test-results/jest.json';
const result = spawnSync(
  process.execPath,
  [
    'node_modules/jest/bin/jest.js',
    '--json',
    `--outputFile=${out}`,
    '--maxWorkers=2',
    ...process.argv.slice(2),
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
const failed = summary.numFailedTests + brokenSuites;
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || result.status !== 0 ? 1 : 0);
