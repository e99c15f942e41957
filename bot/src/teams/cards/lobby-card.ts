import {
  INTL_LOCALE,
  dateTimeFormat,
  agentControls,
  awaitsJoin,
  callPhase,
  type AgentControl,
  type CallDto,
  type Locale,
  type MeetingRef,
} from '@shared';
import type { AdaptiveCard, CardElement, CardVerb, Json } from './card-types';
import { cardStrings, type CardStrings } from './card-strings';

/** What a card needs besides the call. */
export type LobbyCardOptions = {
  /** Where "Open One-Time Call" goes (the tab's deep link, or the server's page). */
  readonly tabUrl: string;
  /** Posted because nobody reacted in time: `team` in a channel, `reminder` to the agent. */
  readonly escalation?:
    { readonly kind: 'team' | 'reminder'; readonly afterSeconds: number } | undefined;
  /** For an `abandoned` call: whether the lobby timed out (`system`) or the customer left. */
  readonly abandonedBy?: 'customer' | 'system' | undefined;
  /**
   * Ask Teams to refresh a live card whenever it is shown (Universal Actions `refresh`). Off in
   * embedded mode: the Agents Playground does not support it and warns under every card.
   * @default false
   */
  readonly autoRefresh?: boolean | undefined;
  /**
   * The Teams meeting's join link (a Teams deep link) for **Join meeting**, offered while the
   * customer waits and once admitted: anonymous joiners wait in the Teams lobby until a signed-in
   * participant is in the meeting, so the agent must join. `undefined`: no Teams meeting.
   */
  readonly joinMeetingUrl?: string | undefined;
};

/** The join link for the card's **Join meeting**: Teams meetings only. */
export const joinMeetingUrlOf = (meeting: MeetingRef): string | undefined =>
  meeting.provider === 'teams' ? meeting.joinUrl : undefined;

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json' as const;

/** A new card (schema 1.5). */
export const adaptiveCard = (
  body: readonly CardElement[],
  actions: readonly CardElement[] = [],
): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: SCHEMA,
  version: '1.5',
  body,
  ...(actions.length ? { actions } : {}),
});

// Markdown in TextBlock/FactSet would let a title like "[click](https://evil)" render a link:
// text that people typed is either escaped or put in a TextRun (never parsed as markdown).
const MARKDOWN = /[\\`*_{}[\]()#+\-.!|>~<]/g;
/** `text` with every markdown character escaped. */
export const escapeMarkdown = (text: string): string => text.replace(MARKDOWN, (c) => `\\${c}`);

/** Plain text that is never parsed as markdown. */
export const plain = (text: string, extra: Readonly<Record<string, Json>> = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text, ...extra }],
});

/** A heading. `text` must be ours (not typed by a person). */
export const heading = (text: string, extra: Readonly<Record<string, Json>> = {}): CardElement => ({
  type: 'TextBlock',
  text,
  weight: 'Bolder',
  size: 'Medium',
  wrap: true,
  ...extra,
});

/** An `Action.Execute` with its `Action.Submit` fallback (clients without Universal Actions). */
export function executeAction(
  title: string,
  verb: CardVerb,
  data: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, Json>> = {},
): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: { ...data },
    ...extra,
    fallback: { type: 'Action.Submit', title, data: { verb, ...data } },
  };
}

/** `09:41` in the call's time zone; a date too when it is not the day of `now`. */
export function formatTime(iso: string, now: Date, locale: Locale, timeZone: string): string {
  const when = new Date(iso);
  const day = (d: Date) => dateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(d);
  const sameDay = day(when) === day(now);
  return dateTimeFormat(INTL_LOCALE[locale], {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
  }).format(when);
}

const openTab = (s: CardStrings, tabUrl: string): CardElement => ({
  type: 'Action.OpenUrl',
  title: s.openTab,
  url: tabUrl,
});

const joinMeeting = (s: CardStrings, url: string, primary: boolean): CardElement => ({
  type: 'Action.OpenUrl',
  title: s.joinMeeting,
  url,
  ...(primary ? { style: 'positive' } : {}),
});

function facts(call: CallDto, now: Date, locale: Locale, s: CardStrings): CardElement {
  const time = (iso: string) => formatTime(iso, now, locale, call.timeZone);
  const rows: { title: string; value: string }[] = [
    { title: s.factCall, value: escapeMarkdown(call.title) },
    { title: s.factCustomer, value: s.guest },
  ];
  const lobby = callPhase(call.state) === 'lobby';
  if (lobby && call.claimedAt) {
    const minutes = Math.floor((now.getTime() - Date.parse(call.claimedAt)) / 60_000);
    rows.push({
      title: s.factWaiting,
      value: s.waitedFor(time(call.claimedAt), Math.max(0, minutes)),
    });
  }
  rows.push({ title: s.factLinkSent, value: time(call.createdAt) });
  if (call.team) rows.push({ title: s.factTeam, value: escapeMarkdown(call.team.name) });
  if (!lobby) {
    rows.push({ title: s.factState, value: s.states[call.state] ?? call.state });
  }
  return { type: 'FactSet', facts: rows };
}

function outcome(
  call: CallDto,
  now: Date,
  locale: Locale,
  s: CardStrings,
  options: LobbyCardOptions,
): CardElement[] {
  const time = (iso: string | undefined) =>
    formatTime(iso ?? call.updatedAt, now, locale, call.timeZone);
  const line = (text: string, color: string): CardElement => ({
    type: 'TextBlock',
    text,
    wrap: true,
    color,
    weight: 'Bolder',
  });
  switch (call.state) {
    case 'scheduled':
      return [line(s.notClaimed, 'Default')];
    case 'waiting':
      return [];
    case 'admitted':
      return [
        {
          type: 'RichTextBlock',
          inlines: [
            {
              type: 'TextRun',
              text: s.admittedBy(call.admittedBy?.name ?? '?', time(call.admittedAt)),
              color: 'Good',
              weight: 'Bolder',
            },
          ],
        },
      ];
    case 'in_call':
      return [
        {
          type: 'RichTextBlock',
          inlines: [
            {
              type: 'TextRun',
              text: s.inCall(call.admittedBy?.name ?? '?'),
              color: 'Good',
              weight: 'Bolder',
            },
          ],
        },
      ];
    case 'declined':
      return [
        line(s.declinedAt(time(call.decidedAt)), 'Attention'),
        ...(call.declineReason
          ? [plain(`${s.reason} ${call.declineReason}`, { isSubtle: true })]
          : []),
      ];
    case 'abandoned':
      return [
        line(
          options.abandonedBy === 'system'
            ? s.timedOutAt(time(call.updatedAt))
            : s.leftAt(time(call.updatedAt)),
          'Warning',
        ),
      ];
    case 'timed_out':
      return [line(s.timedOutAt(time(call.updatedAt)), 'Warning')];
    case 'revoked':
      return [line(s.revokedAt(time(call.updatedAt)), 'Warning')];
    case 'ended':
      return [line(s.endedAt(time(call.endedAt)), 'Default')];
    case 'expired':
      return [line(s.expired, 'Default')];
  }
}

/**
 * The lobby card for a call in any state: while the customer waits it carries Admit, Decline (with
 * an optional reason), two quick messages and a link to the tab; afterwards it says what happened.
 * Pure: the same call, instant and locale give the same card.
 */
export function buildLobbyCard(
  call: CallDto,
  now: Date,
  locale: Locale,
  options: LobbyCardOptions,
): AdaptiveCard {
  const s = cardStrings(locale);
  const name = call.customerName ?? s.someone;
  const phase = callPhase(call.state);
  const waiting = phase === 'lobby';
  const body: CardElement[] = [];
  if (waiting && options.escalation) {
    body.push({
      type: 'TextBlock',
      text:
        options.escalation.kind === 'team'
          ? s.escalated(options.escalation.afterSeconds)
          : s.reminder,
      wrap: true,
      color: 'Attention',
      weight: 'Bolder',
    });
  }
  body.push(heading(waiting ? s.waitingTitle : s.appName));
  body.push({
    type: 'RichTextBlock',
    inlines: [
      { type: 'TextRun', text: name, weight: 'Bolder' },
      ...(waiting ? [{ type: 'TextRun', text: s.isWaiting }] : []),
    ],
  });
  body.push(...outcome(call, now, locale, s, options));
  if (call.meetingProblem) {
    body.push({
      type: 'TextBlock',
      text: s.meetingProblem[call.meetingProblem.step],
      wrap: true,
      color: 'Attention',
      weight: 'Bolder',
    });
  }
  body.push(facts(call, now, locale, s));
  if (waiting && call.lobbyMessage) {
    body.push({
      type: 'TextBlock',
      text: s.lastMessage(formatTime(call.lobbyMessage.at, now, locale, call.timeZone)),
      wrap: true,
      isSubtle: true,
      spacing: 'Small',
    });
    body.push(plain(call.lobbyMessage.text, { italic: true }));
  }
  const id = { callId: call.id };
  // Universal Actions refresh: Teams re-asks the bot when the card is shown (automatically for
  // everyone in chats and channels under 60 members), so an old card never shows a stale state.
  const refresh: Readonly<Record<string, Json>> =
    !options.autoRefresh || callPhase(call.state) === 'over'
      ? {}
      : { refresh: { action: { type: 'Action.Execute', verb: 'refresh', data: id } } };
  const control = {
    admit: () => executeAction(s.admit, 'admit', id, { style: 'positive' }),
    decline: () => ({
      type: 'Action.ShowCard',
      title: s.declineMenu,
      card: adaptiveCard(
        [
          {
            type: 'Input.Text',
            id: 'reason',
            label: s.reasonLabel,
            placeholder: s.reasonPlaceholder,
            maxLength: 200,
            isMultiline: false,
          },
        ],
        [executeAction(s.decline, 'decline', id, { style: 'destructive' })],
      ),
    }),
    message: () => ({
      type: 'Action.ShowCard',
      title: s.messageMenu,
      card: adaptiveCard(
        [],
        s.quickMessages.map((text) => executeAction(text, 'message', { ...id, text })),
      ),
    }),
  } satisfies Partial<Record<AgentControl, () => CardElement>>;
  // The buttons are the card's share of what the agent may do now (see AGENT_UI_POLICY).
  // Join meeting stands next to Admit while the customer waits, and comes first once admitted.
  const joinUrl =
    options.joinMeetingUrl && (phase === 'lobby' || phase === 'live')
      ? options.joinMeetingUrl
      : undefined;
  if (joinUrl && awaitsJoin(call.state)) {
    body.push({ type: 'TextBlock', text: s.joinHint, wrap: true, weight: 'Bolder' });
  }
  const actions: CardElement[] = agentControls(call, 'card').flatMap((c) => [
    ...(c in control ? [control[c as keyof typeof control]()] : []),
    ...(c === 'admit' && joinUrl ? [joinMeeting(s, joinUrl, false)] : []),
  ]);
  const lead = joinUrl && !waiting ? [joinMeeting(s, joinUrl, awaitsJoin(call.state))] : [];
  return {
    ...adaptiveCard(body, [...lead, ...actions, openTab(s, options.tabUrl)]),
    ...refresh,
  };
}
