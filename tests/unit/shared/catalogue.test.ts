import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CALL_PAGE_MESSAGES,
  CARD_MESSAGES,
  COMMON_MESSAGES,
  PAGE_MESSAGES,
  TAB_MESSAGES,
  TEMPLATE_MESSAGES,
  TEMPLATE_PLACEHOLDERS,
  fillTemplate,
  formatMessage,
  messageArguments,
  parseMessage,
} from '@shared';

const GROUPS = {
  common: COMMON_MESSAGES,
  tab: TAB_MESSAGES,
  page: PAGE_MESSAGES,
  callPage: CALL_PAGE_MESSAGES,
  card: CARD_MESSAGES,
  template: TEMPLATE_MESSAGES,
} as const;

const rows = Object.entries(GROUPS).flatMap(([group, byLocale]) =>
  Object.keys(byLocale.en).map((key) => [group, key] as const),
);

describe('the message catalogue', () => {
  it.each(Object.keys(GROUPS))('has exactly the English keys in German (%s)', (group) => {
    const { en, de } = GROUPS[group as keyof typeof GROUPS];
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(rows)('%s.%s parses and takes the same arguments in both languages', (group, key) => {
    const { en, de } = GROUPS[group as keyof typeof GROUPS] as unknown as Record<
      'en' | 'de',
      Record<string, string>
    >;
    const english = en[key]!;
    const german = de[key]!;
    expect(() => parseMessage(english)).not.toThrow();
    expect(() => parseMessage(german)).not.toThrow();
    expect(german.trim()).not.toBe('');
    expect(Object.fromEntries(messageArguments(german))).toEqual(
      Object.fromEntries(messageArguments(english)),
    );
  });

  it.each(['en', 'de'] as const)(
    "keeps the %s templates to what fillTemplate and the admins' overrides understand",
    (locale) => {
      const values = Object.fromEntries(TEMPLATE_PLACEHOLDERS.map((name) => [name, `<${name}>`]));
      for (const message of Object.values(TEMPLATE_MESSAGES[locale])) {
        for (const [name, kind] of messageArguments(message)) {
          expect(kind).toBe('text');
          expect(TEMPLATE_PLACEHOLDERS).toContain(name);
        }
        expect(fillTemplate(message, values)).toBe(formatMessage(locale, message, values));
      }
    },
  );

  it('writes no plural by hand: no key pairs `x_one` with `x_other`', () => {
    const keys = new Set(rows.map(([group, key]) => `${group}.${key}`));
    const pairs = [...keys].filter(
      (key) => /[_.]one$/.test(key) && keys.has(key.replace(/one$/, 'other')),
    );
    expect(pairs).toEqual([]);
  });
});

describe('the catalogue files', () => {
  // A surface group that reads another surface's group keeps that whole group in every bundle that
  // takes it (the tab would carry the customer pages' texts): shared texts live in `common`/`call`.
  it.each(['en', 'de'])('%s.ts refers across groups only to common and call', (locale) => {
    const source = readFileSync(join(__dirname, `../../../shared/src/i18n/${locale}.ts`), 'utf8');
    const references = [...source.matchAll(/:\s*(\w+)(?:\.\w+|\[')/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(10);
    expect([...new Set(references)].sort()).toEqual(['call', 'common']);
  });
});
