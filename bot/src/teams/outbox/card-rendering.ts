import {
  abandonedBy,
  toCallDto,
  type CallDeps,
  type CallRecord,
  type ConversationRef,
} from '@shared';
import { cardLocale } from '../cards/card-strings';
import type { AdaptiveCard } from '../cards/card-types';
import { buildLobbyCard, joinMeetingUrlOf } from '../cards/lobby-card';

/** What every lobby card of this process shares. */
export type CardRendering = {
  readonly tabUrl: string;
  /** See `LobbyCardOptions.autoRefresh`. */
  readonly autoRefresh?: boolean | undefined;
  /** For the escalation's wording. */
  readonly escalationSeconds: number;
};

/**
 * The lobby card of `call` as it is now, in the language of the conversation it goes to; with the
 * escalation banner (`team` channel post, or a `reminder` to the agent) when it is one.
 */
export async function renderLobbyCard(
  deps: Pick<CallDeps, 'store' | 'clock'>,
  call: CallRecord,
  ref: Pick<ConversationRef, 'locale'>,
  rendering: CardRendering,
  escalation?: 'team' | 'reminder',
): Promise<AdaptiveCard> {
  return buildLobbyCard(toCallDto(call), deps.clock.now(), cardLocale(ref.locale), {
    tabUrl: rendering.tabUrl,
    autoRefresh: rendering.autoRefresh,
    abandonedBy: await abandonedBy(deps, call),
    joinMeetingUrl: joinMeetingUrlOf(call.meeting),
    ...(escalation
      ? { escalation: { kind: escalation, afterSeconds: rendering.escalationSeconds } }
      : {}),
  });
}
