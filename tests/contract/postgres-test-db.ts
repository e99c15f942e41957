import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

// The PostgreSQL the contract tests use, and the rule for when it is missing: required with CI=true,
// otherwise skipped with a clear message.

export const TEST_DATABASE_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const where = (() => {
  try {
    const url = new URL(TEST_DATABASE_URL);
    return `${url.host}${url.pathname}`; // never the password
  } catch {
    return 'TEST_DATABASE_URL';
  }
})();

/** Jest registers tests synchronously, so reachability is probed once, synchronously, in a child. */
function probe(): string | undefined {
  const script = `
    const { Client } = require(process.argv[1]);
    const client = new Client({ connectionString: process.argv[2], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.end()).then(
      () => process.exit(0),
      (error) => { console.error(error.code ?? error.message); process.exit(1); });`;
  const result = spawnSync(
    process.execPath,
    ['-e', script, require.resolve('pg'), TEST_DATABASE_URL],
    {
      timeout: 8000,
      encoding: 'utf8',
    },
  );
  return result.status === 0 ? undefined : result.stderr.trim() || 'no answer';
}

const problem = probe();

/** `describe` when PostgreSQL answers; a failing test when it does not and CI=true; else a loud skip. */
export function describePostgres(name: string, body: () => void): void {
  if (problem === undefined) {
    describe(name, body);
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs PostgreSQL (required because CI=true)', () => {
        throw new Error(`PostgreSQL at ${where} is unreachable (${problem}); CI=true requires it`);
      });
    });
  } else {
    console.warn(`PostgreSQL at ${where} is unreachable (${problem}): SKIPPED "${name}".`);
    describe.skip(name, body);
  }
}

/** A fresh, unique schema name for one test's tables. */
export const aSchemaName = (): string => `otc_test_${randomBytes(6).toString('hex')}`;

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
