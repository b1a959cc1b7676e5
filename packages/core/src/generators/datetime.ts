import { DAYS, MONTHS, tokenizeJavaPattern, type JavaPatternToken } from '../datetime/java-pattern.js';
import { GeneratorError } from '../errors.js';

/**
 * Formats a date with a Java `DateTimeFormatter`/`SimpleDateFormat` pattern (the format strings pacts
 * carry), in UTC so generated values do not depend on the machine's zone. Optional sections are
 * written out.
 *
 * @example
 * formatJavaDate(new Date(0), "yyyy-MM-dd'T'HH:mm:ss.SSSXXX") // '1970-01-01T00:00:00.000Z'
 */
export function formatJavaDate(date: Date, pattern: string): string {
  let tokens: JavaPatternToken[];
  try {
    tokens = tokenizeJavaPattern(pattern);
  } catch (cause) {
    throw new GeneratorError(`Cannot read date format "${pattern}": ${(cause as Error).message}`, {
      cause,
      details: { pattern },
    });
  }
  const write = (list: JavaPatternToken[]): string =>
    list
      .map((t) =>
        t.kind === 'literal'
          ? t.text
          : t.kind === 'optional'
            ? write(t.tokens)
            : field(date, t.letter, t.count, pattern),
      )
      .join('');
  return write(tokens);
}

/** `getUTCDay` counts from Sunday; the names count from Monday. */
function dayName(d: Date): string {
  return DAYS[(d.getUTCDay() + 6) % 7]!;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function field(d: Date, ch: string, n: number, pattern: string): string {
  const hours = d.getUTCHours();
  switch (ch) {
    case 'y':
    case 'u':
    case 'Y':
      return n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
    case 'M':
    case 'L':
      if (n >= 4) return MONTHS[d.getUTCMonth()]!;
      if (n === 3) return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      return pad(d.getUTCMonth() + 1, n);
    case 'd':
      return pad(d.getUTCDate(), n);
    case 'D': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      return pad(Math.floor((d.getTime() - start) / 86_400_000) + 1, n);
    }
    case 'E':
      return n >= 4 ? dayName(d) : dayName(d).slice(0, 3);
    case 'a':
      return hours < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(hours, n);
    case 'k':
      return pad(hours === 0 ? 24 : hours, n);
    case 'K':
      return pad(hours % 12, n);
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12, n);
    case 'm':
      return pad(d.getUTCMinutes(), n);
    case 's':
      return pad(d.getUTCSeconds(), n);
    case 'S':
      return pad(d.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n);
    case 'n':
      return String(d.getUTCMilliseconds() * 1_000_000);
    case 'X':
      return n === 1 ? 'Z' : 'Z';
    case 'x':
      return n === 1 ? '+00' : n === 2 ? '+0000' : '+00:00';
    case 'Z':
      return n >= 4 ? 'GMT' : '+0000';
    case 'z':
    case 'O':
    case 'V':
      return 'UTC';
    case 'G':
      return 'AD';
    case 'Q':
    case 'q':
      return String(Math.floor(d.getUTCMonth() / 3) + 1);
    case 'w':
    case 'W':
    case 'e':
    case 'c':
    case 'F':
      return String(ch === 'e' || ch === 'c' ? ((d.getUTCDay() + 6) % 7) + 1 : 1);
    default:
      throw new GeneratorError(`Unsupported letter "${ch}" in date format "${pattern}"`, { details: { pattern } });
  }
}

const UNITS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/**
 * Evaluates a Pact date/time expression such as `today`, `tomorrow + 2 days`, `now - 1 hour`,
 * `next week @ 9 o'clock`, `+ 1 month @ midnight` against a base instant.
 *
 * @example
 * evaluateDateExpression('tomorrow @ noon', new Date('2026-01-01T08:00:00Z')) // 2026-01-02T12:00:00Z
 */
export function evaluateDateExpression(expression: string, base: Date): Date {
  const [datePart = '', timePart] = expression.split('@');
  let t = applyDateTerms(datePart.trim().toLowerCase(), new Date(base.getTime()), expression);
  if (timePart !== undefined) t = applyTime(timePart.trim().toLowerCase(), t, expression);
  return t;
}

function applyDateTerms(text: string, d: Date, expression: string): Date {
  let rest = text;
  const anchor = /^(today|now|tomorrow|yesterday|next\s+(day|week|month|year)|last\s+(day|week|month|year))\s*/.exec(
    rest,
  );
  if (anchor) {
    rest = rest.slice(anchor[0].length);
    const word = anchor[1]!;
    if (word === 'tomorrow') d = shift(d, 1, 'day');
    else if (word === 'yesterday') d = shift(d, -1, 'day');
    else if (word.startsWith('next')) d = shift(d, 1, anchor[2]!);
    else if (word.startsWith('last')) d = shift(d, -1, anchor[3]!);
  }
  const term = /^([+-])\s*(\d+)\s*(second|minute|hour|day|week|month|year|fortnight)s?\s*/;
  while (rest.length > 0) {
    const m = term.exec(rest);
    if (!m) {
      throw new GeneratorError(`Cannot read the date expression "${expression}" at "${rest}"`, {
        details: { expression },
      });
    }
    const amount = Number(m[2]) * (m[1] === '-' ? -1 : 1);
    d = m[3] === 'fortnight' ? shift(d, amount * 2, 'week') : shift(d, amount, m[3]!);
    rest = rest.slice(m[0].length);
  }
  return d;
}

function shift(d: Date, amount: number, unit: string): Date {
  const copy = new Date(d.getTime());
  if (unit === 'month') copy.setUTCMonth(copy.getUTCMonth() + amount);
  else if (unit === 'year') copy.setUTCFullYear(copy.getUTCFullYear() + amount);
  else copy.setTime(copy.getTime() + amount * UNITS[unit]!);
  return copy;
}

function applyTime(text: string, d: Date, expression: string): Date {
  const setClock = (h: number, m = 0, s = 0) => {
    const copy = new Date(d.getTime());
    copy.setUTCHours(h, m, s, 0);
    return copy;
  };
  let rest = text;
  const anchors: Array<[RegExp, (m: RegExpExecArray) => Date]> = [
    [/^now\s*/, () => d],
    [/^midnight\s*/, () => setClock(0)],
    [/^noon\s*/, () => setClock(12)],
    [/^(\d{1,2})\s*o'?clock\s*(am|pm)?\s*/, (m) => setClock(to24(Number(m[1]), m[2]))],
    [
      /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*/,
      (m) => setClock(to24(Number(m[1]), m[4]), Number(m[2]), Number(m[3] ?? 0)),
    ],
  ];
  for (const [pattern, apply] of anchors) {
    const m = pattern.exec(rest);
    if (m) {
      d = apply(m);
      rest = rest.slice(m[0].length);
      break;
    }
  }
  return applyDateTerms(rest, d, expression);
}

function to24(hour: number, meridiem: string | undefined): number {
  if (meridiem === 'pm' && hour < 12) return hour + 12;
  if (meridiem === 'am' && hour === 12) return 0;
  return hour;
}
