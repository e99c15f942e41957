import { CALL_STATES, CARD_MESSAGES, COMMON_MESSAGES, translator, type Locale } from '@shared';

/**
 * Everything a card says, per language: a view of the catalogue's `card` group. Customer-provided
 * text is never part of these strings.
 */
export type CardStrings = {
  readonly appName: string;
  readonly waitingTitle: string;
  readonly isWaiting: string;
  readonly someone: string;
  readonly factCall: string;
  readonly factCustomer: string;
  readonly guest: string;
  readonly factWaiting: string;
  readonly waitedFor: (since: string, minutes: number) => string;
  readonly factLinkSent: string;
  readonly factTeam: string;
  readonly factState: string;
  readonly admit: string;
  readonly declineMenu: string;
  readonly decline: string;
  readonly reasonLabel: string;
  readonly reasonPlaceholder: string;
  readonly messageMenu: string;
  readonly quickMessages: readonly [string, string];
  readonly openTab: string;
  /** Teams meetings: opens the meeting in Teams (deep link). */
  readonly joinMeeting: string;
  /** After Admit in a Teams meeting: the customer waits in Teams until a signed-in person is in. */
  readonly joinHint: string;
  /** A meeting step that failed for good: what the agent must do in Teams instead. */
  readonly meetingProblem: Readonly<Record<'admit' | 'lock' | 'relock' | 'close', string>>;
  readonly escalated: (seconds: number) => string;
  readonly reminder: string;
  readonly lastMessage: (time: string) => string;
  readonly admittedBy: (agent: string, time: string) => string;
  readonly inCall: (agent: string) => string;
  readonly declinedAt: (time: string) => string;
  readonly reason: string;
  readonly leftAt: (time: string) => string;
  readonly timedOutAt: (time: string) => string;
  readonly revokedAt: (time: string) => string;
  readonly endedAt: (time: string) => string;
  readonly expired: string;
  readonly notClaimed: string;
  readonly states: Readonly<Record<string, string>>;
  readonly errorTitle: string;
  readonly errors: {
    readonly badPayload: string;
    readonly notAvailable: string;
    readonly unknownUser: string;
    readonly internal: string;
  };
  readonly showCurrent: string;
  readonly helpTitle: string;
  readonly helpIntro: string;
  readonly helpCommands: readonly (readonly [string, string])[];
  readonly helpUnknown: string;
  readonly welcome: string;
  readonly newTitle: string;
  readonly newLink: string;
  readonly newSms: (units: number, segments: number) => string;
  readonly newEmail: string;
  readonly newHint: string;
  readonly listTitle: string;
  readonly listEmpty: string;
  readonly listMore: (n: number) => string;
  readonly onlyPersonal: string;
};

/** The card texts of one language, from the catalogue's `card` group (`shared/src/i18n`). */
function buildCardStrings(locale: Locale): CardStrings {
  const t = translator(locale, CARD_MESSAGES[locale]);
  const common = translator(locale, COMMON_MESSAGES[locale]);
  return {
    appName: t('appName'),
    waitingTitle: t('waitingTitle'),
    isWaiting: t('isWaiting'),
    someone: t('someone'),
    factCall: t('factCall'),
    factCustomer: t('factCustomer'),
    guest: t('guest'),
    factWaiting: t('factWaiting'),
    waitedFor: (since, minutes) => t('waitedFor', { since, minutes }),
    factLinkSent: t('factLinkSent'),
    factTeam: t('factTeam'),
    factState: t('factState'),
    admit: t('admit'),
    declineMenu: t('declineMenu'),
    decline: t('decline'),
    reasonLabel: t('reasonLabel'),
    reasonPlaceholder: t('reasonPlaceholder'),
    messageMenu: t('messageMenu'),
    quickMessages: [t('quickMessage.1'), t('quickMessage.2')],
    openTab: t('openTab'),
    joinMeeting: t('joinMeeting'),
    joinHint: t('joinHint'),
    meetingProblem: {
      admit: t('meetingProblem.admit'),
      lock: t('meetingProblem.lock'),
      relock: t('meetingProblem.relock'),
      close: t('meetingProblem.close'),
    },
    escalated: (seconds) => t('escalated', { seconds }),
    reminder: t('reminder'),
    lastMessage: (time) => t('lastMessage', { time }),
    admittedBy: (agent, time) => t('admittedBy', { agent, time }),
    inCall: (agent) => t('inCall', { agent }),
    declinedAt: (time) => t('declinedAt', { time }),
    reason: t('reason'),
    leftAt: (time) => t('leftAt', { time }),
    timedOutAt: (time) => t('timedOutAt', { time }),
    revokedAt: (time) => t('revokedAt', { time }),
    endedAt: (time) => t('endedAt', { time }),
    expired: t('expired'),
    notClaimed: t('notClaimed'),
    // The same state names as the tab's badges.
    states: Object.fromEntries(CALL_STATES.map((state) => [state, common(`state.${state}`)])),
    errorTitle: t('errorTitle'),
    errors: {
      badPayload: t('error.badPayload'),
      notAvailable: t('error.notAvailable'),
      unknownUser: t('error.unknownUser'),
      internal: t('error.internal'),
    },
    showCurrent: t('showCurrent'),
    helpTitle: t('helpTitle'),
    helpIntro: t('helpIntro'),
    helpCommands: [
      [t('help.new'), t('help.newText')],
      ['list', t('help.listText')],
      ['help', t('help.helpText')],
    ],
    helpUnknown: t('helpUnknown'),
    welcome: t('welcome'),
    newTitle: t('newTitle'),
    newLink: t('newLink'),
    newSms: (units, segments) => t('newSms', { units, segments }),
    newEmail: t('newEmail'),
    newHint: t('newHint'),
    listTitle: t('listTitle'),
    listEmpty: t('listEmpty'),
    listMore: (count) => t('listMore', { count }),
    onlyPersonal: t('onlyPersonal'),
  };
}

const STRINGS: Readonly<Record<Locale, CardStrings>> = {
  en: buildCardStrings('en'),
  de: buildCardStrings('de'),
};

/** The strings of a locale. */
export const cardStrings = (locale: Locale): CardStrings => STRINGS[locale];

/** A client locale (`de-DE`, `de`, `en-US`, `undefined`) as one of ours; English when unknown. */
export function cardLocale(clientLocale: string | undefined): Locale {
  return clientLocale?.toLowerCase().startsWith('de') ? 'de' : 'en';
}
