/** @type {import('jest').Config} */
const { existsSync } = require('node:fs');

// The e2e suites drive Debian's Chromium. In CI it is required (.ci/run installs it); elsewhere a
// machine without it skips them, saying so, instead of failing for a missing browser.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runE2e = existsSync(chromiumPath) || process.env.CI === 'true';
if (!runE2e) {
  console.warn(
    `Chromium not found at ${chromiumPath}: SKIPPED the e2e suites (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}
// isolatedModules (from the tsconfig) makes ts-jest transpile only; `npm run typecheck` checks types.
const tsJest = (tsconfig) => [
  'ts-jest',
  {
    tsconfig: typeof tsconfig === 'string' ? tsconfig : { isolatedModules: true, ...tsconfig },
    diagnostics: false,
  },
];
const moduleNameMapper = { '^@shared$': '<rootDir>/shared/src/index.ts' };
const node = (displayName, roots, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  roots,
  moduleNameMapper,
  transform: {
    '^.+\\.tsx?$': tsJest('<rootDir>/tsconfig.json'),
    // jose 6 ships ESM only; jest (Node 20) cannot require() it, so compile it to CommonJS.
    '/node_modules/jose/.+\\.js$': tsJest({ allowJs: true, module: 'commonjs', target: 'ES2022' }),
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  clearMocks: true,
  ...extra,
});

module.exports = {
  // The gate applies to `npm run test:coverage` (the core, by its own unit tests).
  coverageThreshold: { global: { statements: 90, branches: 75, functions: 85, lines: 90 } },
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
        '^.+\\.tsx?$': [
          'ts-jest',
          {
            tsconfig: {
              jsx: 'react-jsx',
              module: 'commonjs',
              esModuleInterop: true,
              isolatedModules: true,
            },
            diagnostics: false,
          },
        ],
      },
      clearMocks: true,
    },
    node('contract', ['<rootDir>/tests/contract']),
    node('integration', ['<rootDir>/tests/integration']),
    ...(runE2e ? [node('e2e', ['<rootDir>/tests/e2e'])] : []),
  ],
};
