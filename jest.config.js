/** @type {import('jest').Config} */
const { chromiumPath, runE2e } = require('./scripts/chromium.cjs');

// The e2e suites drive Debian's Chromium. In CI it is required (.ci/run installs it); elsewhere a
// machine without it registers them as skipped (tests/e2e/skip-without-chromium.ts), saying so.
if (!runE2e) {
  console.warn(
    `Chromium not found at ${chromiumPath}: SKIPPED the e2e suites (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}
// esbuild transpiles TypeScript/TSX (and jose's ESM) to CommonJS; `npm run typecheck` checks types.
const transform = '<rootDir>/scripts/jest-esbuild.cjs';
// The CommonJS entry points of Fluent's barrels (see scripts/jest-lazy-barrel.cjs).
const fluentBarrels =
  '/node_modules/@fluentui/(react-components/lib-commonjs|react-icons/lib-cjs)/index\\.cjs$';
const moduleNameMapper = { '^@shared$': '<rootDir>/shared/src/index.ts' };
const node = (displayName, roots, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  roots,
  moduleNameMapper,
  transform: {
    '^.+\\.tsx?$': transform,
    // jose 6 ships ESM only; jest (Node 20) cannot require() it, so compile it to CommonJS.
    '/node_modules/jose/.+\\.js$': transform,
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  clearMocks: true,
  ...extra,
});

module.exports = {
  // Coverage of all production code, by every project together (`npm test` collects it; CI too).
  collectCoverageFrom: [
    'shared/src/**/*.ts',
    'bot/src/**/*.ts',
    'tab/src/**/*.{ts,tsx}',
    '!**/index.ts',
    '!**/*.d.ts',
  ],
  coverageReporters: ['json-summary', 'text-summary'],
  // Per directory, at the level measured when the gate was set (a little below), so it can only
  // rise: raise a figure when coverage grows, never lower it to let a change through.
  coverageThreshold: {
    // Measured 2026-11-30 after merging main (statements/branches/functions/lines): shared
    // 97.3/93.0/99.3/99.2, bot 91.8/80.9/92.8/93.4, tab 54.8/46.5/55.5/57.1 (the browser-call UI
    // is exercised by e2e in Chromium, which is not instrumented; and TabHome timed out that run).
    // Reports (bot/src/adapters/reports, tab/src/features/reports) were merged after that run:
    // bot/ and tab/ keep two more points of margin until `npm run test:coverage` re-measures them.
    './shared/src/': { statements: 96, branches: 91, functions: 98, lines: 98 },
    './bot/src/': { statements: 88, branches: 77, functions: 89, lines: 90 },
    './tab/src/': { statements: 50, branches: 42, functions: 51, lines: 53 },
  },
  projects: [
    node('unit', ['<rootDir>/tests/unit'], { testPathIgnorePatterns: ['/tests/unit/tab/'] }),
    {
      displayName: 'tab',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/tests/unit/tab'],
      moduleNameMapper: {
        ...moduleNameMapper,
        '\\.(css|png|svg|mp3|wav)$': '<rootDir>/tests/fakes/file-stub.js',
      },
      setupFilesAfterEnv: ['<rootDir>/tests/unit/tab/setup.ts'],
      transform: {
        '^.+\\.tsx?$': transform,
        // d3 (under Fluent's charts) ships ESM only, like jose: compile it to CommonJS.
        '/node_modules/(d3-[a-z-]+|internmap)/.+\\.m?js$': transform,
        // Fluent's two barrels re-export lazily, so a suite loads only the Fluent it uses.
        [fluentBarrels]: '<rootDir>/scripts/jest-lazy-barrel.cjs',
      },
      transformIgnorePatterns: [
        `/node_modules/(?!(d3-[a-z-]+|internmap)/|${fluentBarrels.slice('/node_modules/'.length)})`,
      ],
      clearMocks: true,
    },
    node('contract', ['<rootDir>/tests/contract']),
    node('integration', ['<rootDir>/tests/integration']),
    node(
      'e2e',
      ['<rootDir>/tests/e2e'],
      runE2e ? {} : { setupFilesAfterEnv: ['<rootDir>/tests/e2e/skip-without-chromium.ts'] },
    ),
  ],
};
