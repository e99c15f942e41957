import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AppError,
  admitCall,
  asAadObjectId,
  claimLink,
  createCall,
  leaveCall,
  type AgentPrincipal,
  type CallStore,
} from '@shared';
import { PostgresCallStore } from '../../bot/src/adapters/storage/postgres-call-store';
import { SqliteCallStore } from '../../bot/src/adapters/storage/sqlite-call-store';
import { fakeDeps } from '../fakes/fake-deps';
import { TEST_DATABASE_URL, aSchemaName, describePostgres, dropSchema } from './postgres-test-db';

// Issue 13, finding 6: with PostgreSQL, Admit and Leave sent together ended rounds with Leave
// answered 200 while the call stayed `admitted`. The rule of the use-case layer: a lost
// compare-and-set is re-read and decided again, so every answer agrees with the store.

const ROUNDS = 50;
const alice: AgentPrincipal = { id: asAadObjectId('alice'), name: 'Alice' };

/** Two instances on one database: the agent's request reaches one, the customer's the other. */
type Pair = { readonly agentSide: CallStore; readonly customerSide: CallStore };

function raceSuite(open: () => Promise<Pair & { readonly cleanup: () => Promise<void> }>) {
  jest.setTimeout(120_000);

  it(`answers Admit and Leave raced ${ROUNDS} times as the store ends up`, async () => {
    const { agentSide, customerSide, cleanup } = await open();
    try {
      const agent = fakeDeps({ store: agentSide });
      const customer = fakeDeps({ store: customerSide });
      // Both sides share one clock so that neither sees the other's call as past its time.
      const deps = { ...customer.deps, clock: agent.deps.clock };
      const tally = { admitFirst: 0, leaveFirst: 0 };
      for (let round = 0; round < ROUNDS; round += 1) {
        const created = await createCall(agent.deps, alice, {});
        const claim = await claimLink(deps, created.code, 'Anna', undefined);
        const [admitted, left] = await Promise.allSettled([
          admitCall(agent.deps, alice, created.call.id),
          leaveCall(deps, created.code, claim.claimToken),
        ]);
        const final = (await agentSide.get(created.call.id))!;
        const events = (await agentSide.events(created.call.id)).map((e) => e.type);

        // Leave always wins in the end: the customer is gone, whatever the agent clicked.
        expect(left.status).toBe('fulfilled');
        const leaveAnswer = (left as PromiseFulfilledResult<{ state: string }>).value.state;
        expect(leaveAnswer).toBe(final.state);
        if (admitted.status === 'fulfilled') {
          // The agent was told "admitted", and it was: then the customer's Leave ended it.
          tally.admitFirst += 1;
          expect(admitted.value.call.state).toBe('admitted');
          expect(final.state).toBe('ended');
          expect(events).toEqual(['created', 'claimed', 'admitted', 'ended']);
        } else {
          // The agent was told the state the customer left the call in.
          tally.leaveFirst += 1;
          const error = admitted.reason as AppError;
          expect(error).toBeInstanceOf(AppError);
          expect(error).toMatchObject({ code: 'state-conflict', details: { state: final.state } });
          expect(final.state).toBe('abandoned');
          expect(events).toEqual(['created', 'claimed', 'abandoned']);
        }
      }
      expect(tally.admitFirst + tally.leaveFirst).toBe(ROUNDS);
    } finally {
      await cleanup();
    }
  });
}

describe('Admit ‖ Leave on SQLite', () => {
  raceSuite(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otc-race-'));
    const file = path.join(dir, 'calls.sqlite');
    const agentSide = new SqliteCallStore(file);
    const customerSide = new SqliteCallStore(file);
    return agentSide.migrate().then(() => ({
      agentSide,
      customerSide,
      cleanup: async () => {
        await agentSide.close();
        await customerSide.close();
        rmSync(dir, { recursive: true, force: true });
      },
    }));
  });
});

describePostgres('Admit ‖ Leave on PostgreSQL', () => {
  raceSuite(async () => {
    const schema = aSchemaName();
    const agentSide = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 4 });
    const customerSide = new PostgresCallStore(TEST_DATABASE_URL, { schema, max: 4 });
    await agentSide.migrate();
    return {
      agentSide,
      customerSide,
      cleanup: async () => {
        await agentSide.close();
        await customerSide.close();
        await dropSchema(schema);
      },
    };
  });
});
