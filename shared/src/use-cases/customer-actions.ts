import type { CallRecord, CallState } from '../domain/call';
import { customerMeetingUrl, isTerminal } from '../domain/call';
import { base64Url, isLinkCodeShape } from '../domain/link-code';
import { OVERDUE_ACTION, callPhase, nextState, type CallAction } from '../domain/state-machine';
import type { CustomerStatus } from '../contracts/customer';
import { AppError } from '../errors';
import { isoPlus, type CallDeps } from './context';
import { moveCall } from './move-call';

/**
 * When a waiting customer's wait runs out: `lobbyTimeoutSeconds` after the wait started or was last
 * extended, and never after the link's expiry.
 */
export function lobbyDeadline(
  call: CallRecord,
  settings: Pick<CallDeps['settings'], 'lobbyTimeoutSeconds'>,
): string {
  const since = call.lobbyExtendedAt ?? call.claimedAt ?? call.updatedAt;
  const timeout = isoPlus(since, settings.lobbyTimeoutSeconds);
  return timeout < call.expiresAt ? timeout : call.expiresAt;
}

/**
 * The system's move for a call that is past its time at `now` (see `OVERDUE_ACTION`), or
 * `undefined` while it is not. A lobby is past its time at its {@link lobbyDeadline}; every other
 * live call at its expiry.
 */
export function overdueAction(
  call: CallRecord,
  now: string,
  settings: Pick<CallDeps['settings'], 'lobbyTimeoutSeconds'>,
): CallAction | undefined {
  const phase = callPhase(call.state);
  const due = phase === 'lobby' ? lobbyDeadline(call, settings) <= now : call.expiresAt <= now;
  return due ? OVERDUE_ACTION[phase] : undefined;
}

/** The state a customer should be shown: a past-due link reads as expired/timed out before the sweeper runs. */
export function effectiveState(call: CallRecord, deps: CallDeps): CallState {
  const action = overdueAction(call, deps.clock.now().toISOString(), deps.settings);
  return (action && nextState(call.state, action)) ?? call.state;
}

/** The call behind a link code. Unknown and malformed codes look the same: `not-found`. Changes nothing. */
export async function findByCode(deps: CallDeps, code: string): Promise<CallRecord> {
  const call = isLinkCodeShape(code)
    ? await deps.store.getByCodeHash(deps.hasher.sha256Hex(code))
    : undefined;
  if (!call) throw new AppError('not-found', 'Unknown link');
  return call;
}

/** True when `claimToken` is the one that claimed `call`. */
export function isClaimant(
  deps: CallDeps,
  call: CallRecord,
  claimToken: string | undefined,
): boolean {
  return (
    claimToken !== undefined &&
    call.claimTokenHash !== undefined &&
    deps.hasher.sha256Hex(claimToken) === call.claimTokenHash
  );
}

/** The first moment a customer may claim. */
export const claimOpensAt = (deps: CallDeps, call: CallRecord): string =>
  isoPlus(call.startsAt, -deps.settings.earlyJoinMinutes * 60);

/** The outcome of a claim: the lobby of this browser, and the token to put in its cookie. */
export type Claim = {
  readonly call: CallRecord;
  readonly claimToken: string;
  readonly fresh: boolean;
};

/**
 * `POST /j/:code`: the customer's own action. Of fifty browsers claiming at once exactly one wins;
 * the same browser (its claim cookie) is sent back to its lobby; everyone else gets
 * `claimed-elsewhere`, `link-dead` or `too-early`.
 */
export async function claimLink(
  deps: CallDeps,
  code: string,
  name: string,
  claimToken: string | undefined,
): Promise<Claim> {
  return claimCall(deps, await findByCode(deps, code), name, claimToken);
}

/**
 * {@link claimLink} for a call already looked up by its code (the request read it once). The
 * claim itself is a compare-and-set on the version read, so a call that moved since is refused
 * exactly as if it had been read again.
 */
export async function claimCall(
  deps: CallDeps,
  call: CallRecord,
  name: string,
  claimToken: string | undefined,
): Promise<Claim> {
  if (claimToken && isClaimant(deps, call, claimToken)) {
    return { call, claimToken, fresh: false };
  }
  const shown = effectiveState(call, deps);
  if (isTerminal(shown)) throw deadLink(call, shown);
  if (callPhase(shown) !== 'open') throw new AppError('claimed-elsewhere', 'Link already claimed');
  const now = deps.clock.now().toISOString();
  if (now < claimOpensAt(deps, call)) {
    throw new AppError('too-early', 'The call has not opened yet', {
      details: { opensAt: claimOpensAt(deps, call) },
    });
  }
  const token = base64Url(deps.random.bytes(32));
  const outcome = await moveCall(deps, call, {
    actor: { kind: 'customer' },
    action: 'claim',
    patch: (_action, at) => ({
      customerName: name,
      claimTokenHash: deps.hasher.sha256Hex(token),
      claimedAt: at,
    }),
  });
  if (!outcome.ok) {
    const current = outcome.call;
    if (!current) throw new AppError('not-found', 'Unknown link');
    if (isTerminal(current.state)) throw deadLink(current, current.state);
    throw new AppError('claimed-elsewhere', 'Link claimed by another browser');
  }
  return { call: outcome.call, claimToken: token, fresh: true };
}

/** A `link-dead` error that says why (the page shows it). */
export function deadLink(call: CallRecord, state: CallState): AppError {
  return new AppError('link-dead', `Link is ${state}`, { details: { state, callId: call.id } });
}

/** Loads the call of a claiming browser; anybody else is refused. */
export async function loadForClaimant(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CallRecord> {
  const call = await findByCode(deps, code);
  if (!isClaimant(deps, call, claimToken)) throw notClaimant(call);
  return call;
}

/** What anybody but the claiming browser is told about `call`. */
export function notClaimant(call: CallRecord): AppError {
  if (callPhase(call.state) === 'open')
    return new AppError('forbidden', 'This browser has not joined yet');
  return new AppError('claimed-elsewhere', 'Link claimed by another browser');
}

/** `GET /j/:code/status` for the claiming browser. Only it learns where to go once admitted. */
export async function customerStatus(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CustomerStatus> {
  return claimantStatus(deps, await loadForClaimant(deps, code, claimToken), code);
}

/** {@link customerStatus} of a call the caller already loaded and found claimed by this browser. */
export function claimantStatus(deps: CallDeps, call: CallRecord, code: string): CustomerStatus {
  const state = effectiveState(call, deps);
  const now = deps.clock.now().getTime();
  const phase = callPhase(state);
  const next =
    phase === 'live'
      ? (customerMeetingUrl(call.meeting) ?? `${deps.settings.publicBaseUrl}/j/${code}/call`)
      : undefined;
  return {
    state,
    phase,
    version: call.version,
    title: call.title,
    agentName: call.agent.name,
    ...(call.claimedAt ? { claimedAt: call.claimedAt } : {}),
    ...(phase === 'lobby' && call.claimedAt
      ? { waitedSeconds: Math.max(0, Math.floor((now - Date.parse(call.claimedAt)) / 1000)) }
      : {}),
    ...(call.lobbyMessage && phase === 'lobby' ? { lobbyMessage: call.lobbyMessage } : {}),
    ...(phase === 'lobby'
      ? {
          timeoutInSeconds: Math.max(
            0,
            Math.floor((Date.parse(lobbyDeadline(call, deps.settings)) - now) / 1000),
          ),
        }
      : {}),
    ...(state === 'declined' && call.declineReason ? { declineReason: call.declineReason } : {}),
    ...(next ? { next } : {}),
  };
}

/**
 * The customer's Leave, by the call's phase: a waiting customer abandons the lobby, an admitted one
 * ends the call; a dead call stays as it is. Decided again on the current state when the call moved
 * meanwhile, so a Leave raced by an Admit ends the admitted call instead of being lost.
 */
export const LEAVE_ACTION = {
  open: undefined,
  lobby: 'abandon',
  live: 'end',
  over: undefined,
} as const satisfies Record<ReturnType<typeof callPhase>, CallAction | undefined>;

/**
 * The customer pressed Leave (and confirmed). Resolves the call as stored afterwards: whatever the
 * customer is answered from it agrees with the store.
 */
export async function leaveCall(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CallRecord> {
  const call = await loadForClaimant(deps, code, claimToken);
  const outcome = await moveCall(deps, call, {
    actor: { kind: 'customer' },
    action: (current) => LEAVE_ACTION[callPhase(current.state)],
  });
  if (!outcome.call) throw new AppError('not-found', 'Unknown link');
  return outcome.call;
}

/** The admitted customer's call page loaded: the customer is in the call. Idempotent. */
export async function markPresent(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CallRecord> {
  const call = await loadForClaimant(deps, code, claimToken);
  const outcome = await moveCall(deps, call, {
    actor: { kind: 'customer' },
    // Only the first sign of the customer moves the call; later ones find it in the call already.
    action: (current) => (nextState(current.state, 'join') ? 'join' : undefined),
  });
  if (!outcome.call) throw new AppError('not-found', 'Unknown link');
  return outcome.call;
}

/**
 * The waiting customer's "I'm still here": the lobby timeout counts again from now (recorded in the
 * call's log as `lobby-extended`). Resolves the call as stored afterwards; a call that moved on
 * meanwhile (admitted, declined, timed out) is left as it is, and the page shows where it stands.
 */
export async function stillHere(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CallRecord> {
  const call = await loadForClaimant(deps, code, claimToken);
  const now = deps.clock.now().toISOString();
  const outcome = await moveCall(deps, call, {
    actor: { kind: 'customer' },
    // A wait that ran out already is not revived: the sweeper's time-out stands.
    action: (current) =>
      callPhase(current.state) === 'lobby' && !overdueAction(current, now, deps.settings)
        ? 'extend'
        : undefined,
    patch: (_action, at) => ({ lobbyExtendedAt: at }),
  });
  if (!outcome.call) throw new AppError('not-found', 'Unknown link');
  return outcome.call;
}
