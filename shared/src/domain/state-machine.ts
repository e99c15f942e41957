import type { Actor, CallState } from './call';

/** What can be done to a call. */
export type CallAction =
  'claim' | 'admit' | 'decline' | 'abandon' | 'revoke' | 'expire' | 'join' | 'end' | 'message';

/** One allowed move: from which states, to which state, and which kinds of actor may make it. */
export type Transition = {
  readonly from: readonly CallState[];
  /** `undefined`: the state stays (a lobby message). */
  readonly to: CallState | undefined;
  readonly by: readonly Actor['kind'][];
};

/**
 * The state machine of DESIGN.md. `abandon` is the customer closing the lobby or the lobby timing
 * out; `join` is the customer seen in the call; `end` is the customer's Leave, the agent ending an
 * admitted call, or the system closing a call whose meeting is over.
 */
export const TRANSITIONS = {
  claim: { from: ['scheduled'], to: 'waiting', by: ['customer'] },
  admit: { from: ['waiting'], to: 'admitted', by: ['agent'] },
  decline: { from: ['waiting'], to: 'declined', by: ['agent'] },
  abandon: { from: ['waiting'], to: 'abandoned', by: ['customer', 'system'] },
  revoke: { from: ['scheduled', 'waiting'], to: 'revoked', by: ['agent'] },
  expire: { from: ['scheduled'], to: 'expired', by: ['system'] },
  join: { from: ['admitted'], to: 'in_call', by: ['customer', 'system'] },
  end: { from: ['admitted', 'in_call'], to: 'ended', by: ['customer', 'agent', 'system'] },
  message: { from: ['waiting'], to: undefined, by: ['agent'] },
} as const satisfies Record<CallAction, Transition>;

/** Every action, for exhaustive tests and tables. */
export const CALL_ACTIONS = Object.keys(TRANSITIONS) as CallAction[];

/** Why a move was refused. */
export type TransitionRefusal = 'wrong-state' | 'wrong-actor';

/** The outcome of asking the machine: the state after the move, or why it is refused. */
export type TransitionCheck =
  | { readonly ok: true; readonly from: readonly CallState[]; readonly to: CallState | undefined }
  | { readonly ok: false; readonly reason: TransitionRefusal };

/** Checks whether `actor` may apply `action` to a call in `state`. Pure; stores do the atomic part. */
export function checkTransition(
  state: CallState,
  action: CallAction,
  actor: Actor['kind'],
): TransitionCheck {
  const rule: Transition = TRANSITIONS[action];
  if (!rule.by.includes(actor)) return { ok: false, reason: 'wrong-actor' };
  if (!rule.from.includes(state)) return { ok: false, reason: 'wrong-state' };
  return { ok: true, from: rule.from, to: rule.to };
}

/** The actions an actor could take on a call in `state` (drives which buttons a card or tab shows). */
export function allowedActions(state: CallState, actor: Actor['kind']): CallAction[] {
  return CALL_ACTIONS.filter((action) => checkTransition(state, action, actor).ok);
}
