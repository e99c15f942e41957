import { agentControls, type CallDto, type CreatedCall, type Locale } from '@shared';
import type { AdaptiveCard, CardElement } from './card-types';
import { cardStrings } from './card-strings';
import { adaptiveCard, executeAction, formatTime, heading, plain } from './lobby-card';

const openTab = (title: string, url: string): CardElement => ({
  type: 'Action.OpenUrl',
  title,
  url,
});

/** The `help` reply (also the welcome on install, and the answer to anything unknown). */
export function buildHelpCard(
  locale: Locale,
  tabUrl: string,
  lead: 'help' | 'welcome' | 'unknown' = 'help',
): AdaptiveCard {
  const s = cardStrings(locale);
  const intro = lead === 'welcome' ? s.welcome : lead === 'unknown' ? s.helpUnknown : s.helpIntro;
  return adaptiveCard(
    [
      heading(s.helpTitle),
      { type: 'TextBlock', text: intro, wrap: true },
      {
        type: 'FactSet',
        facts: s.helpCommands.map(([title, value]) => ({ title, value })),
      },
    ],
    [openTab(s.openTab, tabUrl)],
  );
}

/** The `new` reply: the link and the texts to copy. The link is shown here once, never logged. */
export function buildNewLinkCard(
  created: CreatedCall,
  locale: Locale,
  tabUrl: string,
): AdaptiveCard {
  const s = cardStrings(locale);
  return adaptiveCard(
    [
      heading(s.newTitle),
      plain(created.call.title, { isSubtle: true }),
      { type: 'TextBlock', text: s.newLink, weight: 'Bolder', wrap: true, spacing: 'Medium' },
      plain(created.link, { fontType: 'Monospace' }),
      {
        type: 'TextBlock',
        text: s.newSms(created.sms.units, created.sms.segments),
        weight: 'Bolder',
        wrap: true,
        spacing: 'Medium',
      },
      { type: 'Container', style: 'emphasis', items: [plain(created.sms.text)] },
      { type: 'TextBlock', text: s.newEmail, weight: 'Bolder', wrap: true, spacing: 'Medium' },
      {
        type: 'Container',
        style: 'emphasis',
        items: [plain(created.message.subject, { weight: 'Bolder' }), plain(created.message.text)],
      },
      { type: 'TextBlock', text: s.newHint, wrap: true, isSubtle: true },
    ],
    [openTab(s.openTab, tabUrl)],
  );
}

/** How many calls `list` shows before pointing to the tab. */
export const LIST_LIMIT = 10;

/** The `list` reply: active calls, newest first; waiting customers get an Admit button. */
export function buildCallListCard(
  calls: readonly CallDto[],
  now: Date,
  locale: Locale,
  tabUrl: string,
): AdaptiveCard {
  const s = cardStrings(locale);
  if (calls.length === 0) {
    return adaptiveCard(
      [heading(s.listTitle), { type: 'TextBlock', text: s.listEmpty, wrap: true }],
      [openTab(s.openTab, tabUrl)],
    );
  }
  const items: CardElement[] = calls.slice(0, LIST_LIMIT).map((call) => {
    const state = s.states[call.state] ?? call.state;
    const when = formatTime(call.claimedAt ?? call.startsAt, now, locale, call.timeZone);
    const parts: CardElement[] = [
      {
        type: 'RichTextBlock',
        inlines: [
          { type: 'TextRun', text: call.title, weight: 'Bolder' },
          { type: 'TextRun', text: ` · ${state} · ${when}` },
        ],
      },
    ];
    if (agentControls(call, 'list-card').includes('admit')) {
      parts.push(plain(`${call.customerName ?? s.someone}${s.isWaiting}`));
      parts.push({
        type: 'ActionSet',
        actions: [executeAction(s.admit, 'admit', { callId: call.id }, { style: 'positive' })],
      });
    }
    return { type: 'Container', separator: true, items: parts };
  });
  if (calls.length > LIST_LIMIT) {
    items.push({
      type: 'TextBlock',
      text: s.listMore(calls.length - LIST_LIMIT),
      wrap: true,
      isSubtle: true,
    });
  }
  return adaptiveCard([heading(s.listTitle), ...items], [openTab(s.openTab, tabUrl)]);
}

/** A short notice to the agent (a meeting warning). `text` is ours, built from the call's title. */
export function buildNoticeCard(text: string, locale: Locale, tabUrl: string): AdaptiveCard {
  const s = cardStrings(locale);
  return adaptiveCard(
    [heading(s.appName, { color: 'Attention' }), plain(text)],
    [openTab(s.openTab, tabUrl)],
  );
}

/** Why an action could not be done. */
export type CardErrorKind = 'badPayload' | 'notAvailable' | 'unknownUser' | 'internal';

/** A clear error card; with a call id it offers to show the call's current state. */
export function buildErrorCard(
  kind: CardErrorKind,
  locale: Locale,
  tabUrl: string,
  callId?: string,
): AdaptiveCard {
  const s = cardStrings(locale);
  const actions: CardElement[] = [];
  if (callId && kind !== 'notAvailable') {
    actions.push(executeAction(s.showCurrent, 'refresh', { callId }));
  }
  actions.push(openTab(s.openTab, tabUrl));
  return adaptiveCard(
    [
      heading(s.errorTitle, { color: 'Attention' }),
      { type: 'TextBlock', text: s.errors[kind], wrap: true },
    ],
    actions,
  );
}
