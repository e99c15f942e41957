import { MessageSyntaxError, formatMessage, messageArguments, plurals } from '@shared';

const MINUTES = '{count, plural, one {# minute} other {# minutes}}';
const MINUTEN = '{count, plural, one {# Minute} other {# Minuten}}';

describe('ICU message format (our subset)', () => {
  it('fills simple arguments, numbers as text', () => {
    expect(formatMessage('en', 'Call with {name}', { name: 'Ada' })).toBe('Call with Ada');
    expect(formatMessage('en', '{a} of {b}', { a: 3, b: 10 })).toBe('3 of 10');
    expect(formatMessage('en', 'No arguments at all')).toBe('No arguments at all');
  });

  it.each([
    ['en', MINUTES, 0, '0 minutes'],
    ['en', MINUTES, 1, '1 minute'],
    ['en', MINUTES, 2, '2 minutes'],
    ['en', MINUTES, 1.5, '1.5 minutes'],
    ['de', MINUTEN, 0, '0 Minuten'],
    ['de', MINUTEN, 1, '1 Minute'],
    ['de', MINUTEN, 21, '21 Minuten'],
  ])('takes the plural category from Intl.PluralRules (%s, %d)', (locale, message, count, out) => {
    expect(formatMessage(locale, message, { count })).toBe(out);
  });

  it('asks the shared PluralRules cache, so a language with more categories works too', () => {
    const message = '{n, plural, one {# plik} few {# pliki} many {# plików} other {# pliku}}';
    expect(plurals('pl').select(3)).toBe('few');
    expect(formatMessage('pl', message, { n: 3 })).toBe('3 pliki');
    expect(formatMessage('pl', message, { n: 5 })).toBe('5 plików');
    expect(formatMessage('pl', message, { n: 22 })).toBe('22 pliki');
  });

  it('prefers an exact match (=N) over the category', () => {
    const message = '{n, plural, =0 {nobody} =1 {just one} one {# (one)} other {# people}}';
    expect(formatMessage('en', message, { n: 0 })).toBe('nobody');
    expect(formatMessage('en', message, { n: 1 })).toBe('just one');
    expect(formatMessage('en', message, { n: 7 })).toBe('7 people');
  });

  it('nests arguments, plurals and selects inside branches', () => {
    const message =
      '{kind, select, sms {{count, plural, one {# SMS to {who}} other {# SMS to {who}}}} other {An email to {who}}}';
    expect(formatMessage('en', message, { kind: 'sms', count: 2, who: 'Ada' })).toBe(
      '2 SMS to Ada',
    );
    expect(formatMessage('en', message, { kind: 'email', count: 2, who: 'Ada' })).toBe(
      'An email to Ada',
    );
    // `#` in a nested plural is its own count, in a select inside a plural the outer one.
    const deep = '{a, plural, other {# and {b, plural, other {#}} and {s, select, other {#}}}}';
    expect(formatMessage('en', deep, { a: 1, b: 2, s: 'x' })).toBe('1 and 2 and 1');
  });

  it('reads apostrophes as ICU does', () => {
    expect(formatMessage('en', "I'll be with you, {name}", { name: 'Ada' })).toBe(
      "I'll be with you, Ada",
    );
    expect(formatMessage('en', "Type '{name}' literally")).toBe('Type {name} literally');
    expect(formatMessage('en', "It''s '{'{x}'}'", { x: 1 })).toBe("It's {1}");
    expect(formatMessage('en', "'{quoted ''inner'' text}'")).toBe("{quoted 'inner' text}");
    expect(formatMessage('en', "{n, plural, other {'#' is #}}", { n: 4 })).toBe('# is 4');
    // Outside a plural `#` is plain text, and so is an apostrophe before it.
    expect(formatMessage('en', "Room #1, '#2")).toBe("Room #1, '#2");
  });

  it('throws a clear error for a missing or wrongly typed argument (outside production)', () => {
    expect(() => formatMessage('en', 'Hello {name}')).toThrow(
      /"name" missing for "Hello \{name\}"/,
    );
    expect(() => formatMessage('en', MINUTES, { count: 'two' })).toThrow(/must be a number/);
    expect(() => formatMessage('en', MINUTES, { other: 1 })).toThrow(/"count" missing/);
  });

  it('shows a missing argument as {name} in production rather than breaking the page', () => {
    const mode = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../../../shared/src/i18n/message-format') as {
          formatMessage: typeof formatMessage;
        };
        expect(fresh.formatMessage('en', 'Hello {name}')).toBe('Hello {name}');
        expect(fresh.formatMessage('en', MINUTES, { count: 'two' })).toBe('two');
      });
    } finally {
      process.env['NODE_ENV'] = mode;
    }
  });

  it.each([
    ['{name', /expected ","/],
    ['text }', /unexpected "}"/],
    ['{n, plural, one {x}}', /without "other"/],
    ['{n, plural, lots {x} other {y}}', /bad plural selector/],
    ['{n, number}', /unsupported argument type/],
    ["'{never closed", /unterminated quote/],
    ['{n, select, a {x} a {y} other {z}}', /twice/],
  ])('refuses bad syntax: %s', (message, reason) => {
    expect(() => formatMessage('en', message, { n: 1, name: 'x' })).toThrow(MessageSyntaxError);
    expect(() => formatMessage('en', message, { n: 1, name: 'x' })).toThrow(reason);
  });

  it('lists the arguments a message takes and how', () => {
    expect(
      Object.fromEntries(
        messageArguments('{who}: {n, plural, other {# by {agent}}} {k, select, other {}}'),
      ),
    ).toEqual({ who: 'text', n: 'plural', agent: 'text', k: 'select' });
  });

  it('parses each message once', () => {
    const message = 'Parsed once: {n, plural, one {# time} other {# times}}';
    const spy = jest.spyOn(String.prototype, 'slice');
    formatMessage('en', message, { n: 1 });
    const first = spy.mock.calls.length;
    spy.mockClear();
    formatMessage('en', message, { n: 2 });
    const second = spy.mock.calls.length;
    spy.mockRestore();
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(0);
  });
});
