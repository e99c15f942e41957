import { plurals } from '../templates/intl-cache';

/**
 * A small subset of ICU MessageFormat, enough for our catalogues and small enough for the customer
 * pages and the tab bundle:
 *
 * - `{name}`: an argument, as text;
 * - `{count, plural, =0 {none} one {# minute} other {# minutes}}`: exact matches (`=N`) first, then
 *   the category `Intl.PluralRules` gives for the locale, then `other`; `#` is the number;
 * - `{kind, select, email {…} other {…}}`: a branch per value, `other` when none matches;
 * - apostrophes as in ICU: `''` is one apostrophe, `'{'` quotes syntax characters, and a lone
 *   apostrophe in running text (`I'll`) stays as it is.
 *
 * Every message is parsed once and kept (the catalogues are finite; the cap is a guard).
 */
export type MessageArgs = Readonly<Record<string, string | number>>;

type Choice = {
  readonly kind: 'plural' | 'select';
  readonly name: string;
  readonly options: ReadonlyMap<string, readonly Part[]>;
};
type Part =
  string | { readonly kind: 'arg'; readonly name: string } | { readonly kind: '#' } | Choice;

/** What an argument of a message is used as: plain text, a plural count or a select value. */
export type ArgumentKind = 'text' | 'plural' | 'select';

export class MessageSyntaxError extends Error {
  constructor(message: string, reason: string, at: number) {
    super(`${reason} at ${at} in message "${message}"`);
    this.name = 'MessageSyntaxError';
  }
}

const NAME = /^[A-Za-z_][\w.-]*$/;

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): readonly Part[] {
    const parts = this.parts(false);
    if (this.at < this.text.length) this.fail('unexpected "}"');
    return parts;
  }

  private fail(reason: string): never {
    throw new MessageSyntaxError(this.text, reason, this.at);
  }

  /** Text and arguments up to the end or an unmatched `}` (inside a plural branch `#` counts). */
  private parts(inPlural: boolean): Part[] {
    const parts: Part[] = [];
    let literal = '';
    const flush = () => {
      if (literal) parts.push(literal);
      literal = '';
    };
    const text = this.text;
    while (this.at < text.length) {
      const c = text[this.at]!;
      if (c === "'") {
        literal += this.quoted(inPlural);
      } else if (c === '{') {
        flush();
        parts.push(this.argument(inPlural));
      } else if (c === '}') {
        break;
      } else if (c === '#' && inPlural) {
        flush();
        parts.push({ kind: '#' });
        this.at++;
      } else {
        literal += c;
        this.at++;
      }
    }
    flush();
    return parts;
  }

  /** At an apostrophe: `''`, a quoted run (`'{…}'`), or a plain apostrophe. */
  private quoted(inPlural: boolean): string {
    const text = this.text;
    const next = text[this.at + 1];
    if (next === "'") {
      this.at += 2;
      return "'";
    }
    if (next === '{' || next === '}' || (inPlural && next === '#')) {
      let out = '';
      this.at++;
      while (this.at < text.length) {
        if (text[this.at] === "'") {
          if (text[this.at + 1] === "'") {
            out += "'";
            this.at += 2;
            continue;
          }
          this.at++;
          return out;
        }
        out += text[this.at++];
      }
      this.fail('unterminated quote');
    }
    this.at++;
    return "'";
  }

  private word(): string {
    this.space();
    const start = this.at;
    while (this.at < this.text.length && !/[\s,{}]/.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private expect(char: string): void {
    this.space();
    if (this.text[this.at] !== char) this.fail(`expected "${char}"`);
    this.at++;
  }

  /** `{name}`, `{name, plural, …}` or `{name, select, …}`, from the `{`. */
  private argument(inPlural: boolean): Part {
    this.at++;
    const name = this.word();
    if (!NAME.test(name)) this.fail(`bad argument name "${name}"`);
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return { kind: 'arg', name };
    }
    this.expect(',');
    const kind = this.word();
    if (kind !== 'plural' && kind !== 'select') this.fail(`unsupported argument type "${kind}"`);
    this.expect(',');
    const options = new Map<string, readonly Part[]>();
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') break;
      const selector = this.word();
      if (!selector) this.fail('expected a selector');
      if (kind === 'plural' && !/^(=\d+|zero|one|two|few|many|other)$/.test(selector)) {
        this.fail(`bad plural selector "${selector}"`);
      }
      if (options.has(selector)) this.fail(`selector "${selector}" twice`);
      this.expect('{');
      // `#` in a select inside a plural is still the plural's number.
      options.set(selector, this.parts(kind === 'plural' || inPlural));
      this.expect('}');
    }
    this.at++;
    if (!options.has('other')) this.fail(`${kind} "${name}" without "other"`);
    return { kind, name, options };
  }
}

const parsed = new Map<string, readonly Part[]>();

function parse(message: string): readonly Part[] {
  let parts = parsed.get(message);
  if (!parts) {
    parts = new Parser(message).parse();
    if (parsed.size >= 5_000) parsed.clear();
    parsed.set(message, parts);
  }
  return parts;
}

/** Checks a message's syntax: throws `MessageSyntaxError` when it is not valid. */
export function parseMessage(message: string): void {
  parse(message);
}

/**
 * Whether a missing or wrongly typed argument throws (`NODE_ENV` development or test: jest, the Vite
 * dev server) or shows as `{name}` (production, or nothing said: a visible gap beats a broken page).
 * Bundlers replace `process.env.NODE_ENV`; where there is no `process` at all, lenient.
 */
function strictByDefault(): boolean {
  try {
    const mode = process.env['NODE_ENV'];
    return mode === 'development' || mode === 'test';
  } catch {
    return false;
  }
}
const STRICT = strictByDefault();

function render(
  locale: string,
  message: string,
  parts: readonly Part[],
  args: MessageArgs,
  count: number | undefined,
): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    if (part.kind === '#') {
      out += String(count);
      continue;
    }
    const value = Object.hasOwn(args, part.name) ? args[part.name] : undefined;
    if (value === undefined) {
      if (STRICT) throw new Error(`Message argument "${part.name}" missing for "${message}"`);
      out += `{${part.name}}`;
      continue;
    }
    if (part.kind === 'arg') {
      out += String(value);
    } else if (part.kind === 'plural') {
      if (typeof value !== 'number') {
        if (STRICT) throw new Error(`Message argument "${part.name}" must be a number`);
        out += String(value);
        continue;
      }
      const branch =
        part.options.get(`=${value}`) ??
        part.options.get(plurals(locale).select(value)) ??
        part.options.get('other')!;
      out += render(locale, message, branch, args, value);
    } else {
      const branch = part.options.get(String(value)) ?? part.options.get('other')!;
      out += render(locale, message, branch, args, count);
    }
  }
  return out;
}

/** Formats `message` (ICU subset above) for `locale` (`en`, `de-AT`) with `args`. */
export function formatMessage(locale: string, message: string, args: MessageArgs = {}): string {
  return render(locale, message, parse(message), args, undefined);
}

/** The arguments a message uses and how (for checking that translations take the same ones). */
export function messageArguments(message: string): ReadonlyMap<string, ArgumentKind> {
  const found = new Map<string, ArgumentKind>();
  const walk = (parts: readonly Part[]) => {
    for (const part of parts) {
      if (typeof part === 'string' || part.kind === '#') continue;
      if (part.kind === 'arg') {
        if (!found.has(part.name)) found.set(part.name, 'text');
        continue;
      }
      found.set(part.name, part.kind);
      for (const branch of part.options.values()) walk(branch);
    }
  };
  walk(parse(message));
  return found;
}
