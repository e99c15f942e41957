import { COMMON_MESSAGES, PAGE_MESSAGES, formatMessage, translator, type Locale } from '@shared';

/**
 * Every text of the customer pages. Plain, kind, short: customers get through without help. The
 * texts themselves are the catalogue's `page` group (`shared/src/i18n`); this is their shape here.
 */
export type PageStrings = {
  readonly lang: string;
  readonly brand: string;
  readonly switchTo: string;
  readonly landingTitle: string;
  readonly invitedBy: (agent: string) => string;
  readonly when: (when: string) => string;
  readonly nameLabel: string;
  readonly nameHint: string;
  /** The name field's limit, said at the field (the input's `maxlength` is the same). */
  readonly nameLimit: (max: number) => string;
  readonly join: string;
  readonly getTeamsTitle: string;
  readonly getTeamsText: string;
  readonly getTeamsLink: string;
  /** Browser call: what happens, step by step (no install, camera and microphone). */
  readonly howTitle: string;
  readonly howSteps: (agent: string) => readonly string[];
  /** Browser call, lobby: the call starts on this page and needs the camera and microphone. */
  readonly lobbyBrowserNote: (agent: string) => string;
  /** Teams meeting with a Virtual Appointments link: the browser is enough, on a phone too. */
  readonly teamsBrowserNote: string;
  /** Teams meeting without one: honest that the Teams app will be needed. */
  readonly teamsAppNeeded: string;
  readonly nameErrors: { readonly empty: string; readonly long: string; readonly invalid: string };
  readonly errorPrefix: string;
  readonly tooEarlyTitle: string;
  readonly tooEarlyText: (when: string, opens: string) => string;
  readonly lobbyTitle: string;
  readonly lobbyText: (agent: string) => string;
  readonly lobbyTold: string;
  /** Until the card reached the agent (or the agent's tab is open). */
  readonly lobbyTelling: string;
  readonly waitingAs: (name: string) => string;
  readonly callWith: (agent: string) => string;
  readonly warnTitle: string;
  readonly warnText: (minutes: number) => string;
  readonly stillHere: string;
  /** The browser call's camera and microphone check in the lobby. */
  readonly check: {
    readonly title: string;
    readonly start: string;
    readonly stop: string;
    readonly level: string;
    readonly self: string;
    readonly denied: string;
    readonly failed: string;
  };
  readonly waitingFor: string;
  readonly messageFrom: (agent: string) => string;
  readonly reconnecting: string;
  readonly keepOpen: string;
  readonly leave: string;
  readonly callTitle: string;
  readonly callText: (agent: string) => string;
  readonly callNote: string;
  readonly callAdmittedTeams: string;
  readonly openTeams: string;
  readonly leaveTitle: string;
  readonly leaveText: string;
  readonly leaveConfirm: string;
  readonly stay: string;
  /**
   * The dead-end pages. `text` names the agent to ask for a new link, when the page knows the call
   * (`undefined` for unknown links and errors: "your agent").
   */
  readonly dead: Readonly<
    Record<
      DeadReason,
      { readonly title: string; readonly text: (agent: string | undefined) => string }
    >
  >;
  /** The support contact's lead-in on dead-end pages (`SUPPORT_CONTACT`). */
  readonly contactUs: string;
  readonly declineReason: string;
  readonly askAgent: string;
  /** The rate-limited page's wait, in whole minutes (rounded up). */
  readonly retryIn: (minutes: number) => string;
};

/** Why a page says the link cannot be used. */
export type DeadReason =
  | 'ended'
  | 'declined'
  | 'expired'
  | 'revoked'
  | 'abandoned'
  | 'timed_out'
  | 'claimed-elsewhere'
  | 'not-found'
  | 'rate-limited'
  | 'error';

const DEAD_REASONS: readonly DeadReason[] = [
  'ended',
  'declined',
  'expired',
  'revoked',
  'abandoned',
  'timed_out',
  'claimed-elsewhere',
  'not-found',
  'rate-limited',
  'error',
];

/** The page texts of one language, from the catalogue's `page` group (`shared/src/i18n`). */
function pageStrings(locale: Locale): PageStrings {
  const t = translator(locale, PAGE_MESSAGES[locale]);
  const yourAgent = formatMessage(locale, COMMON_MESSAGES[locale].yourAgent);
  const dead = (reason: DeadReason) => ({
    title: t(`dead.${reason}.title`),
    text: (agent: string | undefined) => t(`dead.${reason}.text`, { agent: agent ?? yourAgent }),
  });
  return {
    lang: locale,
    brand: t('brand'),
    switchTo: t('switchTo'),
    landingTitle: t('landingTitle'),
    invitedBy: (agent) => t('invitedBy', { agent }),
    when: (when) => t('when', { when }),
    nameLabel: t('nameLabel'),
    nameHint: t('nameHint'),
    nameLimit: (max) => t('nameLimit', { max }),
    join: t('join'),
    getTeamsTitle: t('getTeamsTitle'),
    getTeamsText: t('getTeamsText'),
    getTeamsLink: t('getTeamsLink'),
    howTitle: t('howTitle'),
    howSteps: (agent) =>
      (['howSteps.1', 'howSteps.2', 'howSteps.3', 'howSteps.4'] as const).map((key) =>
        t(key, { agent }),
      ),
    lobbyBrowserNote: (agent) => t('lobbyBrowserNote', { agent }),
    teamsBrowserNote: t('teamsBrowserNote'),
    teamsAppNeeded: t('teamsAppNeeded'),
    nameErrors: {
      empty: t('nameErrors.empty'),
      long: t('nameErrors.long'),
      invalid: t('nameErrors.invalid'),
    },
    errorPrefix: t('errorPrefix'),
    tooEarlyTitle: t('tooEarlyTitle'),
    tooEarlyText: (when, opens) => t('tooEarlyText', { when, opens }),
    lobbyTitle: t('lobbyTitle'),
    lobbyText: (agent) => t('lobbyText', { agent }),
    lobbyTold: t('lobbyTold'),
    lobbyTelling: t('lobbyTelling'),
    waitingAs: (name) => t('waitingAs', { name }),
    callWith: (agent) => t('callWith', { agent }),
    warnTitle: t('warnTitle'),
    warnText: (minutes) => t('warnText', { minutes }),
    stillHere: t('stillHere'),
    check: {
      title: t('check.title'),
      start: t('check.start'),
      stop: t('check.stop'),
      level: t('check.level'),
      self: t('check.self'),
      denied: t('check.denied'),
      failed: t('check.failed'),
    },
    waitingFor: t('waitingFor'),
    messageFrom: (agent) => t('messageFrom', { agent }),
    reconnecting: t('reconnecting'),
    keepOpen: t('keepOpen'),
    leave: t('leave'),
    callTitle: t('callTitle'),
    callText: (agent) => t('callText', { agent }),
    callNote: t('callNote'),
    callAdmittedTeams: t('callAdmittedTeams'),
    openTeams: t('openTeams'),
    leaveTitle: t('leaveTitle'),
    leaveText: t('leaveText'),
    leaveConfirm: t('leaveConfirm'),
    stay: t('stay'),
    dead: Object.fromEntries(DEAD_REASONS.map((reason) => [reason, dead(reason)])) as Record<
      DeadReason,
      ReturnType<typeof dead>
    >,
    contactUs: t('contactUs'),
    declineReason: t('declineReason'),
    askAgent: t('askAgent'),
    retryIn: (minutes) => t('retryIn', { minutes }),
  };
}

/** The customer pages' texts per language: a view of the catalogue in the shape the pages use. */
export const PAGE_STRINGS: Readonly<Record<Locale, PageStrings>> = {
  en: pageStrings('en'),
  de: pageStrings('de'),
};

/** The best of our locales for an `Accept-Language` header. @default "en" */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
