/**
 * `Intl` objects are expensive to build (a profile of the server under link creation spent 18% of
 * its samples constructing `Intl.DateTimeFormat`s) and cheap to reuse: each is built once per
 * locale and options (zone, style) and kept. The keys are bounded by the locales we speak, the
 * IANA zones the runtime knows and the few styles we use; the cap is a guard, not a policy.
 */
const MAX_ENTRIES = 5_000;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

function remember<T>(cache: Map<string, T>, key: string, build: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const made = build(); // throws (RangeError) for an unknown zone: nothing is stored
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, made);
  return made;
}

/** A shared `Intl.DateTimeFormat` for `locale` and `options` (keys in a fixed order). */
export function dateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options, Object.keys(options).sort())}`;
  return remember(dateFormats, key, () => new Intl.DateTimeFormat(locale, options));
}

/** A shared `Intl.PluralRules` for `locale` (cardinal unless `type` says otherwise). */
export function plurals(
  locale: string,
  type: Intl.PluralRulesOptions['type'] = 'cardinal',
): Intl.PluralRules {
  return remember(pluralRules, `${locale}|${type}`, () => new Intl.PluralRules(locale, { type }));
}
