import type { CallRecord, CallState } from '../domain/call';
import { customerMeetingUrl, isTerminal } from '../domain/call';
import { base64Url, isLinkCodeShape } from '../domain/link-code';
import { TRANSITIONS } from '../domain/state-machine';
import type { CustomerStatus } from '../contracts/customer';
import { AppError } from '../errors';
import { isoPlus, type CallDeps } from './context';
import { followCall } from './follow-call';

/** The state a customer should be shown: a past-due link reads as expired/abandoned before the sweeper runs. */
export function effectiveState(call: CallRecord, deps: CallDeps): CallState {
  const now = deps.clock.now().toISOString();
  if (call.state === 'scheduled' && call.expiresAt <= now) return 'expired';
  if (call.state === 'waiting') {
    const timeout = isoPlus(call.claimedAt ?? call.updatedAt, deps.settings.lobbyTimeoutSeconds);
    if (timeout <= now || call.expiresAt <= now) return 'abandoned';
  }
  if ((call.state === 'admitted' || call.state === 'in_call') && call.expiresAt <= now)
    return 'ended';
  return call.state;
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
  const call = await findByCode(deps, code);
  if (claimToken && isClaimant(deps, call, claimToken)) {
    return { call, claimToken, fresh: false };
  }
  const shown = effectiveState(call, deps);
  if (isTerminal(shown)) throw deadLink(call, shown);
  if (shown !== 'scheduled') throw new AppError('claimed-elsewhere', 'Link already claimed');
  const now = deps.clock.now().toISOString();
  if (now < claimOpensAt(deps, call)) {
    throw new AppError('too-early', 'The call has not opened yet', {
      details: { opensAt: claimOpensAt(deps, call) },
    });
  }
  const token = base64Url(deps.random.bytes(32));
  const result = await deps.store.transition({
    id: call.id,
    expected: TRANSITIONS.claim.from,
    to: 'waiting',
    patch: { customerName: name, claimTokenHash: deps.hasher.sha256Hex(token), claimedAt: now },
    event: {
      type: 'claimed',
      at: now,
      actor: { kind: 'customer' },
      fromState: 'scheduled',
      toState: 'waiting',
    },
    at: now,
  });
  if (!result.ok) {
    const current = result.current;
    if (current && isTerminal(current.state)) throw deadLink(current, current.state);
    throw new AppError('claimed-elsewhere', 'Link claimed by another browser');
  }
  await deps.bus.publish({ call: result.call, event: result.event });
  return { call: result.call, claimToken: token, fresh: true };
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
  if (!isClaimant(deps, call, claimToken)) {
    if (call.state === 'scheduled')
      throw new AppError('forbidden', 'This browser has not joined yet');
    throw new AppError('claimed-elsewhere', 'Link claimed by another browser');
  }
  return call;
}

/** `GET /j/:code/status` for the claiming browser. Only it learns where to go once admitted. */
export async function customerStatus(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CustomerStatus> {
  const call = await loadForClaimant(deps, code, claimToken);
  const state = effectiveState(call, deps);
  const now = deps.clock.now().getTime();
  const next =
    state === 'admitted' || state === 'in_call'
      ? (customerMeetingUrl(call.meeting) ?? `${deps.settings.publicBaseUrl}/j/${code}/call`)
      : undefined;
  return {
    state,
    version: call.version,
    title: call.title,
    agentName: call.agent.name,
    ...(call.claimedAt ? { claimedAt: call.claimedAt } : {}),
    ...(state === 'waiting' && call.claimedAt
      ? { waitedSeconds: Math.max(0, Math.floor((now - Date.parse(call.claimedAt)) / 1000)) }
      : {}),
    ...(call.lobbyMessage && state === 'waiting' ? { lobbyMessage: call.lobbyMessage } : {}),
    ...(state === 'declined' && call.declineReason ? { declineReason: call.declineReason } : {}),
    ...(next ? { next } : {}),
  };
}

/** The customer pressed Leave (and confirmed): a waiting customer abandons, an admitted one ends the call. */
export async function leaveCall(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CallRecord> {
  const call = await loadForClaimant(deps, code, claimToken);
  if (isTerminal(call.state)) return call;
  const action = call.state === 'waiting' ? 'abandon' : 'end';
  return (await followCall(deps, call, action, { kind: 'customer' })).call;
}

/** The admitted customer's call page loaded: the customer is in the call. Idempotent. */
export async function markPresent(
  deps: CallDeps,
  code: string,
  claimToken: string | undefined,
): Promise<CallRecord> {
  const call = await loadForClaimant(deps, code, claimToken);
  if (call.state !== 'admitted') return call;
  return (await followCall(deps, call, 'join', { kind: 'customer' })).call;
}
