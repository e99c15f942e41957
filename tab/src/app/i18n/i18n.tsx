import { createContext, useContext, useMemo, type ReactNode } from 'react';
import {
  INTL_LOCALE,
  TAB_MESSAGES,
  formatMessage,
  type Catalogue,
  type Locale,
  type MessageArgs,
  type TabKey,
} from '@shared';

/** A key of the tab's part of the catalogue (`shared/src/i18n`). */
export type MessageKey = TabKey;
export type Messages = Catalogue<Record<MessageKey, string>>;

export type Translate = (key: MessageKey, vars?: MessageArgs) => string;

export type I18n = {
  readonly locale: Locale;
  readonly t: Translate;
  /** The BCP 47 tag dates and times are formatted with (the agent's region when known). */
  readonly formatLocale: string;
  /** Formats an ISO instant as a short local date and time. */
  readonly formatDateTime: (iso: string) => string;
};

/**
 * The agent's own regional format for the chosen language: Teams' `en-gb` or the browser's `de-AT`
 * when they speak that language, otherwise the same default the customer pages use (`en-GB`, 24 h).
 */
export function pickFormatLocale(
  locale: Locale,
  ...candidates: readonly (string | null | undefined)[]
): string {
  for (const candidate of candidates) {
    if (!candidate || pickLocale(candidate) !== locale || !/^[a-z]{2}-/i.test(candidate)) continue;
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(candidate);
      if (supported) return supported;
    } catch {
      // A malformed tag from the host: try the next one.
    }
  }
  return INTL_LOCALE[locale];
}

/** `de…` → German, everything else English. */
export function pickLocale(...candidates: readonly (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const tag = candidate.toLowerCase();
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function createI18n(locale: Locale, formatLocale: string = INTL_LOCALE[locale]): I18n {
  const messages: Readonly<Record<string, string>> = TAB_MESSAGES[locale];
  const dateTime = new Intl.DateTimeFormat(formatLocale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return {
    locale,
    formatLocale,
    // A key built at run time (`error_${code}`) may not exist: it comes back as itself.
    t: (key, vars) =>
      Object.hasOwn(messages, key) ? formatMessage(locale, messages[key]!, vars) : key,
    formatDateTime: (iso) => dateTime.format(new Date(iso)),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({
  locale,
  formatLocale,
  children,
}: {
  locale: Locale;
  formatLocale?: string | undefined;
  children: ReactNode;
}) {
  const value = useMemo(() => createI18n(locale, formatLocale), [locale, formatLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
