import {
  AppError,
  admitCall,
  asAadObjectId,
  claimLink,
  createCall,
  moveCall,
  reissueCall,
  type AgentPrincipal,
  type TransitionInput,
  type TransitionResult,
} from '@shared';
import { FakeCallStore } from '../../fakes/fake-call-store';
import { fakeDeps } from '../../fakes/fake-deps';

// The rule of the use-case layer: a lost compare-and-set is re-read and decided again, never
// answered as if it had worked.

const alice: AgentPrincipal = { id: asAadObjectId('alice'), name: 'Alice' };

/** A store whose compare-and-sets all lose, each time to a call that looks unchanged. */
class AlwaysLosingStore extends FakeCallStore {
  attempts = 0;
  override async transition(input: TransitionInput): Promise<TransitionResult> {
    this.attempts += 1;
    return { ok: false, current: await this.get(input.id) };
  }
}

describe('moveCall', () => {
  it('lets exactly one of two browsers claim a link; the other is told it is taken', async () => {
    const { deps } = fakeDeps();
    const { code } = await createCall(deps, alice, {});
    const results = await Promise.allSettled([
      claimLink(deps, code, 'Anna', undefined),
      claimLink(deps, code, 'Mallory', undefined),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'claimed-elsewhere' });
  });

  it('answers a move on a call that is gone as gone', async () => {
    const { deps } = fakeDeps();
    const { call } = await createCall(deps, alice, {});
    const outcome = await moveCall(
      deps,
      { ...call, id: 'no-such-call' },
      {
        actor: { kind: 'system' },
        action: 'expire',
      },
    );
    expect(outcome).toMatchObject({ ok: false, call: undefined, reason: 'gone' });
  });

  it('gives up, refused, when every compare-and-set keeps losing', async () => {
    const store = new AlwaysLosingStore();
    const { deps } = fakeDeps({ store });
    const { call } = await createCall(deps, alice, {});
    const outcome = await moveCall(deps, call, { actor: { kind: 'system' }, action: 'expire' });
    expect(outcome).toMatchObject({ ok: false, reason: 'wrong-state' });
    expect(store.attempts).toBe(6);
  });

  it('refuses a move meant for an older version of the call as changed', async () => {
    const { deps } = fakeDeps();
    const created = await createCall(deps, alice, {});
    await claimLink(deps, created.code, 'Anna', undefined);
    const outcome = await moveCall(deps, created.call, {
      actor: { kind: 'agent', id: alice.id, name: alice.name },
      action: 'reissue',
      exactVersion: true,
    });
    expect(outcome).toMatchObject({ ok: false, reason: 'changed', call: { state: 'waiting' } });
  });

  it('makes one new link of two reissue clicks, closing the meeting made for the loser', async () => {
    const f = fakeDeps();
    const { call } = await createCall(f.deps, alice, {});
    f.meetings.calls.length = 0;
    const results = await Promise.allSettled([
      reissueCall(f.deps, alice, call.id),
      reissueCall(f.deps, alice, call.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(AppError);
    expect(lost.reason).toMatchObject({ code: 'state-conflict', details: { state: 'revoked' } });
    // Two meetings made, the old call's and the loser's closed.
    expect(f.meetings.ops().sort()).toEqual(['close', 'close', 'create', 'create']);
  });

  it('reports a meeting that did not follow, with the call moved anyway', async () => {
    const f = fakeDeps();
    const created = await createCall(f.deps, alice, {});
    await claimLink(f.deps, created.code, 'Anna', undefined);
    f.meetings.failWith = new Error('graph down');
    const result = await admitCall(f.deps, alice, created.call.id);
    expect(result.call.state).toBe('admitted');
    expect(result.meetingError).toBeInstanceOf(Error);
  });
});
