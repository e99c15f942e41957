/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules needs require() */
import type BetterSqlite3 from 'better-sqlite3';
import type { CallStore } from '@shared';
import { runInNewContext } from 'node:vm';
import { isSqliteError } from '../../bot/src/adapters/storage/sqlite-call-store';
import type * as SqliteModule from '../../bot/src/adapters/storage/sqlite-call-store';
import { aCall, aCreatedEvent } from '../fixtures/calls';

// better-sqlite3's native addon keeps the error class of the first module instance that opened a
// database. Jest gives every test file its own module registry, so a store loaded in a later registry
// sees errors of a class it cannot `instanceof`. A duplicate key must still read as a conflict.
it('reads a duplicate key as a conflict even when better-sqlite3 was first loaded elsewhere', async () => {
  jest.isolateModules(() => {
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    new Database(':memory:').close();
  });
  let store: CallStore | undefined;
  jest.isolateModules(() => {
    const sqlite =
      require('../../bot/src/adapters/storage/sqlite-call-store') as typeof SqliteModule;
    store = new sqlite.SqliteCallStore(':memory:');
  });
  await store!.migrate();
  const call = aCall();
  await store!.insert(call, aCreatedEvent());
  await expect(store!.insert(aCall({ id: call.id }), aCreatedEvent())).rejects.toMatchObject({
    code: 'state-conflict',
  });
  await store!.close();
});

it('recognises a SQLite error made in another realm (VM context), and nothing else', () => {
  const foreign: unknown = runInNewContext(
    'Object.assign(new Error("UNIQUE constraint failed"), { name: "SqliteError", code: "SQLITE_CONSTRAINT_UNIQUE" })',
  );
  expect(foreign instanceof Error).toBe(false);
  expect(isSqliteError(foreign)).toBe(true);
  expect(isSqliteError(new Error('x'))).toBe(false);
  expect(isSqliteError({ name: 'SqliteError' })).toBe(false);
  expect(isSqliteError(null)).toBe(false);
});
