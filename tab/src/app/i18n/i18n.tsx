import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from '@shared';
import { DE } from './de';
import { EN, type MessageKey, type Messages } from './en';

const MESSAGES: Readonly<Record<Locale, Messages>> = { en: EN, de: DE };

export type Translate = (
  key: MessageKey,
  vars?: Readonly<Record<string, string | number>>,
) => string;

export type I18n = {
  readonly locale: Locale;
  readonly t: Translate;
  /** Formats an ISO instant as a short local date and time. */
  readonly formatDateTime: (iso: string) => string;
};

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

export function createI18n(locale: Locale): I18n {
  const messages = MESSAGES[locale];
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    t: (key, vars) =>
      messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        vars && name in vars ? String(vars[name]) : whole,
      ),
    formatDateTime: (iso) => dateTime.format(new Date(iso)),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => createI18n(locale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
