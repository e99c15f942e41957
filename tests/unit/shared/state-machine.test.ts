import {
  CALL_ACTIONS,
  CALL_STATES,
  TERMINAL_STATES,
  TRANSITIONS,
  allowedActions,
  checkTransition,
  type Actor,
  type CallAction,
  type CallState,
} from '@shared';

const ACTORS: Actor['kind'][] = ['agent', 'customer', 'system'];

// The DESIGN.md table, written out independently of TRANSITIONS so a change to one is caught.
const EXPECTED: Record<
  CallAction,
  { from: CallState[]; to: CallState | undefined; by: Actor['kind'][] }
> = {
  claim: { from: ['scheduled'], to: 'waiting', by: ['customer'] },
  admit: { from: ['waiting'], to: 'admitted', by: ['agent'] },
  decline: { from: ['waiting'], to: 'declined', by: ['agent'] },
  abandon: { from: ['waiting'], to: 'abandoned', by: ['customer', 'system'] },
  revoke: { from: ['scheduled', 'waiting'], to: 'revoked', by: ['agent'] },
  expire: { from: ['scheduled'], to: 'expired', by: ['system'] },
  join: { from: ['admitted'], to: 'in_call', by: ['customer', 'system'] },
  end: { from: ['admitted', 'in_call'], to: 'ended', by: ['customer', 'agent', 'system'] },
  message: { from: ['waiting'], to: undefined, by: ['agent'] },
};

const every = CALL_ACTIONS.flatMap((action) =>
  CALL_STATES.flatMap((state) => ACTORS.map((actor) => [action, state, actor] as const)),
);

describe('call state machine', () => {
  it('knows exactly the actions of the design', () => {
    expect([...CALL_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(every)('%s from %s by %s follows the design table', (action, state, actor) => {
    const rule = EXPECTED[action];
    const result = checkTransition(state, action, actor);
    if (!rule.by.includes(actor)) {
      expect(result).toEqual({ ok: false, reason: 'wrong-actor' });
    } else if (!rule.from.includes(state)) {
      expect(result).toEqual({ ok: false, reason: 'wrong-state' });
    } else {
      expect(result).toEqual({ ok: true, from: TRANSITIONS[action].from, to: rule.to });
    }
  });

  it.each(TERMINAL_STATES)('allows nothing at all once a call is %s', (state) => {
    for (const actor of ACTORS) expect(allowedActions(state, actor)).toEqual([]);
  });

  it('offers an agent admit, decline, revoke and a message while the customer waits', () => {
    expect(allowedActions('waiting', 'agent').sort()).toEqual([
      'admit',
      'decline',
      'message',
      'revoke',
    ]);
  });

  it('lets only the customer claim a link', () => {
    expect(allowedActions('scheduled', 'customer')).toEqual(['claim']);
  });
});
