import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../bot/src/build-app';
import { loadConfig } from '../bot/src/config';
import { prepareCall } from '../shared/src/use-cases/create-call';
(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'exp-'));
  const built = await buildApp(loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent' }), { notifier: false, sweeper: false });
  const running = await built.listen();
  const deps = running.deps;
  const principal = { id: 'local-agent', name: 'Local agent' } as any;
  const one = async () => {
    const { call } = await prepareCall(deps, principal, { title: 'Bench' });
    await deps.store.insert(call, { type: 'created', at: call.createdAt, actor: { kind: 'agent', id: 'local-agent', name: 'Local agent' } as any, toState: call.state });
  };
  for (let i = 0; i < 2000; i++) await one();
  for (const conc of [1, 8, 32]) {
    const N = 12000; const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i += conc) await Promise.all(Array.from({ length: conc }, one));
    const wall = Number(process.hrtime.bigint() - t0) / 1000 / N; const cpu = process.cpuUsage(c0);
    console.log(`store.insert, ${conc} at once: ${wall.toFixed(0)} µs wall, ${((cpu.user + cpu.system) / N).toFixed(0)} µs process CPU per create (incl. prepareCall and the checkpoint worker)`);
  }
  await running.close(); process.exit(0);
})();
