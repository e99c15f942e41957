import { z } from 'zod';
import {
  admitCall,
  declineCall,
  humanText,
  isAppError,
  loadForAgent,
  sendLobbyMessage,
  toCallDto,
  type AgentActionResult,
  type AgentPrincipal,
  type CallDeps,
  type Locale,
} from '@shared';
import type { AdaptiveCard } from './cards/card-types';
import { buildErrorCard } from './cards/command-cards';
import { buildLobbyCard, joinMeetingUrlOf } from './cards/lobby-card';
import { errorFields, type Logger } from '../logger';

const CallId = z.string().trim().min(1).max(100);
// An empty Input.Text arrives as "" (or whitespace): that is "no reason", not a bad payload.
const OptionalReason = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  humanText(200).optional(),
);

/** What a card button asks for, once validated. */
export type CardAction =
  | { readonly verb: 'admit'; readonly callId: string }
  | { readonly verb: 'decline'; readonly callId: string; readonly reason?: string | undefined }
  | { readonly verb: 'message'; readonly callId: string; readonly text: string }
  | { readonly verb: 'refresh'; readonly callId: string };

const ActionData = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('admit'), callId: CallId }),
  z.object({ verb: z.literal('decline'), callId: CallId, reason: OptionalReason }),
  z.object({ verb: z.literal('message'), callId: CallId, text: humanText(200) }),
  z.object({ verb: z.literal('refresh'), callId: CallId }),
]);

/** The `value` of an `adaptiveCard/action` invoke (inputs are merged into `action.data`). */
const InvokeValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The outcome of parsing: the action, or whatever call id could be read (to offer a refresh). */
export type ParsedAction =
  | { readonly ok: true; readonly action: CardAction }
  | { readonly ok: false; readonly callId: string | undefined };

function callIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const parsed = CallId.safeParse((data as Record<string, unknown>)['callId']);
  return parsed.success ? parsed.data : undefined;
}

/** Parses an `adaptiveCard/action` invoke value. Never throws. */
export function parseInvokeAction(value: unknown): ParsedAction {
  const invoke = InvokeValue.safeParse(value);
  if (!invoke.success) {
    const action = (value as { action?: { data?: unknown } } | undefined)?.action;
    return { ok: false, callId: callIdOf(action?.data) };
  }
  const data = invoke.data.action.data ?? {};
  const parsed = ActionData.safeParse({ ...data, verb: invoke.data.action.verb });
  return parsed.success ? { ok: true, action: parsed.data } : { ok: false, callId: callIdOf(data) };
}

/** Parses the data of an `Action.Submit` fallback (a message whose `value` carries `verb`). */
export function parseSubmitAction(value: unknown): ParsedAction {
  const parsed = ActionData.safeParse(value);
  return parsed.success
    ? { ok: true, action: parsed.data }
    : { ok: false, callId: callIdOf(value) };
}

/** True when a message `value` looks like one of our fallback submits (has a `verb`). */
export const isSubmitValue = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'verb' in value;

/** What a card action needs to answer. */
export type CardActionContext = {
  readonly deps: CallDeps;
  readonly locale: Locale;
  readonly tabUrl: string;
  /** See `LobbyCardOptions.autoRefresh`. */
  readonly autoRefresh?: boolean | undefined;
  readonly logger: Logger;
};

/**
 * Runs a card action as `principal` and returns the card to show instead: the call's new state, or
 * (stale card, another agent was quicker) its current state. Never a second admission: the core's
 * compare-and-set decides. Calls the agent may not see get the same "not available" card as
 * unknown ids.
 */
export async function runCardAction(
  context: CardActionContext,
  principal: AgentPrincipal,
  action: CardAction,
): Promise<AdaptiveCard> {
  const { deps, locale, tabUrl, logger, autoRefresh } = context;
  const card = (call: Parameters<typeof toCallDto>[0]) =>
    buildLobbyCard(toCallDto(call), deps.clock.now(), locale, {
      tabUrl,
      autoRefresh,
      joinMeetingUrl: joinMeetingUrlOf(call.meeting),
    });
  // The call moved; a meeting that did not follow is logged, as the tab's API does.
  const moved = (result: AgentActionResult) => {
    if (result.meetingError !== undefined) {
      logger.warn('meeting provider failed after the call moved', {
        action: action.verb,
        callId: result.call.id,
        ...errorFields(result.meetingError),
      });
    }
    return card(result.call);
  };
  try {
    switch (action.verb) {
      case 'admit':
        return moved(await admitCall(deps, principal, action.callId));
      case 'decline':
        return moved(await declineCall(deps, principal, action.callId, action.reason));
      case 'message':
        return card((await sendLobbyMessage(deps, principal, action.callId, action.text)).call);
      case 'refresh':
        return card(await loadForAgent(deps, principal, action.callId));
    }
  } catch (error) {
    if (isAppError(error, 'state-conflict')) {
      logger.info('card action on a stale card', { callId: action.callId, verb: action.verb });
      try {
        return card(await loadForAgent(deps, principal, action.callId));
      } catch (reload) {
        return errorFor(reload, context, action.callId);
      }
    }
    return errorFor(error, context, action.callId);
  }
}

function errorFor(error: unknown, context: CardActionContext, callId: string): AdaptiveCard {
  const { locale, tabUrl, logger } = context;
  if (isAppError(error, 'not-found', 'forbidden')) {
    return buildErrorCard('notAvailable', locale, tabUrl);
  }
  if (isAppError(error, 'invalid-input'))
    return buildErrorCard('badPayload', locale, tabUrl, callId);
  logger.error('card action failed', {
    callId,
    ...errorFields(error),
  });
  return buildErrorCard('internal', locale, tabUrl, callId);
}
