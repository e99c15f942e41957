import { isTerminal, type Actor, type CallEventType, type CallState } from './call';

/** The state every new call starts in: a link issued, nobody claimed it. */
export const INITIAL_STATE: CallState = 'scheduled';

/**
 * What can be done to a call.
 * - `claim`: the customer's own POST with a name.
 * - `abandon`: the customer chose to leave the lobby.
 * - `time-out`: the customer's wait ran out (the lobby timeout or the link's expiry).
 * - `extend`: the customer's "I'm still here" (the state stays; the lobby timeout counts again from
 *   now). An agent's `message` to the waiting customer ("I'll be with you in 2 minutes") extends the
 *   wait the same way.
 * - `join`: the customer was seen in the call.
 * - `end`: the customer's Leave, the agent ending a running call, or the meeting being over.
 * - `message`: a short note on the waiting customer's page (the state stays; the wait is extended).
 * - `lock-lobby`: the Teams lobby was locked again after an admission (the state stays).
 * - `report-meeting`: a meeting step failed for good after its retries (the state stays).
 * - `reissue`: the agent replaced the link; the old call dies (or stays dead).
 */
export type CallAction =
  | 'claim'
  | 'admit'
  | 'decline'
  | 'abandon'
  | 'time-out'
  | 'extend'
  | 'revoke'
  | 'expire'
  | 'join'
  | 'end'
  | 'message'
  | 'lock-lobby'
  | 'report-meeting'
  | 'reissue';

/** The kinds of actor that make moves. */
export type ActorKind = Actor['kind'];

/** One action of the machine: for each state it may start from, the state it leads to. */
export type Transition = {
  /**
   * From-state → state after the move. A state that is not listed refuses the action. A move to
   * the same state keeps the state (the call's version still grows).
   */
  readonly moves: Readonly<Partial<Record<CallState, CallState>>>;
  /** Who may make the move. */
  readonly by: readonly ActorKind[];
  /** The event the move appends to the call's log. */
  readonly event: CallEventType;
};

/**
 * The state machine of docs/DESIGN.md: which actor may make which move from which state. Every change
 * of a stored call goes through it (`moveCall` in the use-case layer); the tab's and the card's
 * buttons come from {@link allowedActions} and {@link agentControls}.
 */
export const TRANSITIONS = {
  claim: { moves: { scheduled: 'waiting' }, by: ['customer'], event: 'claimed' },
  admit: { moves: { waiting: 'admitted' }, by: ['agent'], event: 'admitted' },
  decline: { moves: { waiting: 'declined' }, by: ['agent'], event: 'declined' },
  abandon: { moves: { waiting: 'abandoned' }, by: ['customer', 'system'], event: 'abandoned' },
  'time-out': { moves: { waiting: 'timed_out' }, by: ['system'], event: 'timed-out' },
  extend: { moves: { waiting: 'waiting' }, by: ['customer'], event: 'lobby-extended' },
  revoke: { moves: { scheduled: 'revoked', waiting: 'revoked' }, by: ['agent'], event: 'revoked' },
  expire: { moves: { scheduled: 'expired' }, by: ['system'], event: 'expired' },
  join: { moves: { admitted: 'in_call' }, by: ['customer', 'system'], event: 'joined' },
  end: {
    moves: { admitted: 'ended', in_call: 'ended' },
    by: ['customer', 'agent', 'system'],
    event: 'ended',
  },
  message: { moves: { waiting: 'waiting' }, by: ['agent'], event: 'lobby-message' },
  'lock-lobby': { moves: { admitted: 'admitted' }, by: ['system'], event: 'lobby-locked' },
  // Recorded in any state: a close can fail after the call died.
  'report-meeting': {
    moves: {
      scheduled: 'scheduled',
      waiting: 'waiting',
      admitted: 'admitted',
      in_call: 'in_call',
      ended: 'ended',
      declined: 'declined',
      revoked: 'revoked',
      expired: 'expired',
      abandoned: 'abandoned',
    },
    by: ['system'],
    event: 'meeting-sync-failed',
  },
  reissue: {
    // A live link dies with its replacement; a dead one stays as it died.
    moves: {
      scheduled: 'revoked',
      waiting: 'revoked',
      admitted: 'ended',
      in_call: 'ended',
      ended: 'ended',
      declined: 'declined',
      revoked: 'revoked',
      expired: 'expired',
      abandoned: 'abandoned',
      timed_out: 'timed_out',
    },
    by: ['agent'],
    event: 'reissued',
  },
} as const satisfies Record<CallAction, Transition>;

/** Every action, in table order. */
export const CALL_ACTIONS = Object.keys(TRANSITIONS) as CallAction[];

/** Why a move was refused. */
export type TransitionRefusal = 'wrong-state' | 'wrong-actor';

/** The outcome of asking the machine: the state after the move, or why it is refused. */
export type TransitionCheck =
  | { readonly ok: true; readonly to: CallState }
  | { readonly ok: false; readonly reason: TransitionRefusal };

/** The state `action` leads to from `state`; `undefined` when the action cannot start there. */
export function nextState(state: CallState, action: CallAction): CallState | undefined {
  const moves: Transition['moves'] = TRANSITIONS[action].moves;
  return moves[state];
}

/** The states `action` may start from (the compare-and-set's expected states). */
export function fromStates(action: CallAction): CallState[] {
  return Object.keys(TRANSITIONS[action].moves) as CallState[];
}

/** Checks whether `actor` may apply `action` to a call in `state`. Pure; stores do the atomic part. */
export function checkTransition(
  state: CallState,
  action: CallAction,
  actor: ActorKind,
): TransitionCheck {
  const rule: Transition = TRANSITIONS[action];
  if (!rule.by.includes(actor)) return { ok: false, reason: 'wrong-actor' };
  const to = nextState(state, action);
  return to === undefined ? { ok: false, reason: 'wrong-state' } : { ok: true, to };
}

/** The actions `actor` could take on a call in `state`, in table order. */
export function allowedActions(state: CallState, actor: ActorKind): CallAction[] {
  return CALL_ACTIONS.filter((action) => checkTransition(state, action, actor).ok);
}

/**
 * Where a call stands, as the people looking at it see it; derived from the table.
 * - `open`: the link waits for its customer (the customer may claim it);
 * - `lobby`: the customer waits for the agent's decision (the agent may admit);
 * - `live`: the customer was let in and the call may still be ended;
 * - `over`: the link is dead for good.
 */
export type CallPhase = 'open' | 'lobby' | 'live' | 'over';

/** The phase of a call in `state`. */
export function callPhase(state: CallState): CallPhase {
  if (isTerminal(state)) return 'over';
  if (checkTransition(state, 'claim', 'customer').ok) return 'open';
  if (checkTransition(state, 'admit', 'agent').ok) return 'lobby';
  return 'live';
}

/**
 * Whether the customer was let in but nobody has seen them in the call yet (the table still allows
 * `join`): the agent's own "Join meeting" is then the next thing to do, so screens and cards put it
 * first.
 */
export function awaitsJoin(state: CallState): boolean {
  return nextState(state, 'join') !== undefined;
}

/**
 * The system's move for a call past its time, by state: an unclaimed link past expiry expires, a
 * customer waiting past the lobby timeout (or the link's expiry) times out, a running call past the
 * meeting's end and grace ends. The sweeper makes these moves; the customer's page shows their
 * result before the sweeper has run.
 */
export const OVERDUE_ACTION = {
  open: 'expire',
  lobby: 'time-out',
  live: 'end',
  over: undefined,
} as const satisfies Record<CallPhase, CallAction | undefined>;

/** What an agent can be offered on a screen or a card. */
export type AgentControl = 'admit' | 'decline' | 'message' | 'end' | 'revoke' | 'reissue';

/** Where controls are shown: the tab's call list, the lobby card, the bot's compact list card. */
export type ControlSurface = 'tab' | 'card' | 'list-card';

/**
 * The UI policy on top of the table: which allowed moves a person is offered where, and why.
 * - `hiddenInPhase.lobby`: while the customer waits, offer Decline rather than Revoke (the customer
 *   is told why), and no reissue (decide first; a new link would silently drop the waiting one).
 * - `hiddenInPhase.live`: no reissue while the customer is admitted or in the call: it would end
 *   the live call from a button that reads like a harmless "send" (issue 14). End it first.
 * - `surfaces`: a card offers only the lobby decisions; the compact list card only Admit.
 * - `reissueOnce`: a call that was replaced offers no second replacement.
 */
export const AGENT_UI_POLICY = {
  hiddenInPhase: {
    open: [],
    lobby: ['revoke', 'reissue'],
    live: ['reissue'],
    over: [],
  },
  surfaces: {
    tab: ['admit', 'decline', 'message', 'end', 'revoke', 'reissue'],
    card: ['admit', 'decline', 'message'],
    'list-card': ['admit'],
  },
  reissueOnce: true,
} as const satisfies {
  readonly hiddenInPhase: Record<CallPhase, readonly AgentControl[]>;
  readonly surfaces: Record<ControlSurface, readonly AgentControl[]>;
  readonly reissueOnce: boolean;
};

const isControl = (action: CallAction): action is AgentControl =>
  (AGENT_UI_POLICY.surfaces.tab as readonly CallAction[]).includes(action);

/**
 * The controls to offer an agent for a call on `surface`: the agent's allowed actions, filtered by
 * {@link AGENT_UI_POLICY}. In table order.
 */
export function agentControls(
  call: { readonly state: CallState; readonly reissuedTo?: string | undefined },
  surface: ControlSurface,
): AgentControl[] {
  const hidden: readonly AgentControl[] = AGENT_UI_POLICY.hiddenInPhase[callPhase(call.state)];
  const shown: readonly AgentControl[] = AGENT_UI_POLICY.surfaces[surface];
  return allowedActions(call.state, 'agent')
    .filter(isControl)
    .filter((control) => shown.includes(control) && !hidden.includes(control))
    .filter(
      (control) => !(control === 'reissue' && AGENT_UI_POLICY.reissueOnce && call.reissuedTo),
    );
}
