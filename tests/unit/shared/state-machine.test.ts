import {
  AppError,
  CALL_STATES,
  admitCall,
  agentControls,
  allowedActions,
  callPhase,
  claimLink,
  createCall,
  declineCall,
  endCallByAgent,
  leaveCall,
  markPresent,
  moveCall,
  reissueCall,
  revokeCall,
  sendLobbyMessage,
  sweepDueCalls,
  asAadObjectId,
  type AgentPrincipal,
  type CallState,
} from '@shared';
import { fakeDeps } from '../../fakes/fake-deps';

// The machine is tested through what people can do: every use case tried on a call in every state,
// the call brought there by the use cases themselves. No copy of the table: the expectations are
// the sentences of DESIGN.md ("Call states"), written as outcomes.

const alice: AgentPrincipal = { id: asAadObjectId('alice'), name: 'Alice' };

type World = Awaited<ReturnType<typeof callIn>>;

/** A call brought into `state` by the use cases, with the handles to act on it. */
async function callIn(state: CallState) {
  const f = fakeDeps();
  const created = await createCall(f.deps, alice, { durationMinutes: 30 });
  const id = created.call.id;
  const code = created.code;
  let token: string | undefined;
  const claim = async () => {
    token = (await claimLink(f.deps, code, 'Anna', undefined)).claimToken;
  };
  switch (state) {
    case 'scheduled':
      break;
    case 'waiting':
      await claim();
      break;
    case 'admitted':
      await claim();
      await admitCall(f.deps, alice, id);
      break;
    case 'in_call':
      await claim();
      await admitCall(f.deps, alice, id);
      await markPresent(f.deps, code, token);
      break;
    case 'ended':
      await claim();
      await admitCall(f.deps, alice, id);
      await endCallByAgent(f.deps, alice, id);
      break;
    case 'declined':
      await claim();
      await declineCall(f.deps, alice, id, undefined);
      break;
    case 'revoked':
      await revokeCall(f.deps, alice, id);
      break;
    case 'expired':
      f.clock.advance(2 * 3600);
      await sweepDueCalls(f.deps);
      f.clock.advance(-2 * 3600);
      break;
    case 'abandoned':
      await claim();
      await leaveCall(f.deps, code, token);
      break;
    case 'timed_out':
      await claim();
      f.clock.advance(16 * 60);
      await sweepDueCalls(f.deps);
      f.clock.advance(-16 * 60);
      break;
  }
  expect((await f.store.get(id))?.state).toBe(state);
  f.meetings.calls.length = 0;
  return { ...f, id, code, token: () => token };
}

/** What a use case did: the state it left the call in, or the code it was refused with. */
async function outcome(world: World, act: () => Promise<unknown>): Promise<string> {
  try {
    await act();
  } catch (error) {
    if (error instanceof AppError) return `refused:${error.code}`;
    throw error;
  }
  return (await world.store.get(world.id))!.state;
}

const AGENT_USE_CASES = {
  admit: (w: World) => admitCall(w.deps, alice, w.id),
  decline: (w: World) => declineCall(w.deps, alice, w.id, 'Sorry'),
  revoke: (w: World) => revokeCall(w.deps, alice, w.id),
  end: (w: World) => endCallByAgent(w.deps, alice, w.id),
  message: (w: World) => sendLobbyMessage(w.deps, alice, w.id, 'Two minutes'),
  reissue: (w: World) => reissueCall(w.deps, alice, w.id),
} as const;

const conflict = 'refused:state-conflict';
const TERMINAL_ROW = {
  admit: conflict,
  decline: conflict,
  revoke: conflict,
  end: conflict,
  message: conflict,
  // A dead link can be replaced; it stays as it died.
  reissue: 'same',
} as const;

// What each of the agent's use cases does to a call in each state.
const AGENT_EXPECTED: Record<CallState, Record<keyof typeof AGENT_USE_CASES, string>> = {
  scheduled: {
    admit: conflict,
    decline: conflict,
    revoke: 'revoked',
    end: conflict,
    message: conflict,
    reissue: 'revoked',
  },
  waiting: {
    admit: 'admitted',
    decline: 'declined',
    revoke: 'revoked',
    end: conflict,
    message: 'waiting',
    reissue: 'revoked',
  },
  admitted: {
    admit: conflict,
    decline: conflict,
    revoke: conflict,
    end: 'ended',
    message: conflict,
    reissue: 'ended',
  },
  in_call: {
    admit: conflict,
    decline: conflict,
    revoke: conflict,
    end: 'ended',
    message: conflict,
    reissue: 'ended',
  },
  ended: TERMINAL_ROW,
  declined: TERMINAL_ROW,
  revoked: TERMINAL_ROW,
  expired: TERMINAL_ROW,
  abandoned: TERMINAL_ROW,
  timed_out: TERMINAL_ROW,
};

const agentCases = CALL_STATES.flatMap((state) =>
  (Object.keys(AGENT_USE_CASES) as (keyof typeof AGENT_USE_CASES)[]).map(
    (action) => [action, state] as const,
  ),
);

describe('what an agent can do to a call, state by state', () => {
  it.each(agentCases)('%s on a %s call', async (action, state) => {
    const world = await callIn(state);
    const before = (await world.store.events(world.id)).length;
    const expected = AGENT_EXPECTED[state][action];
    const result = await outcome(world, () => AGENT_USE_CASES[action](world));
    expect(result).toBe(expected === 'same' ? state : expected);
    const events = await world.store.events(world.id);
    if (result.startsWith('refused')) {
      // A refusal changes nothing stored and asks nothing of the meeting.
      expect(events).toHaveLength(before);
      expect(world.meetings.ops()).toEqual([]);
    } else {
      // Every move is in the log, saying from where to where.
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({ fromState: state, toState: result });
    }
  });

  it('answers a refusal with the state the call is in', async () => {
    const world = await callIn('ended');
    await expect(admitCall(world.deps, alice, world.id)).rejects.toMatchObject({
      code: 'state-conflict',
      details: { state: 'ended' },
    });
  });
});

describe('what a customer can do to a call, state by state', () => {
  // Leave: a waiting customer abandons, a customer let in ends the call, a dead call stays dead.
  const LEAVE: Partial<Record<CallState, CallState>> = {
    waiting: 'abandoned',
    admitted: 'ended',
    in_call: 'ended',
    ended: 'ended',
    declined: 'declined',
    abandoned: 'abandoned',
  };
  it.each(Object.entries(LEAVE))('Leave from %s leaves the call %s', async (state, after) => {
    const world = await callIn(state as CallState);
    const left = await leaveCall(world.deps, world.code, world.token());
    expect(left.state).toBe(after);
    expect((await world.store.get(world.id))?.state).toBe(after);
  });

  // Present: only an admitted customer moves the call into `in_call`; nothing else changes.
  const PRESENT: Partial<Record<CallState, CallState>> = {
    waiting: 'waiting',
    admitted: 'in_call',
    in_call: 'in_call',
    declined: 'declined',
    ended: 'ended',
  };
  it.each(Object.entries(PRESENT))('being seen in the call from %s: %s', async (state, after) => {
    const world = await callIn(state as CallState);
    await markPresent(world.deps, world.code, world.token());
    expect((await world.store.get(world.id))?.state).toBe(after);
  });

  it.each(CALL_STATES.filter((s) => s !== 'scheduled'))(
    'nobody can claim a %s link',
    async (state) => {
      const world = await callIn(state);
      const result = await outcome(world, () =>
        claimLink(world.deps, world.code, 'Mallory', undefined),
      );
      expect(result).toMatch(/^refused:(claimed-elsewhere|link-dead)$/);
    },
  );

  it('only the customer claims, and the system cannot admit', async () => {
    const world = await callIn('waiting');
    const call = (await world.store.get(world.id))!;
    const claimByAgent = await moveCall(world.deps, call, {
      actor: { kind: 'agent', id: alice.id, name: alice.name },
      action: 'claim',
    });
    const admitBySystem = await moveCall(world.deps, call, {
      actor: { kind: 'system' },
      action: 'admit',
    });
    expect(claimByAgent).toMatchObject({ ok: false, reason: 'wrong-actor' });
    expect(admitBySystem).toMatchObject({ ok: false, reason: 'wrong-actor' });
    expect((await world.store.get(world.id))?.version).toBe(call.version);
  });
});

describe('what the system does to calls past their time', () => {
  const SWEPT: Record<CallState, CallState> = {
    scheduled: 'expired',
    waiting: 'timed_out',
    admitted: 'ended',
    in_call: 'ended',
    ended: 'ended',
    declined: 'declined',
    revoked: 'revoked',
    expired: 'expired',
    abandoned: 'abandoned',
    timed_out: 'timed_out',
  };
  it.each(Object.entries(SWEPT))('a %s call past its time becomes %s', async (state, after) => {
    const world = await callIn(state as CallState);
    world.clock.advance(3 * 3600);
    await sweepDueCalls(world.deps);
    expect((await world.store.get(world.id))?.state).toBe(after);
  });
});

describe('the meeting follows the call', () => {
  it('opens for an admission, is locked once the customer is in, and closes when the call dies', async () => {
    const world = await callIn('waiting');
    await admitCall(world.deps, alice, world.id);
    await markPresent(world.deps, world.code, world.token());
    await leaveCall(world.deps, world.code, world.token());
    expect(world.meetings.ops()).toEqual(['admit', 'lockLobby', 'close']);
  });

  it('is closed once, however many moves the dead call sees', async () => {
    const world = await callIn('waiting');
    await declineCall(world.deps, alice, world.id, undefined);
    await leaveCall(world.deps, world.code, world.token());
    await reissueCall(world.deps, alice, world.id);
    // The reissue creates the replacement's meeting; the declined call's was closed once.
    expect(world.meetings.ops()).toEqual(['close', 'create']);
  });
});

describe('the buttons people are offered', () => {
  it('come from the agent moves the table allows, less the UI policy', () => {
    for (const state of CALL_STATES) {
      for (const control of agentControls({ state }, 'tab'))
        expect(allowedActions(state, 'agent')).toContain(control);
    }
  });

  it('offer Decline rather than Revoke, and no new link, while the customer waits', () => {
    expect(agentControls({ state: 'waiting' }, 'tab')).toEqual(['admit', 'decline', 'message']);
  });

  it('offer Revoke and a new link for an unused link, End (and no new link) for a running call', () => {
    expect(agentControls({ state: 'scheduled' }, 'tab')).toEqual(['revoke', 'reissue']);
    expect(agentControls({ state: 'in_call' }, 'tab')).toEqual(['end']);
    expect(agentControls({ state: 'ended' }, 'tab')).toEqual(['reissue']);
  });

  it('offer no second replacement of a replaced call', () => {
    expect(agentControls({ state: 'revoked', reissuedTo: 'c2' }, 'tab')).toEqual([]);
  });

  it('keep the lobby decisions on cards, and Admit alone on the compact list', () => {
    expect(agentControls({ state: 'waiting' }, 'card')).toEqual(['admit', 'decline', 'message']);
    expect(agentControls({ state: 'admitted' }, 'card')).toEqual([]);
    expect(agentControls({ state: 'waiting' }, 'list-card')).toEqual(['admit']);
  });

  it('group the states into the phases people see', () => {
    expect(CALL_STATES.map(callPhase)).toEqual([
      'open',
      'lobby',
      'live',
      'live',
      'over',
      'over',
      'over',
      'over',
      'over',
      'over',
    ]);
  });
});
