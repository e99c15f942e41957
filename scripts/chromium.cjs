// Where the e2e suites find Debian's Chromium, for jest.config.js and scripts/run-tests.mjs alike.
const { existsSync } = require('node:fs');

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

module.exports = {
  chromiumPath,
  /** In CI the browser is required (.ci/run installs it); elsewhere a machine without it skips e2e. */
  runE2e: existsSync(chromiumPath) || process.env.CI === 'true',
};
