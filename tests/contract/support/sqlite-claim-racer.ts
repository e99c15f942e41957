// A separate process that races for one link on a shared SQLite file (see sqlite-call-store.test.ts).
// argv: claim file callId firstBrowser count | migrate file. Waits for "go" on stdin, then claims
// (printing {"won":[browser…]}) or migrates (printing {"migrated":true}).
import { createInterface } from 'node:readline';
import { SqliteCallStore } from '../../../bot/src/adapters/storage/sqlite-call-store';
import { aClaim } from '../../fixtures/calls';

async function main(): Promise<void> {
  const [mode, file, callId, first, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: claim|migrate file [callId firstBrowser count]');
  const store = new SqliteCallStore(file);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) =>
    createInterface({ input: process.stdin }).once('line', () => resolve()),
  );
  if (mode === 'migrate') {
    await store.migrate();
    await store.close();
    process.stdout.write(`${JSON.stringify({ migrated: true })}\n`);
    process.exit(0);
  }
  if (!callId || !first || !count) throw new Error('usage: claim file callId firstBrowser count');
  const won: number[] = [];
  for (let i = Number(first); i < Number(first) + Number(count); i++) {
    const result = await store.transition(aClaim({ id: callId }, { token: `browser-${i}` }));
    if (result.ok) won.push(i);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ won })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
