import { DAYS, MONTHS, tokenizeJavaPattern, type JavaPatternToken } from '../../datetime/java-pattern.js';
import type { Matcher } from './types.js';
import { escapeRegex } from '../../text.js';

const alt = (words: readonly string[]): string => `(?:${words.join('|')})`;

const num = (min: number, max: number): string => (min === max ? `\\d{${min}}` : `\\d{${min},${max}}`);
const D2 = '(?:0[1-9]|[12]\\d|3[01])';
const M2 = '(?:0[1-9]|1[0-2])';
const H24 = '(?:[01]\\d|2[0-3])';
const H12 = '(?:0[1-9]|1[0-2])';
const MIN = '[0-5]\\d';
const OFFSET_X = '(?:Z|[+-]\\d{2}(?::?\\d{2})?(?::?\\d{2})?)';
const OFFSET_x = '(?:[+-]\\d{2}(?::?\\d{2})?(?::?\\d{2})?)';

/** Named group per field so parsed values can be range-checked (Feb 30 is not a date). */
function letterRun(letter: string, count: number, pattern: string): string {
  switch (letter) {
    case 'G':
      return count >= 4 ? '(?:Anno Domini|Before Christ)' : '(?:AD|BC)';
    case 'y':
    case 'u':
    case 'Y':
      return count === 2 ? '(?<year2>\\d{2})' : `(?<year>[+-]?${num(Math.max(count, 1), 9)})`;
    case 'M':
    case 'L':
      if (count >= 4) return `(?<monthName>${alt(MONTHS)})`;
      if (count === 3) return `(?<monthShort>${alt(MONTHS.map((m) => m.slice(0, 3)))})`;
      return count === 2 ? `(?<month>${M2})` : '(?<month>1[0-2]|0?[1-9])';
    case 'd':
      return count === 2 ? `(?<day>${D2})` : '(?<day>3[01]|[12]\\d|0?[1-9])';
    case 'D':
      return num(count, 3);
    case 'Q':
    case 'q':
      return count >= 3 ? '(?:Q[1-4]|[1-4](?:st|nd|rd|th) quarter)' : '[1-4]';
    case 'w':
    case 'W':
    case 'F':
      return num(count, 2);
    case 'E':
      return count >= 4 ? alt(DAYS) : alt(DAYS.map((d) => d.slice(0, 3)));
    case 'e':
    case 'c':
      return count >= 4 ? alt(DAYS) : count === 3 ? alt(DAYS.map((d) => d.slice(0, 3))) : '[1-7]';
    case 'a':
      return '(?:AM|PM|am|pm)';
    case 'H':
      return count === 2 ? H24 : '(?:[01]?\\d|2[0-3])';
    case 'k':
      return count === 2 ? '(?:0[1-9]|1\\d|2[0-4])' : '(?:[01]?\\d|2[0-4])';
    case 'K':
      return count === 2 ? '(?:0\\d|1[01])' : '(?:0?\\d|1[01])';
    case 'h':
      return count === 2 ? H12 : '(?:1[0-2]|0?[1-9])';
    case 'm':
      return count === 2 ? MIN : '(?:[0-5]?\\d)';
    case 's':
      return count === 2 ? '(?:[0-5]\\d|60)' : '(?:[0-5]?\\d|60)';
    case 'S':
      return `\\d{${count}}`;
    case 'n':
      return '\\d{1,9}';
    case 'N':
    case 'A':
      return '\\d+';
    case 'X':
      return OFFSET_X;
    case 'x':
      return OFFSET_x;
    case 'Z':
      return count >= 4 ? '(?:GMT(?:[+-]\\d{2}:\\d{2})?|Z|[+-]\\d{2}:\\d{2})' : '[+-]\\d{4}';
    case 'z':
    case 'v':
      return '(?:[A-Z][A-Za-z]{1,5}(?:[+-]\\d{1,2}(?::\\d{2})?)?|[A-Za-z]+(?: [A-Za-z]+)*|[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)';
    case 'V':
      return '(?:[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|Z|UTC|GMT|[+-]\\d{2}:\\d{2})';
    case 'O':
      return '(?:GMT(?:[+-]\\d{1,2}(?::\\d{2})?)?)';
    default:
      throw new Error(`unsupported pattern letter '${letter}' in date/time format '${pattern}'`);
  }
}

/**
 * Turns a Java DateTimeFormatter / SimpleDateFormat pattern (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`) into
 * an anchored regular expression with named groups for year, month and day.
 */
export function javaPatternToRegex(pattern: string): RegExp {
  const toSource = (tokens: JavaPatternToken[]): string =>
    tokens
      .map((token) => {
        if (token.kind === 'literal') return escapeRegex(token.text);
        if (token.kind === 'optional') return `(?:${toSource(token.tokens)})?`;
        return letterRun(token.letter, token.count, pattern);
      })
      .join('');
  let out = toSource(tokenizeJavaPattern(pattern));
  // Named groups may repeat in optional sections; keep only the first of each name.
  const seen = new Set<string>();
  out = out.replace(/\(\?<(\w+)>/g, (m, name: string) => {
    if (seen.has(name)) return '(?:';
    seen.add(name);
    return m;
  });
  return new RegExp(`^${out}$`);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Capture-group numbers of the fields a date is range-checked by. */
interface DateFields {
  year?: number;
  month?: number;
  monthName?: number;
  monthShort?: number;
  day?: number;
}

/**
 * The same regular expression with its named groups turned into plain ones, and where each field
 * is: `exec` then builds no `groups` object, which is a third of its cost on a timestamp.
 */
function numberGroups(regex: RegExp): { regex: RegExp; fields: DateFields } {
  const source = regex.source;
  const fields: Record<string, number> = {};
  let out = '';
  let group = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      // A character class: copy it whole (a `(` inside is a literal).
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j;
    } else if (c === '(' && source[i + 1] !== '?') {
      group++;
      out += c;
    } else if (c === '(' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      const close = source.indexOf('>', i);
      group++;
      fields[source.slice(i + 3, close)] ??= group;
      out += '(';
      i = close;
    } else {
      out += c;
    }
  }
  return { regex: new RegExp(out, regex.flags), fields };
}

function validDate(m: RegExpExecArray, fields: DateFields): boolean {
  const dayText = fields.day === undefined ? undefined : m[fields.day];
  // Every month has 28 days: only days 29-31 need the month (and Feb 29 the year).
  if (!dayText || dayText.length < 2 || dayText < '29') return true;
  let month: number | undefined;
  const monthText = fields.month === undefined ? undefined : m[fields.month];
  const monthName = fields.monthName === undefined ? undefined : m[fields.monthName];
  const monthShort = fields.monthShort === undefined ? undefined : m[fields.monthShort];
  if (monthText) month = Number(monthText);
  else if (monthName) month = MONTHS.indexOf(monthName) + 1;
  else if (monthShort) month = MONTHS.findIndex((name) => name.startsWith(monthShort)) + 1;
  const day = Number(dayText);
  if (month === undefined) return true;
  if (day > (DAYS_IN_MONTH[month - 1] ?? 31)) return false;
  const year = fields.year === undefined ? undefined : m[fields.year];
  if (month === 2 && day === 29 && year) {
    const y = Number(year);
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  }
  return true;
}

// Defaults when a rule gives no format (ISO 8601, as pact-reference uses).
const ISO_DATE = /^(?<year>[+-]?\d{4,9})-(?<month>0[1-9]|1[0-2])-(?<day>0[1-9]|[12]\d|3[01])$/;
const ISO_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_DATETIME =
  /^(?<year>[+-]?\d{4,9})-(?<month>0[1-9]|1[0-2])-(?<day>0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?(?:\[[A-Za-z_/+-]+\])?$/;

/** Builds a date, time or timestamp matcher from an optional Java-style format. */
export function compileDateMatcher(kind: 'date' | 'time' | 'timestamp', format: string | undefined): Matcher {
  const regex = format
    ? javaPatternToRegex(format)
    : kind === 'date'
      ? ISO_DATE
      : kind === 'time'
        ? ISO_TIME
        : ISO_DATETIME;
  const { regex: plain, fields } = numberGroups(regex);
  const hasMonth = fields.month !== undefined || fields.monthName !== undefined || fields.monthShort !== undefined;
  // Without both a month and a day there is nothing to range-check: `test` allocates nothing.
  const test =
    fields.day !== undefined && hasMonth
      ? (value: string): boolean => {
          const m = plain.exec(value);
          return m !== null && validDate(m, fields);
        }
      : (value: string): boolean => plain.test(value);
  return format ? { type: kind, format, test } : { type: kind, test };
}
