import { CALL_PAGE_MESSAGES, translator, type CallPageKey, type Locale } from '@shared';

/**
 * The call page's texts, a view of the catalogue's `callPage` group: the server renders the static
 * ones; the script gets the `live` ones already formatted for the agent (it only looks them up).
 */
export type CallPageStrings = {
  readonly title: string;
  readonly intro: (agent: string) => string;
  readonly why: string;
  readonly start: string;
  readonly noMedia: string;
  readonly deniedTitle: string;
  readonly deniedText: string;
  readonly helpAndroid: readonly string[];
  readonly helpIos: readonly string[];
  readonly retry: string;
  readonly unsupportedTitle: string;
  readonly unsupportedText: string;
  readonly fallbackLink: string;
  readonly noFallback: string;
  readonly inApp: string;
  readonly remoteLabel: (agent: string) => string;
  readonly selfLabel: string;
  readonly remoteOff: string;
  readonly remoteMuted: string;
  readonly controls: string;
  readonly switchCamera: string;
  readonly sendPhoto: string;
  readonly showDrawing: string;
  readonly drawingAlt: (agent: string) => string;
  readonly closeDrawing: string;
  readonly chatTitle: string;
  readonly chatEmpty: string;
  readonly chatLabel: string;
  readonly send: string;
  readonly sound: string;
  readonly leave: string;
  readonly overText: string;
  /** Texts the script shows as the call goes, by key (`quality.good`), with the agent's name in. */
  readonly live: (agent: string) => Readonly<Record<string, string>>;
};

/** The call page texts of one language, from the catalogue's `callPage` group (`shared/src/i18n`). */
function callPageStrings(locale: Locale): CallPageStrings {
  const messages = CALL_PAGE_MESSAGES[locale];
  const t = translator(locale, messages);
  const steps = (prefix: 'helpAndroid' | 'helpIos') =>
    ([1, 2, 3, 4] as const).map((n) => t(`${prefix}.${n}`));
  const liveKeys = (Object.keys(messages) as CallPageKey[]).filter((key) =>
    key.startsWith('live.'),
  );
  return {
    title: t('title'),
    intro: (agent) => t('intro', { agent }),
    why: t('why'),
    start: t('start'),
    noMedia: t('noMedia'),
    deniedTitle: t('deniedTitle'),
    deniedText: t('deniedText'),
    helpAndroid: steps('helpAndroid'),
    helpIos: steps('helpIos'),
    retry: t('retry'),
    unsupportedTitle: t('unsupportedTitle'),
    unsupportedText: t('unsupportedText'),
    fallbackLink: t('fallbackLink'),
    noFallback: t('noFallback'),
    inApp: t('inApp'),
    remoteLabel: (agent) => t('remoteLabel', { agent }),
    selfLabel: t('selfLabel'),
    remoteOff: t('remoteOff'),
    remoteMuted: t('remoteMuted'),
    controls: t('controls'),
    switchCamera: t('switchCamera'),
    sendPhoto: t('sendPhoto'),
    showDrawing: t('showDrawing'),
    drawingAlt: (agent) => t('drawingAlt', { agent }),
    closeDrawing: t('closeDrawing'),
    chatTitle: t('chatTitle'),
    chatEmpty: t('chatEmpty'),
    chatLabel: t('chatLabel'),
    send: t('send'),
    sound: t('sound'),
    leave: t('leave'),
    overText: t('overText'),
    live: (agent) =>
      Object.fromEntries(liveKeys.map((key) => [key.slice('live.'.length), t(key, { agent })])),
  };
}

export const CALL_PAGE_STRINGS: Readonly<Record<Locale, CallPageStrings>> = {
  en: callPageStrings('en'),
  de: callPageStrings('de'),
};
