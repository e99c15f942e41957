import {
  admitCall,
  agentSide,
  asAadObjectId,
  claimLink,
  createCall,
  customerSide,
  openCallSession,
  readSignals,
  type AgentPrincipal,
} from '@shared';
import { InMemoryCallSignalStore } from '../../../bot/src/adapters/system/in-memory-call-signal-store';
import { fakeDeps } from '../../fakes/fake-deps';

// The browser call's use cases on fakes: what a live stream needs to know about the peer.

const alice: AgentPrincipal = { id: asAadObjectId('alice'), name: 'Alice' };

async function seatedCall() {
  const f = fakeDeps({
    room: {
      signals: new InMemoryCallSignalStore(),
      ice: { forCall: () => [] },
      settings: { reconnectSeconds: 120, iceTransportPolicy: 'all' },
    },
  });
  const created = await createCall(f.deps, alice, {});
  const claim = await claimLink(f.deps, created.code, 'Anna', undefined);
  await admitCall(f.deps, alice, created.call.id);
  const customer = await customerSide(f.deps, created.code, claim.claimToken);
  const customerSession = await openCallSession(f.deps, customer, undefined);
  const agent = await agentSide(f.deps, alice, created.call.id);
  const agentSession = await openCallSession(f.deps, agent, undefined);
  return { f, created, claim, customerSession, agentSession };
}

describe('reading the other side', () => {
  it('says when a present peer turns stale, so a stream can look again then', async () => {
    const { f, created, claim, customerSession, agentSession } = await seatedCall();
    const seatedAt = f.clock.now();
    f.clock.advance(12);
    const side = await customerSide(f.deps, created.code, claim.claimToken);
    const snapshot = await readSignals(f.deps, side, customerSession.sessionId, 0);
    expect(snapshot.peer).toEqual({ present: true, sessionId: agentSession.sessionId });
    expect(snapshot.peerStaleAt).toBe(new Date(seatedAt.getTime() + 30_000).toISOString());
    f.clock.advance(19);
    const later = await readSignals(f.deps, side, customerSession.sessionId, 0);
    expect(later.peer).toEqual({ present: false, sessionId: agentSession.sessionId });
    expect(later.peerStaleAt).toBeUndefined();
  });

  it('reads a finished call as its state, and a superseded session as replaced', async () => {
    const { f, created, claim, customerSession } = await seatedCall();
    const side = await customerSide(f.deps, created.code, claim.claimToken);
    await expect(readSignals(f.deps, side, 'someone-else-000000', 0)).resolves.toMatchObject({
      replaced: true,
      messages: [],
    });
    const ended = { ...side, state: 'ended' as const };
    await expect(readSignals(f.deps, ended, customerSession.sessionId, 0)).resolves.toEqual({
      state: 'ended',
      peer: { present: false, sessionId: null },
      messages: [],
      replaced: false,
    });
  });
});
