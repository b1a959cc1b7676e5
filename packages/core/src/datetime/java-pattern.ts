/**
 * Java `DateTimeFormatter` / `SimpleDateFormat` patterns, the format strings pacts carry for date,
 * time and timestamp matchers and generators. One tokenizer serves both the matcher (pattern →
 * regex) and the generator (pattern → formatted text).
 */

export const MONTHS: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** ISO order, Monday first (Java's `DayOfWeek`). */
export const DAYS: readonly string[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export type JavaPatternToken =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; letter: string; count: number }
  /** A `[...]` optional section (DateTimeFormatter). */
  | { kind: 'optional'; tokens: JavaPatternToken[] };

/**
 * Splits a pattern into literals (quoted text, `''` for a quote, punctuation), runs of one
 * pattern letter, and optional sections. Throws a plain Error on an unterminated quote or section;
 * callers wrap it in their own coded error.
 *
 * @example
 * tokenizeJavaPattern("yyyy-MM-dd'T'HH") // year×4, '-', month×2, '-', day×2, 'T', hour×2
 */
export function tokenizeJavaPattern(pattern: string): JavaPatternToken[] {
  const tokens: JavaPatternToken[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal("'");
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in date/time format '${pattern}'`);
      literal(pattern.slice(i + 1, end));
      i = end + 1;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) throw new Error(`unterminated optional section in date/time format '${pattern}'`);
      tokens.push({ kind: 'optional', tokens: tokenizeJavaPattern(pattern.slice(i + 1, end)) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ kind: 'field', letter: c, count: j - i });
      i = j;
    } else {
      literal(c);
      i++;
    }
  }
  return tokens;
}
