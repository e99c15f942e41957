import { SILENT_EVENTS, createCall, notificationsFor } from '@shared';
import { ALICE, aWaitingCall, aWorld } from './world';

// The lobby cards' worker is not woken by these events (CardDelivery.wakesFor): they must be the
// ones that never call for a card, whatever the call's state.

describe('SILENT_EVENTS', () => {
  it('are events that call for no notification, before and after a claim', async () => {
    const { deps } = aWorld();
    const fresh = await createCall(deps, ALICE, { title: 'Not claimed' });
    const waiting = await aWaitingCall(deps, ALICE);
    for (const callId of [fresh.call.id, waiting.call.id]) {
      const [created] = await deps.store.events(callId);
      for (const type of SILENT_EVENTS) {
        await expect(
          notificationsFor(deps, { ...created!, type }, { escalationSeconds: 60 }),
        ).resolves.toEqual([]);
      }
    }
  });
});
