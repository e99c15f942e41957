import {
  customerMeetingUrl,
  type CallRecord,
  type CallState,
  type LobbyMessage,
} from '../domain/call';
import { callPhase, nextState } from '../domain/state-machine';
import type { CallSettings } from './context';
import { isoPlus } from './context';
import { lobbyDeadline, overdueAction } from './customer-actions';

/** Why the customer's page says the link cannot be used: the call's end, or another browser's claim. */
export type CustomerDeadReason =
  | Extract<CallState, 'ended' | 'declined' | 'expired' | 'revoked' | 'abandoned' | 'timed_out'>
  | 'claimed-elsewhere';

/**
 * The page a customer's browser should see, decided from the call alone.
 * - `landing`: the name form (the link is open and may be claimed now);
 * - `too-early`: the link opens at `opensAt`;
 * - `lobby`: this browser waits for the agent;
 * - `call`: let in, our own call page;
 * - `teams-handoff`: let in, to the Teams meeting at `joinUrl` (revealed to this browser only);
 * - `dead`: the link cannot be used, and why (with the agent's decline reason, to the claimant).
 */
export type CustomerView =
  | { readonly page: 'landing'; readonly state: CallState; readonly opensAt: string }
  | { readonly page: 'too-early'; readonly state: CallState; readonly opensAt: string }
  | {
      readonly page: 'lobby';
      readonly state: CallState;
      readonly waitedSeconds: number;
      readonly lobbyMessage: LobbyMessage | undefined;
      /** Seconds until the wait times out unless the customer says "I'm still here". */
      readonly timeoutInSeconds: number;
      /** True within `lobbyWarningSeconds` of the time-out: the page asks "Are you still there?". */
      readonly warn: boolean;
      /**
       * True once the agent is known to have heard of the customer (the card was delivered, or the
       * agent's tab is open); until then the page says "we are letting your agent know".
       */
      readonly agentTold: boolean;
    }
  | { readonly page: 'call'; readonly state: CallState }
  | { readonly page: 'teams-handoff'; readonly state: CallState; readonly joinUrl: string }
  | {
      readonly page: 'dead';
      readonly state: CallState;
      readonly reason: CustomerDeadReason;
      readonly declineReason: string | undefined;
      /** Who to ask for a new link: the agent who made this one. */
      readonly agentName: string;
    };

/** The pages of {@link CustomerView}. */
export type CustomerPage = CustomerView['page'];

/** Who is looking: the browser that claimed the link, or anybody else. */
export type CustomerClaim = { readonly claimant: boolean };

/** The settings the view depends on. */
export type CustomerViewRules = Pick<
  CallSettings,
  'lobbyTimeoutSeconds' | 'earlyJoinMinutes' | 'lobbyWarningSeconds'
>;

/** What is known about the agent's side beyond the call itself. */
export type AgentAwareness = {
  /** The lobby card reached the agent, or the agent's tab is open. @default false */
  readonly told: boolean;
};

/**
 * The customer's page for `call` as seen by `claim` at `now` (with what is known of the agent's
 * side, `awareness`): one pure decision that every
 * customer route renders (after the ACS UI library's `getCallCompositePage`). A call past its time
 * is shown as the sweeper will leave it. Changes nothing.
 */
export function customerView(
  call: CallRecord,
  claim: CustomerClaim,
  now: Date,
  rules: CustomerViewRules,
  awareness: AgentAwareness = { told: false },
): CustomerView {
  const at = now.toISOString();
  const overdue = overdueAction(call, at, rules);
  const state = (overdue && nextState(call.state, overdue)) ?? call.state;
  const dead = (reason: CustomerDeadReason): CustomerView => ({
    page: 'dead',
    state,
    reason,
    declineReason: claim.claimant && state === 'declined' ? call.declineReason : undefined,
    agentName: call.agent.name,
  });
  switch (callPhase(state)) {
    case 'over':
      return dead(state as CustomerDeadReason);
    case 'open': {
      const opensAt = isoPlus(call.startsAt, -rules.earlyJoinMinutes * 60);
      return at < opensAt
        ? { page: 'too-early', state, opensAt }
        : { page: 'landing', state, opensAt };
    }
    case 'lobby': {
      if (!claim.claimant) return dead('claimed-elsewhere');
      const timeoutInSeconds = Math.max(
        0,
        Math.floor((Date.parse(lobbyDeadline(call, rules)) - now.getTime()) / 1000),
      );
      return {
        page: 'lobby',
        state,
        waitedSeconds: Math.max(
          0,
          Math.floor((now.getTime() - Date.parse(call.claimedAt ?? call.updatedAt)) / 1000),
        ),
        lobbyMessage: call.lobbyMessage,
        timeoutInSeconds,
        warn: timeoutInSeconds <= rules.lobbyWarningSeconds,
        agentTold: awareness.told,
      };
    }
    case 'live':
      if (!claim.claimant) return dead('claimed-elsewhere');
      {
        // A Virtual Appointments link where there is one: it joins in a phone's browser.
        const joinUrl = customerMeetingUrl(call.meeting);
        return joinUrl ? { page: 'teams-handoff', state, joinUrl } : { page: 'call', state };
      }
  }
}

/**
 * What a link says of itself to a browser that has not claimed it (the landing page's JSON
 * answer), decided from its {@link CustomerView}:
 * - `open`: it may be claimed now or later (`landing`, `too-early`), with the call's state;
 * - `over`: the call is over, with the state it ended in;
 * - `claimed`: another browser holds it; the call's state is not told, only `claimed`.
 */
export type CustomerLinkStatus =
  | { readonly link: 'open'; readonly state: CallState }
  | { readonly link: 'over'; readonly state: CallState }
  | { readonly link: 'claimed'; readonly state: 'claimed' };

/** The {@link CustomerLinkStatus} of `view`, as a browser that is not the claimant sees it. */
export function customerLinkStatus(view: CustomerView): CustomerLinkStatus {
  switch (view.page) {
    case 'landing':
    case 'too-early':
      return { link: 'open', state: view.state };
    case 'dead':
      if (view.reason !== 'claimed-elsewhere') return { link: 'over', state: view.state };
      return { link: 'claimed', state: 'claimed' };
    case 'lobby':
    case 'call':
    case 'teams-handoff':
      // The claimant's own pages: to anybody else the link is taken.
      return { link: 'claimed', state: 'claimed' };
  }
}
