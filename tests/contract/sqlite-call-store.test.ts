import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteCallStore } from '../../bot/src/adapters/storage/sqlite-call-store';
import { callStoreContract } from './call-store.contract';

const dir = mkdtempSync(path.join(tmpdir(), 'otc-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

callStoreContract('SqliteCallStore', async () => {
  files += 1;
  const file = path.join(dir, `calls-${files}.sqlite`);
  const store = new SqliteCallStore(file);
  await store.migrate();
  return {
    store,
    connect: () => Promise.resolve(new SqliteCallStore(file)),
    cleanup: () => store.close(),
  };
});
