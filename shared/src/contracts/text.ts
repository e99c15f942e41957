import { z } from 'zod';

// Unpaired UTF-16 surrogates: a database stores them as U+FFFD, so what was answered would differ
// from what was stored.
const LONE_SURROGATE = /\p{Cs}/u;
// Controls, private use, line/paragraph separators and format characters (bidi overrides and
// isolates, zero-width space, soft hyphen, tags, BOM…) except ZWNJ/ZWJ, which Persian and Indic words
// and emoji sequences need. Bidi controls can make a card read "annA" for "Anna".
const FORBIDDEN = /[\p{Cc}\p{Co}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;
// ZWNJ/ZWJ only join two visible characters: alone, at an edge or doubled they hide nothing useful.
const LOOSE_JOINER = /(?:^|\s)[\u200C\u200D]|[\u200C\u200D](?:\s|$)|[\u200C\u200D]{2}/u;
// Letters that render as nothing: Hangul fillers, the blank Braille pattern.
const BLANK_LETTER = /[\u115F\u1160\u3164\uFFA0\u2800]/u;
// At least one character a reader can see (letters, digits, punctuation, symbols and emoji).
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * The one validator of every short single-line text a person types (a customer's name, a call's
 * title, a decline reason, a note to the customer, a team's name): well-formed UTF-16, normalised to
 * NFC and trimmed, 1–`max` UTF-16 units, no control, bidi, tag or other invisible formatting
 * characters, ZWNJ/ZWJ only inside words and emoji sequences, and never text that renders blank. The
 * parsed value is what is stored and what is answered.
 */
export const humanText = (max: number) =>
  z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), { message: 'must not contain broken characters' })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, { message: 'must not be empty' })
        .max(max, { message: `must be at most ${max} characters` })
        .refine((s) => !FORBIDDEN.test(s), {
          message: 'must not contain control characters',
        })
        .refine((s) => !LOOSE_JOINER.test(s) && !BLANK_LETTER.test(s) && VISIBLE.test(s), {
          message: 'must contain visible characters',
        }),
    );
