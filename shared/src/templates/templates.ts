import { COMMON_MESSAGES, TEMPLATE_MESSAGES } from '../i18n/catalogue';
import { dateTimeFormat } from './intl-cache';
import type { Locale, MeetingProviderKind } from '../domain/call';
import { measureSms } from '../domain/sms';

/** The texts an agent sends, per language. Placeholders are `{name}`; see `TEMPLATE_PLACEHOLDERS`. */
export type MessageTemplates = {
  readonly emailSubject: string;
  readonly emailBody: string;
  /** Must contain `{link}`, best first so a cut message still carries it. */
  readonly sms: string;
  /** Used when `sms` would need more than one segment (a long agent name, say). */
  readonly smsShort: string;
  /** The default call title. */
  readonly defaultTitle: string;
};

/** Every placeholder a template may use. */
export const TEMPLATE_PLACEHOLDERS = [
  'link',
  'title',
  'agentName',
  'startsAt',
  'duration',
  'validUntil',
  'validUntilShort',
  'storeIos',
  'storeAndroid',
  'storeDesktop',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Official download pages of Microsoft Teams (free for guests; no account needed to join). */
export const TEAMS_STORE_LINKS = {
  ios: 'https://apps.apple.com/app/microsoft-teams/id1113153706',
  android: 'https://play.google.com/store/apps/details?id=com.microsoft.teams',
  desktop: 'https://www.microsoft.com/microsoft-teams/download-app',
} as const;

/** The built-in templates of `provider` in one language, from the catalogue's `template` group. */
function builtIn(locale: Locale, provider: MeetingProviderKind): MessageTemplates {
  const t = TEMPLATE_MESSAGES[locale];
  return {
    defaultTitle: COMMON_MESSAGES[locale].defaultTitle,
    emailSubject: t.emailSubject,
    emailBody: t[`${provider}.emailBody`],
    sms: t[`${provider}.sms`],
    smsShort: t[`${provider}.smsShort`],
  };
}

/**
 * The built-in templates of the browser call (the default): open the link, type a name, wait, talk
 * in the browser with camera and microphone. Nothing to install. Admins override any of them per
 * language through configuration.
 */
export const DEFAULT_TEMPLATES: Readonly<Record<Locale, MessageTemplates>> = {
  en: /* @__PURE__ */ builtIn('en', 'browser'),
  de: /* @__PURE__ */ builtIn('de', 'browser'),
};

/** The built-in templates for Teams meetings (`MEETING_PROVIDER=teams`): get the Teams app first. */
export const TEAMS_TEMPLATES: Readonly<Record<Locale, MessageTemplates>> = {
  en: /* @__PURE__ */ builtIn('en', 'teams'),
  de: /* @__PURE__ */ builtIn('de', 'teams'),
};

/** Per-language overrides of some or all templates (from configuration). */
export type TemplateOverrides = Partial<Record<Locale, Partial<MessageTemplates>>>;

/** Problems with overrides: unknown placeholders, an SMS without `{link}`. Empty when fine. */
export function checkTemplateOverrides(overrides: TemplateOverrides): string[] {
  const problems: string[] = [];
  for (const [locale, templates] of Object.entries(overrides)) {
    for (const [key, text] of Object.entries(templates ?? {})) {
      if (typeof text !== 'string') continue;
      for (const match of text.matchAll(/\{(\w+)\}/g)) {
        if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
          problems.push(`${locale}.${key}: unknown placeholder {${match[1]}}`);
        }
      }
      if ((key === 'sms' || key === 'smsShort') && !text.includes('{link}')) {
        problems.push(`${locale}.${key}: must contain {link}`);
      }
    }
  }
  return problems;
}

/** The built-in templates of each meeting provider. */
export const TEMPLATES_BY_PROVIDER: Readonly<
  Record<MeetingProviderKind, Readonly<Record<Locale, MessageTemplates>>>
> = { browser: DEFAULT_TEMPLATES, teams: TEAMS_TEMPLATES };

/** Merges overrides onto the built-in templates of `provider`. @default provider "browser" */
export function resolveTemplates(
  overrides: TemplateOverrides = {},
  provider: MeetingProviderKind = 'browser',
): Readonly<Record<Locale, MessageTemplates>> {
  const builtIn = TEMPLATES_BY_PROVIDER[provider];
  return {
    en: { ...builtIn.en, ...overrides.en },
    de: { ...builtIn.de, ...overrides.de },
  };
}

/** A template split once into literal text and placeholders (odd indexes are placeholder names). */
const compiled = new Map<string, readonly string[]>();

function compile(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    // Templates come from the configuration and a few defaults; the cap is a guard.
    if (compiled.size >= 1_000) compiled.clear();
    compiled.set(template, parts);
  }
  return parts;
}

/** Replaces `{placeholder}`s; unknown ones stay as they are. Each template is parsed once. */
export function fillTemplate(
  template: string,
  values: Readonly<Partial<Record<TemplatePlaceholder, string>>>,
): string {
  const parts = compile(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    out += Object.prototype.hasOwnProperty.call(values, key)
      ? values[key as TemplatePlaceholder]!
      : `{${key}}`;
    out += parts[i + 1]!;
  }
  return out;
}

/** What the texts are about. */
export type InvitationFacts = {
  readonly link: string;
  readonly title: string;
  readonly agentName: string;
  readonly startsAt: string;
  readonly durationMinutes: number;
  readonly expiresAt: string;
  readonly timeZone: string;
  readonly locale: Locale;
};

/** The `Intl` locale of each of our languages (dates and times as people there write them). */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = { en: 'en-GB', de: 'de-DE' };

/** A date as a customer reads it, in the agent's zone, with the zone's short name. */
export function formatWhen(iso: string, locale: Locale, timeZone: string, short = false): string {
  const at = Date.parse(iso);
  // The formats show whole minutes, and the zone offsets of today's tz data change on whole
  // minutes (sub-minute offsets ended in 1972): one text per (locale, zone, style, minute), which
  // the links made in the same minute share instead of formatting it again.
  const key = `${locale}|${timeZone}|${short ? 's' : 'l'}|${Math.floor(at / 60_000)}`;
  const known = Number.isNaN(at) ? undefined : formattedWhen.get(key);
  if (known !== undefined) return known;
  const text = formatWhenNow(new Date(iso), INTL_LOCALE[locale], timeZone, short);
  if (formattedWhen.size >= MAX_FORMATTED_WHEN) formattedWhen.clear();
  formattedWhen.set(key, text);
  return text;
}

const formattedWhen = new Map<string, string>();
const MAX_FORMATTED_WHEN = 2_000;

function formatWhenNow(date: Date, intlLocale: string, timeZone: string, short: boolean): string {
  if (short) {
    return dateTimeFormat(intlLocale, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    }).format(date);
  }
  const text = dateTimeFormat(intlLocale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(date);
  const zone = dateTimeFormat(intlLocale, { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${text} ${zone}` : text;
}

/** The email and SMS for an invitation. The SMS falls back to the short template past one segment. */
export function renderInvitation(
  facts: InvitationFacts,
  templates: Readonly<Record<Locale, MessageTemplates>>,
): { subject: string; text: string; sms: string } {
  const t = templates[facts.locale];
  const values: Record<TemplatePlaceholder, string> = {
    link: facts.link,
    title: facts.title,
    agentName: facts.agentName,
    startsAt: formatWhen(facts.startsAt, facts.locale, facts.timeZone),
    duration: String(facts.durationMinutes),
    validUntil: formatWhen(facts.expiresAt, facts.locale, facts.timeZone),
    validUntilShort: formatWhen(facts.expiresAt, facts.locale, facts.timeZone, true),
    storeIos: TEAMS_STORE_LINKS.ios,
    storeAndroid: TEAMS_STORE_LINKS.android,
    storeDesktop: TEAMS_STORE_LINKS.desktop,
  };
  const long = fillTemplate(t.sms, values);
  const sms = measureSms(long).segments === 1 ? long : fillTemplate(t.smsShort, values);
  return {
    subject: fillTemplate(t.emailSubject, values),
    text: fillTemplate(t.emailBody, values),
    sms,
  };
}
