/**
 * RFC 3339 `date-time` with the exact semantics of ajv-formats' full mode (separator `T`, `t` or
 * a space; time zone required: `Z` or ±hh[[:]mm]; calendar days incl. leap years; a leap second
 * only at 23:59:60 UTC), in one regular expression instead of three plus a split. Timestamps
 * dominate the cost of validating typical JSON bodies: this runs about 1.6x faster (measured in
 * bench/openapi). `formats.test.ts` checks it agrees with ajv-formats.
 */
const DATE_TIME = /^(\d\d\d\d)-(\d\d)-(\d\d)[t\s](\d\d):(\d\d):(\d\d(?:\.\d+)?)(?:z|([+-])(\d\d)(?::?(\d\d))?)$/i;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS[month]!)) return false;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = +m[6]!;
  const sign = m[7] === '-' ? -1 : 1;
  const zoneHours = +(m[8] ?? 0);
  const zoneMinutes = +(m[9] ?? 0);
  if (zoneHours > 23 || zoneMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second is 23:59:60 in UTC.
  const utcMinute = minute - zoneMinutes * sign;
  const utcHour = hour - zoneHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}
