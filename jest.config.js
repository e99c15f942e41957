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
    // Measured 2026-11-30: shared 95.7/85.4/93.5/97.7, bot 90.0/78.3/91.0/91.9, tab 87.8/79.3/79.0/90.5
    './shared/src/': { statements: 95, branches: 84, functions: 92, lines: 96 },
    './bot/src/': { statements: 89, branches: 77, functions: 90, lines: 91 },
    './tab/src/': { statements: 86, branches: 78, functions: 78, lines: 89 },
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
      transform: { '^.+\\.tsx?$': transform },
      // jsdom and Fluent under coverage instrumentation on a busy machine: more than jest's 5 s.
      testTimeout: 15_000,
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
