import type { Locale } from '../domain/call';
import * as de from './de';
import * as en from './en';
import { formatMessage, type MessageArgs } from './message-format';
import type { Catalogue } from './catalogue-types';

/**
 * The catalogue, one group per surface. Each surface takes its own group, so a bundle that needs
 * only the tab's texts leaves the others out (the groups are separate exports of `en.ts`/`de.ts`).
 */
export type CommonKey = keyof typeof en.common;
export type CallKey = keyof typeof en.call;
export type TabKey = keyof typeof en.tab;
export type PageKey = keyof typeof en.page;
export type CallPageKey = keyof typeof en.callPage;
export type CardKey = keyof typeof en.card;
export type TemplateKey = keyof typeof en.template;

type ByLocale<T> = Readonly<Record<Locale, Catalogue<T>>>;

export const COMMON_MESSAGES: ByLocale<typeof en.common> = { en: en.common, de: de.common };
export const TAB_MESSAGES: ByLocale<typeof en.tab> = { en: en.tab, de: de.tab };
export const PAGE_MESSAGES: ByLocale<typeof en.page> = { en: en.page, de: de.page };
export const CALL_PAGE_MESSAGES: ByLocale<typeof en.callPage> = {
  en: en.callPage,
  de: de.callPage,
};
export const CARD_MESSAGES: ByLocale<typeof en.card> = { en: en.card, de: de.card };
/** Filled by `fillTemplate` (`shared/src/templates`), like the admins' overrides. */
export const TEMPLATE_MESSAGES: ByLocale<typeof en.template> = {
  en: en.template,
  de: de.template,
};

/** Formats the messages of one group in one language: `t('key', { name: 'Ada' })`. */
export type Translator<K extends string> = (key: K, args?: MessageArgs) => string;

export function translator<K extends string>(
  locale: Locale,
  messages: Readonly<Record<K, string>>,
): Translator<K> {
  return (key, args) => formatMessage(locale, messages[key], args);
}
