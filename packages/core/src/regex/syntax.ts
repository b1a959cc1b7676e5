/**
 * What the regex translator knows about the syntax it reads: the class contents each escape, POSIX
 * bracket and property name stands for, the constructs only a backtracking engine runs, and the
 * error a pattern that cannot be run raises.
 */
import { RE2JS } from 're2js';

/** Why a pattern cannot be run: `invalid` (the reference verifier refuses it too) or `unsupported`. */
export class RegexIssue extends Error {
  constructor(
    readonly kind: 'invalid' | 'unsupported',
    readonly construct: string,
    readonly reason: string,
    readonly at: number,
    readonly pattern: string,
  ) {
    super(`${reason}: ${JSON.stringify(construct)} at offset ${at} of ${JSON.stringify(pattern)}`);
  }
}

// Oniguruma's Unicode classes (ONIG_OPTION_NONE, UTF-8): \d is Decimal_Number, \w is letters,
// marks, numbers and connector punctuation, \s is White_Space.
const DIGIT = '\\p{Nd}';
const WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Nl}\\p{Pc}';
const SPACE =
  '\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}';
const HEX = '0-9a-fA-F';

/** Class contents of POSIX bracket and `\p{…}` property names (normalised: lower case, no `_- `). */
export const PROPERTY_CLASSES: Record<string, string> = {
  alpha: '\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}',
  alphabetic: '\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}',
  digit: DIGIT,
  alnum: '\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: SPACE,
  whitespace: SPACE,
  blank: '\\t\\p{Zs}',
  cntrl: '\\p{Cc}',
  punct: '\\p{P}$+<=>^`|~',
  xdigit: HEX,
  word: WORD,
  ascii: '\\x00-\\x7F',
  any: '\\x00-\\x{10FFFF}',
};

export const SHORT_CLASSES: Record<string, string> = { d: DIGIT, w: WORD, s: SPACE, h: HEX };

// ECMA-262 (JSON Schema / OpenAPI `pattern`s, no `u` flag): ASCII \d and \w, \s is WhiteSpace
// and LineTerminator, `.` excludes the four line terminators.
export const ECMA_CLASSES: Record<string, string> = {
  d: '0-9',
  w: '0-9A-Za-z_',
  s: '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}',
};
export const ANY = '\\x00-\\x{10FFFF}';

export const UNSUPPORTED_GROUPS: Record<string, string> = {
  '=': 'a lookahead (?=…)',
  '!': 'a negative lookahead (?!…)',
  '<=': 'a lookbehind (?<=…)',
  '<!': 'a negative lookbehind (?<!…)',
  '>': 'an atomic group (?>…)',
  '~': 'an absence operator (?~…)',
  '(': 'a conditional (?(…)…)',
};

export const UNSUPPORTED_ESCAPES: Record<string, string> = {
  k: 'a named backreference \\k<…>',
  g: 'a subroutine call \\g<…>',
  K: 'a match-start reset \\K',
  G: 'a search-start anchor \\G',
  R: 'a linebreak escape \\R',
  X: 'an extended grapheme cluster \\X',
  y: 'a grapheme boundary \\y',
  Y: 'a grapheme boundary \\Y',
  N: 'a non-newline escape \\N',
  O: 'an any-character escape \\O',
};

export function literal(cp: number): string {
  if (cp < 0x80 && /[\\^$.|?*+()[\]{}\-/]/.test(String.fromCodePoint(cp))) return `\\${String.fromCodePoint(cp)}`;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) return `\\x{${cp.toString(16)}}`;
  return String.fromCodePoint(cp);
}

const propertyCache = new Map<string, boolean>();
/** Whether RE2 knows `\p{name}` (a general category or script). */
export function knownProperty(name: string): boolean {
  let known = propertyCache.get(name);
  if (known === undefined) {
    try {
      RE2JS.compile(`\\p{${name}}`);
      known = true;
    } catch {
      known = false;
    }
    propertyCache.set(name, known);
  }
  return known;
}
